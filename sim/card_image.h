// The content of one virtual My Number Card: its applications, files, PIN keys and private keys,
// built at start-up from a persona and the test PKI (card-protocol.md §1-§2, §5.3, Errata 1).
// A CardImage is immutable; the retry counters live in CardCounters (virtual_card.h) so that
// they outlast insertions, as on a real card.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/uketsuke/bytes.h"
#include "common/uketsuke/card_aids.h"
#include "common/uketsuke/result.h"
#include "sim/fault.h"
#include "sim/persona.h"
#include "sim/sim_crypto.h"
#include "sim/sim_error.h"

namespace uketsuke::sim {

enum class AppId { kJpki, kKenmen, kTextAssist };

struct AppInfo {
    AppId id;
    std::string_view name;  // as recorded by `selects` (JPKI:000A)
    Aid aid;
};

// card-protocol.md §1 (full AIDs only), from the tree's one AID table
// (common/uketsuke/card_aids.h).
inline constexpr AppInfo kApps[] = {
    {AppId::kJpki, "JPKI", kJpkiAid},
    {AppId::kKenmen, "KENMEN", kKenmenAid},
    {AppId::kTextAssist, "TEXT", kTextAssistAid},
};

std::string_view appName(AppId id);
ByteView appAid(AppId id);

// File ids used by the sim and its tests (card-protocol.md §2).
namespace fid {
inline constexpr std::uint16_t kJpkiSignCert = 0x0001, kJpkiSignCa = 0x0002,
                               kJpkiTokenInfo = 0x0006, kJpkiAvailability = 0x0008,
                               kJpkiAuthCert = 0x000A, kJpkiAuthCa = 0x000B, kJpkiAuthKey = 0x0017,
                               kJpkiAuthPin = 0x0018, kJpkiSignKey = 0x001A,
                               kJpkiSignPassword = 0x001B;
inline constexpr std::uint16_t kKenmenFace = 0x0002, kKenmenBasicInfo = 0x0003,
                               kKenmenCvCert = 0x0004, kKenmenMyNumberImage = 0x0005,
                               kKenmenBirthKey = 0x0011, kKenmenVerificationB = 0x0012,
                               kKenmenVerificationA = 0x0013;
inline constexpr std::uint16_t kTextPin = 0x0011, kTextVerificationA = 0x0014,
                               kTextVerificationB = 0x0015;
}  // namespace fid

// Who may READ BINARY a file.
enum class Access {
    kFree,
    kAfterAuthPin,       // JPKI 0018 verified (smartphone token's auth cert)
    kAfterSignPassword,  // JPKI 001B verified (signing cert 0001)
    kAfterKenmenB,       // 券面AP 0012 (照合番号B) or 0013 (照合番号A) verified
    kNever,              // never served (個人番号 image, 入力補助AP contents)
};

struct ElementaryFile {
    Bytes data;
    Access read = Access::kFree;
};

// A VERIFY key (PIN, password, 照合番号). Values are test material of the sim.
struct PinKey {
    std::string value;  // empty: no value is ever right (the sim holds no 個人番号)
    int maxTries = 3;
    int initialTries = 3;
    std::size_t minLength = 4;
    std::size_t maxLength = 4;
    // The counter query (empty VERIFY) answers this instead of 63Cx (顔認証 card variant 6984).
    std::optional<std::uint16_t> queryAnswer;
    // The counter query once verified in this session; none: 63Cx as always (Errata 2, 7).
    std::optional<std::uint16_t> queryWhenVerified;
};

struct SigningKey {
    PrivateKey key;
    std::optional<std::uint16_t> requiredPin;  // key FID in the same AP that must be verified
};

struct Application {
    AppId id;
    std::map<std::uint16_t, ElementaryFile> files;
    std::map<std::uint16_t, PinKey> pins;
    std::map<std::uint16_t, SigningKey> keys;
    // `80 2A 00 00`: the 券面AP's internal authentication with the card key (DF24).
    std::optional<SigningKey> internalAuthKey;
    bool forbidden = false;                 // any access is a privacy violation (入力補助AP)
    std::set<std::uint16_t> forbiddenFids;  // 券面AP 0005 and 0013
};

// The parts of 券面AP EF 0002 (card-protocol.md §5.3), each the value of its DF2x tag.
struct KenmenFace {
    Bytes birthDate;          // DF22 YYYYMMDD
    Bytes sex;                // DF23
    Bytes cardPublicKey;      // DF24: 90 03 01 00 01 91 82 01 00 <modulus>
    Bytes nameImage;          // DF25 PNG
    Bytes addressImage;       // DF26 PNG
    Bytes photo;              // DF27 JP2
    Bytes expiry;             // DF29 YYYYMMDD
    Bytes securityCodeImage;  // DF2A PNG
};

struct CardImage {
    std::string personaId;
    CardKind kind = CardKind::kMyNumber;
    Bytes atr;                   // answer to reset (vpcd GET ATR)
    bool extendedLength = true;  // READ BINARY answers an extended Le (false: 6700)
    // > 0: an extended Le is answered with at most this many bytes and 9000, as if the file ended
    // there (a card that caps its answers at 256 bytes; the host must fall back to short reads).
    std::size_t extendedAnswerCap = 0;
    std::vector<Application> apps;
    std::optional<KenmenFace> face;
    PrivateKey kenmenIssuerKey;  // signs DF28 (kept so faults can re-sign a changed photo)
    Bytes authCertificateDer;    // EF 000A without padding

    const Application* find(AppId id) const;
    Application* find(AppId id);
};

Result<CardImage, SimFailure> buildCardImage(const Persona& persona,
                                             const std::filesystem::path& pkiDir);

// The same card with a file-level fault applied (truncated-cert, oversized-tlv, bad-certificate,
// corrupt-jp2, bad-photo-signature, wrong-card-key); other modes return the image unchanged.
CardImage applyFileFault(const CardImage& image, FaultMode mode);

// BER-TLV with a one- or two-byte tag and a definite length (short, 81 xx or 82 xx xx).
Bytes encodeTlv(std::initializer_list<std::uint8_t> tag, ByteView value);

// EF 0002: FF20 { DF21 offsets, DF22..DF2A } + FF padding; DF28 = PKCS#1 v1.5 by the issuer key
// over the 96-byte triple-SHA-256 DigestInfo (Errata 1). extraHeaderLength inflates the FF20
// length (oversized-tlv fault); corruptSignature flips DF28 (bad-photo-signature fault).
Bytes encodeKenmenFace(const KenmenFace& face, const EVP_PKEY& issuerKey,
                       std::size_t extraHeaderLength = 0, bool corruptSignature = false);

// EF 0004 (card-protocol.md Errata 6): 7F21 82 02 33 { 5F4E 82 01 29 <297-byte body>,
// 5F37 82 01 00 <256-byte signature> }. The body has a fixed layout, no inner TLVs:
// 16-byte 証明者鍵ID (the CV-CA key that signs) ‖ 16-byte 被証明者鍵ID (the 券面 issuer key
// certified here) ‖ 90 03 <e> ‖ 91 82 01 00 <modulus>. 5F37 = PKCS#1 v1.5 SHA-256 by the CV-CA
// key over the 297-byte value of 5F4E. Key IDs: 7 ASCII characters, 08 05, a 3-digit key
// generation, 00 filler — the shape of the test hierarchy's IDs in ../shared/golden/card.
inline constexpr std::size_t kCvKeyIdSize = 16, kCvBodySize = 297;
Bytes cvKeyId(std::string_view name, std::string_view generation);
inline constexpr char kCvSignerKeyName[] = "6000023";     // test hierarchy CV-CA (5000023 live)
inline constexpr char kCvCertifiedKeyName[] = "1310100";  // the sim's 券面 issuer key
inline constexpr char kCvKeyGeneration[] = "001";
// Empty when the issuer key is not RSA-2048 with a 3-byte exponent or signing fails.
Bytes encodeKenmenCvCertificate(const EVP_PKEY& issuerKey, const EVP_PKEY& cvcaKey);

// EF 0006: 160-byte CK_TOKEN_INFO with 32-bit big-endian fields, label space-padded to 32 bytes.
Bytes encodeTokenInfo(std::string_view label);

}  // namespace uketsuke::sim
