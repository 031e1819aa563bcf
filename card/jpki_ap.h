// 公的個人認証AP (JPKI-AP), AID D3 92 F0 00 26 01 00 00 00 01 — reference §1, §2.1, §3, §4, §6.
//
// What the terminal needs from JPKI-AP and nothing more: identify the card by SELECT (never by
// ATR, §9), the token label (EF 0006), certificate availability (EF 0008), the user-auth
// certificate (EF 000A) and its CA (EF 000B), the auth-PIN counter (EF 0018) and VERIFY, and a
// signature with the auth key (EF 0017, 80 2A). The signing certificate, its key and password
// (EF 0001/001A/001B) are deliberately absent: the files table below is the only way this class
// selects anything.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "card/card_error.h"
#include "card/iso7816.h"
#include "card/verify_guard.h"

namespace uketsuke::card {

enum class JpkiObject {
    kTokenInfo,                // EF 0006: 160 B, first 32 B = label
    kCertificateAvailability,  // EF 0008: 3 B, 8F 8F 00 when both certificates are present
    kAuthCertificate,          // EF 000A: 利用者証明用電子証明書, DER, free
    kAuthCaCertificate,        // EF 000B: its CA, DER, free
    kAuthKey,                  // EF 0017: RSA-2048, used for 80 2A after VERIFY 0018
    kAuthPin,                  // EF 0018: 4 digits, 3 tries
};

struct JpkiFile {
    JpkiObject object;
    std::uint16_t fid;
    std::string_view name;
    int maxTries;  // for key references; 0 otherwise
};

inline constexpr std::array kJpkiFiles{
    JpkiFile{JpkiObject::kTokenInfo, 0x0006, "token-info", 0},
    JpkiFile{JpkiObject::kCertificateAvailability, 0x0008, "certificate-availability", 0},
    JpkiFile{JpkiObject::kAuthCertificate, 0x000A, "auth-certificate", 0},
    JpkiFile{JpkiObject::kAuthCaCertificate, 0x000B, "auth-ca-certificate", 0},
    JpkiFile{JpkiObject::kAuthKey, 0x0017, "auth-key", 0},
    JpkiFile{JpkiObject::kAuthPin, 0x0018, "auth-pin", 3},
};

constexpr const JpkiFile& jpkiFile(JpkiObject object) {
    return kJpkiFiles[static_cast<std::size_t>(object)];
}

// Token labels of EF 0006 (reference §2.1).
inline constexpr std::string_view kLabelPhysicalCard = "JPKIAPICCTOKEN2";
inline constexpr std::string_view kLabelAndroidToken = "JPKIAPGPSETOKEN";
inline constexpr std::string_view kLabelIosToken = "JPKIAPIOSTOKEN";
inline constexpr std::string_view kLabelJukiCard = "JPKIAPICCTOKEN";  // old 住基カード

struct CertificateAvailability {
    bool signingCertificate = false;  // byte 0 == 8F
    bool authCertificate = false;     // byte 1 == 8F
    Bytes raw;
};

// True for exactly four ASCII digits (reference §4 table).
bool isValidAuthPinFormat(const SecretBytes& pin);

class JpkiAp {
  public:
    explicit JpkiAp(Iso7816& iso) : iso_(iso) {}

    // SELECT by full AID. 6A82 → not-a-my-number-card.
    CardStatus select();
    // EF 0006 label, spaces/NULs trimmed.
    CardResult<std::string> readTokenLabel();
    CardResult<CertificateAvailability> readCertificateAvailability();
    // DER certificates, read with ≤ 256-byte chunks (length from the DER header).
    CardResult<Bytes> readAuthCertificate();
    CardResult<Bytes> readAuthCaCertificate();
    // Selects EF 0018 and sends 00 20 00 80: consumes no try.
    CardResult<RetryCounter> queryAuthPinRetries();
    // Validates the PIN format, ALWAYS queries the counter first, refuses when the PIN is blocked
    // or has no counter, refuses at ≤ 1 try left unless `lastTry` is kConfirmed, then VERIFYs.
    // The PIN is wiped whatever happens.
    CardStatus verifyAuthPin(SecretBytes pin, LastTry lastTry = LastTry::kNotConfirmed);
    // Signs a SHA-256 digest with the auth key: DigestInfo, SELECT 0017, 80 2A 00 80 Lc DI 00.
    // Needs a verified auth PIN (security-status-not-satisfied otherwise). Returns 256 bytes.
    CardResult<Bytes> signAuthDigest(ByteView sha256Digest);

  private:
    CardStatus selectFile(JpkiObject object);
    CardResult<Bytes> readCertificate(JpkiObject object);
    Iso7816& iso_;
};

}  // namespace uketsuke::card
