// Persona files (sim/personas/<id>.json): the description of one virtual card and its holder.
// The field list and its meaning are documented in sim/README.md ("Persona files"). Personas drive
// both the build-time test PKI and media (sim/pki/make_pki.py, uketsuke-persona-media) and the
// card image the virtual card serves (card_image.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/uketsuke/bytes.h"
#include "common/uketsuke/result.h"
#include "sim/sim_error.h"

namespace uketsuke::sim {

enum class CardKind {
    kMyNumber,     // physical My Number Card (JPKI-AP, 券面AP, 入力補助AP)
    kSmartphone,   // smartphone JPKI token: JPKI-AP only, auth cert behind the PIN
    kNotMyNumber,  // some other card: none of the My Number APs
};

struct Persona {
    std::string id;
    std::string description;
    CardKind kind = CardKind::kMyNumber;
    std::string tokenLabel;  // EF 0006 label, e.g. JPKIAPICCTOKEN2
    // A chip-behaviour variant of another persona's card (same holder, same card front and
    // photo): card-front and face test sets leave it out, so they see each holder once.
    std::string variantOf;
    // Answer to reset. Default: a real My Number Card's contact ATR for JPKI cards, an ordinary
    // transit card's (no JPKI) for not-mynumber: middleware that binds by ATR must not bind to it.
    Bytes atr;
    // READ BINARY with an extended Le (00 B0 P1 P2 00 HH LL): answered (up to Le bytes, 6282 at
    // the end of the file) or refused with 6700, a card that accepts only short Le.
    bool extendedLength = true;

    struct AuthPin {
        std::string value;     // 4 ASCII digits (test material)
        int triesLeft = 3;     // at set-up / after reset-state
        bool pinless = false;  // 顔認証マイナンバーカード: no PIN set, PIN use impossible
        // What the card answers to the counter query (empty VERIFY) of 0018 when pinless; any
        // VERIFY with data answers 6984 (blocked). The real sign is not public (card-protocol.md
        // Errata 7, [U]): 63C0 by default (what third-party middleware binds to), 6984 as a
        // named variant (persona face-auth-6984).
        std::uint16_t pinlessAnswer = 0x63C0;
        // What the counter query answers once the PIN is verified in this card session: empty =
        // 63Cx like any other query (the default, Errata 2/7); "9000" = the single-source
        // variant of card-protocol.md §4 (persona normal-query-9000).
        std::optional<std::uint16_t> queryWhenVerified;
    } authPin;

    bool signingCert = true;   // 署名用電子証明書 loaded (EF 0001, key 001A)
    std::string signPassword;  // 6-16 chars A-Z0-9 (only with signingCert)
    // Tries of 001B. Without a signing certificate the key reference still exists (every JPKI
    // card has 001B, Errata 7) but no password is set: blocked (0) unless the persona says.
    int signPasswordTriesLeft = 5;

    struct AuthCert {
        int notBeforeDays = -365;  // relative to PKI generation time
        int notAfterDays = 1460;
        bool revoked = false;  // listed on the issuer's CRL
    } authCert;

    struct Kenmen {
        std::string birthDate;   // YYYYMMDD, Gregorian (DF22)
        std::string sex;         // "1" male, "2" female (DF23)
        std::string cardExpiry;  // YYYYMMDD, the card's own expiry (DF29, 照合番号B digits 7-10)
        std::string securityCode;  // 4 digits printed under the photo (照合番号B digits 11-14)
        int verificationBTriesLeft = 10;  // 照合番号B (券面AP 0012)
        std::string displayName;          // romanized, rendered into the DF25 image
        std::string address;              // romanized, rendered into the DF26 image
    } kenmen;

    struct Photo {
        int sample = 1;  // face-api demo/sample<N>.jpg
        int face = 0;    // face index, detected faces sorted left to right
    } photo;
};

// A real My Number Card's contact ATR (card-protocol.md §9; OpenSC's jpki driver binds to it).
inline constexpr std::uint8_t kMyNumberCardAtr[] = {0x3B, 0xE0, 0x00, 0xFF, 0x81,
                                                    0x31, 0xFE, 0x45, 0x14};
// An ordinary card that is not a JPKI card: a FeliCa transit card (Suica and the other 交通系IC
// cards) as a PC/SC reader reports it (PC/SC part 3 ATR; pcsc-tools' smartcard_list.txt).
inline constexpr std::uint8_t kTransitCardAtr[] = {0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C,
                                                   0xA0, 0x00, 0x00, 0x03, 0x06, 0x11, 0x00,
                                                   0x3B, 0x00, 0x00, 0x00, 0x00, 0x42};
// The ATR a persona without an "atr" field gets: the transit card for not-mynumber, the My
// Number Card's otherwise.
Bytes defaultAtr(CardKind kind);

Result<Persona, SimFailure> parsePersona(std::string_view json);
Result<Persona, SimFailure> loadPersona(const std::filesystem::path& file);
// Every *.json in the folder, by id. Fails on the first invalid file (a typo must not hide a card).
Result<std::map<std::string, Persona>, SimFailure> loadPersonaDir(const std::filesystem::path& dir);

// Japanese-era year of a Gregorian date (明治..令和), e.g. 1980-02-17 -> 55 (昭和55).
// Era changes take effect on their first day (1989-01-08 平成1, 2019-05-01 令和1).
// Returns 0 for dates before 明治 (1868-01-25 by the Gregorian reckoning used here).
int japaneseEraYear(int year, int month, int day);

// 照合番号B (card-protocol.md §5.1): 和暦 YYMMDD of the birth date, the card expiry's Gregorian
// year, the security code: 14 ASCII digits. Test material, so a plain string.
std::string verificationNumberB(const Persona& persona);

}  // namespace uketsuke::sim
