// 券面AP CV certificate (see cv_certificate.h).
#include "card/cv_certificate.h"

#include "card/tlv.h"

namespace uketsuke::card {
namespace {

constexpr std::uint32_t kTagCvCertificate = 0x7F21;
constexpr std::uint32_t kTagBody = 0x5F4E;
constexpr std::uint32_t kTagSignature = 0x5F37;
constexpr std::uint32_t kTagProfile = 0x5F29;
constexpr std::uint32_t kTagCar = 0x42;
constexpr std::uint32_t kTagChr = 0x5F20;
constexpr std::uint32_t kTagPublicKey = 0x7F49;
constexpr std::uint32_t kTagModulus = 0x81;
constexpr std::uint32_t kTagExponent = 0x82;

std::string keyId(ByteView v) {
    std::string s(v.begin(), v.end());
    while (!s.empty() && (s.back() == '\0' || s.back() == ' '))
        s.pop_back();
    for (char& c : s) {
        if (c < 0x20 || c > 0x7E)
            c = '?';
    }
    return s;
}

Failure<CardError> bad(std::string what) {
    return cardFail(CardErrorCode::kCvCertificateInvalid, std::move(what));
}

}  // namespace

CardResult<CvCertificate> parseCvCertificate(ByteView file) {
    auto outer = parseTlv(file);
    if (!outer)
        return outer.failure();
    if (outer->tag != kTagCvCertificate)
        return bad("EF 0004 does not start with 7F21");
    auto parts = parseTlvSequence(outer->value);
    if (!parts)
        return parts.failure();
    const auto body = findTlv(*parts, kTagBody);
    const auto sig = findTlv(*parts, kTagSignature);
    if (!body || !sig)
        return bad("7F21 lacks 5F4E or 5F37");
    auto fields = parseTlvSequence(body->value);
    if (!fields)
        return fields.failure();
    const auto profile = findTlv(*fields, kTagProfile);
    const auto car = findTlv(*fields, kTagCar);
    const auto chr = findTlv(*fields, kTagChr);
    const auto key = findTlv(*fields, kTagPublicKey);
    if (!profile || profile->value.size() != 1 || !car || !chr || !key) {
        return bad("5F4E lacks 5F29, 42, 5F20 or 7F49");
    }
    auto keyParts = parseTlvSequence(key->value);
    if (!keyParts)
        return keyParts.failure();
    const auto modulus = findTlv(*keyParts, kTagModulus);
    const auto exponent = findTlv(*keyParts, kTagExponent);
    if (!modulus || !exponent || modulus->value.empty() || exponent->value.empty()) {
        return bad("7F49 lacks modulus or exponent");
    }
    CvCertificate c;
    c.profile = profile->value[0];
    c.car = keyId(car->value);
    c.chr = keyId(chr->value);
    c.modulus.assign(modulus->value.begin(), modulus->value.end());
    c.exponent.assign(exponent->value.begin(), exponent->value.end());
    c.bodyTlv.assign(body->encoded.begin(), body->encoded.end());
    c.signature.assign(sig->value.begin(), sig->value.end());
    return c;
}

CardResult<RsaPublicKey> verifyCvCertificate(const CvCertificate& certificate,
                                             const RsaPublicKey& cvcaKey) {
    static_assert(kCvSignatureScheme == CvSignatureScheme::kPkcs1Sha256OverWholeBodyTlv);
    if (!cvcaKey.verifySha256(certificate.bodyTlv, certificate.signature)) {
        return bad("EF 0004 signature does not verify with the CV-CA key (CAR " + certificate.car +
                   ")");
    }
    auto key = RsaPublicKey::fromModulusExponent(certificate.modulus, certificate.exponent);
    if (!key)
        return bad("EF 0004 certifies an unusable key: " + key.error().context);
    return key;
}

}  // namespace uketsuke::card
