// Persona files (sim/personas/<id>.json): the description of one virtual card and its holder.
// The field list and its meaning are documented in sim/README.md ("Persona files"). Personas drive
// both the build-time test PKI and media (sim/pki/make_pki.py, uketsuke-persona-media) and the
// card image the virtual card serves (card_image.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

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

    struct AuthPin {
        std::string value;     // 4 ASCII digits (test material)
        int triesLeft = 3;     // at set-up / after reset-state
        bool pinless = false;  // 顔認証マイナンバーカード: no PIN set, PIN use impossible
        // What the card answers to any VERIFY of 0018 when pinless. The real sign is not public
        // (card-protocol.md §7, [U]); this is the named assumption, configurable per persona.
        std::uint16_t pinlessAnswer = 0x6984;
    } authPin;

    bool signingCert = true;   // 署名用電子証明書 loaded (EF 0001, key 001A)
    std::string signPassword;  // 6-16 chars A-Z0-9 (only with signingCert)
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
