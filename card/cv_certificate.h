// The 券面AP card-verifiable certificate, EF 0004 (reference Errata 6, which wins over §2.2 and
// §5.3 (a); Errata 1 for what the certified key signs):
//
//   7F21 82 02 33 { 5F4E 82 01 29 <body, 297 bytes>, 5F37 82 01 00 <signature, 256 bytes> }
//   body (fixed layout, no inner TLVs):
//     [  0.. 16) 証明者鍵ID   — the CV-CA key that signed this certificate (test "6000023…",
//                              production "5000023…": ASCII, then binary bytes and padding)
//     [ 16.. 32) 被証明者鍵ID — the key this certificate certifies
//     [ 32.. 37) 90 03 <public exponent, 3 bytes>
//     [ 37..297) 91 82 01 00 <RSA-2048 modulus, 256 bytes>: the 券面 issuer key that signs DF28
//   5F37 = RSASSA-PKCS1-v1_5 with a SHA-256 DigestInfo over the 297-byte VALUE of 5F4E (not its
//   tag and length). The physical file is longer than the TLV (FF padding).
//
// It is NOT a TR-03110 CV certificate (5F29/42/5F20/7F49): the first wave of this project parsed
// it as one and refused every real card. Any deviation from the layout, like a bad signature, is
// cv-certificate-invalid: the card's own anti-clone evidence does not hold.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "card/card_error.h"
#include "card/rsa_key.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

inline constexpr std::size_t kCvKeyIdBytes = 16;
inline constexpr std::size_t kCvBodyBytes = 297;
inline constexpr std::size_t kCvSignatureBytes = 256;
inline constexpr std::size_t kCvModulusBytes = 256;
inline constexpr std::size_t kCvExponentBytes = 3;

using CvKeyId = std::array<std::uint8_t, kCvKeyIdBytes>;

// Printable form of a key ID: its leading run of printable ASCII ("6000023"), or hex when it
// starts with anything else. For logs and error messages; comparisons use the raw bytes.
std::string cvKeyIdText(const CvKeyId& id);

struct CvCertificate {
    CvKeyId signerKeyId{};     // 証明者鍵ID
    CvKeyId certifiedKeyId{};  // 被証明者鍵ID
    Bytes exponent;            // 3 bytes, big-endian
    Bytes modulus;             // 256 bytes, big-endian
    Bytes body;                // the 297-byte value of 5F4E: what the signature covers
    Bytes signature;           // the 256-byte value of 5F37
};

// Parses EF 0004 as read from the card (trailing padding allowed). Every malformed input —
// wrong outer tag, wrong lengths, wrong fixed bytes, truncation — is cv-certificate-invalid.
CardResult<CvCertificate> parseCvCertificate(ByteView file);

// Verifies 5F37 over the body with the CV-CA key and returns the certified (券面 issuer) key.
// cv-certificate-invalid when the signature does not verify or the certified key is unusable.
CardResult<RsaPublicKey> verifyCvCertificate(const CvCertificate& certificate,
                                             const RsaPublicKey& cvcaKey);

}  // namespace uketsuke::card
