// The 券面AP card-verifiable certificate, EF 0004 (reference §2.2, §5.3 (a); Errata 1):
//   7F21 L { 5F4E L body, 5F37 L signature }
//   body = 5F29 01 00 (profile) · 42 10 <CAR: CV-CA key id, ASCII, NUL-padded, test "6000023">
//          · 5F20 10 <CHR: holder key id> · 7F49 L { 81 82 01 00 <modulus>, 82 03 01 00 01 }
// The key it certifies is the 券面 issuer key that signs DF28.
#pragma once

#include <string>

#include "card/card_error.h"
#include "card/rsa_key.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

// ASSUMPTION [U] (reference §5.3 (a): the real signature format is not public): 5F37 is RSA
// PKCS#1 v1.5 with SHA-256 over the WHOLE 5F4E TLV (tag + length + value). The virtual card
// (sim/) builds EF 0004 exactly like this; a real card may need another scheme here.
enum class CvSignatureScheme { kPkcs1Sha256OverWholeBodyTlv };
inline constexpr CvSignatureScheme kCvSignatureScheme =
    CvSignatureScheme::kPkcs1Sha256OverWholeBodyTlv;

struct CvCertificate {
    std::uint8_t profile = 0;
    std::string car;  // certification authority reference (trailing NULs removed)
    std::string chr;  // certificate holder reference
    Bytes modulus;
    Bytes exponent;
    Bytes bodyTlv;    // the whole 5F4E TLV, what the signature covers
    Bytes signature;  // 5F37 value
};

// Parses EF 0004 (trailing padding allowed); malformed-tlv / cv-certificate-invalid on bad input.
CardResult<CvCertificate> parseCvCertificate(ByteView file);

// Verifies the certificate's signature with the CV-CA key and returns the certified key.
// cv-certificate-invalid when the signature does not verify.
CardResult<RsaPublicKey> verifyCvCertificate(const CvCertificate& certificate,
                                             const RsaPublicKey& cvcaKey);

}  // namespace uketsuke::card
