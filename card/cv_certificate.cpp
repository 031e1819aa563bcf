// 券面AP CV certificate, EF 0004 (see cv_certificate.h; reference Errata 6).
#include "card/cv_certificate.h"

#include <algorithm>

#include "card/tlv.h"

namespace uketsuke::card {
namespace {

constexpr std::uint32_t kTagCvCertificate = 0x7F21;
constexpr std::uint32_t kTagBody = 0x5F4E;
constexpr std::uint32_t kTagSignature = 0x5F37;

// Offsets inside the 297-byte body.
constexpr std::size_t kSignerKeyIdAt = 0;
constexpr std::size_t kCertifiedKeyIdAt = kSignerKeyIdAt + kCvKeyIdBytes;
constexpr std::size_t kExponentHeaderAt = kCertifiedKeyIdAt + kCvKeyIdBytes;
constexpr std::array<std::uint8_t, 2> kExponentHeader{0x90, kCvExponentBytes};
constexpr std::size_t kModulusHeaderAt =
    kExponentHeaderAt + kExponentHeader.size() + kCvExponentBytes;
constexpr std::array<std::uint8_t, 4> kModulusHeader{0x91, 0x82, 0x01, 0x00};
constexpr std::size_t kModulusAt = kModulusHeaderAt + kModulusHeader.size();
static_assert(kModulusAt + kCvModulusBytes == kCvBodyBytes, "Errata 6: the body is 297 bytes");

Failure<CardError> invalid(std::string what) {
    return cardFail(CardErrorCode::kCvCertificateInvalid, "EF 0004: " + std::move(what));
}

CvKeyId keyIdAt(ByteView body, std::size_t at) {
    CvKeyId id{};
    std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(at), id.size(), id.begin());
    return id;
}

template <std::size_t N>
bool bytesAt(ByteView body, std::size_t at, const std::array<std::uint8_t, N>& expected) {
    return std::equal(expected.begin(), expected.end(),
                      body.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

std::string cvKeyIdText(const CvKeyId& id) {
    std::string text;
    for (std::uint8_t c : id) {
        if (c < 0x20 || c > 0x7E)
            break;
        text.push_back(static_cast<char>(c));
    }
    return text.empty() ? toHex(ByteView(id.data(), id.size()), false) : text;
}

CardResult<CvCertificate> parseCvCertificate(ByteView file) {
    auto outer = parseTlv(file);
    if (!outer)
        return invalid("not a TLV (" + outer.error().context + ")");
    if (outer->tag != kTagCvCertificate)
        return invalid("does not start with 7F21");
    auto parts = parseTlvSequence(outer->value);
    if (!parts)
        return invalid("7F21 content is not a TLV sequence (" + parts.error().context + ")");
    if (parts->size() != 2 || (*parts)[0].tag != kTagBody || (*parts)[1].tag != kTagSignature) {
        return invalid("7F21 must hold exactly 5F4E then 5F37");
    }
    const ByteView body = (*parts)[0].value;
    const ByteView signature = (*parts)[1].value;
    if (body.size() != kCvBodyBytes) {
        return invalid("5F4E holds " + std::to_string(body.size()) + " bytes, not 297");
    }
    if (signature.size() != kCvSignatureBytes) {
        return invalid("5F37 holds " + std::to_string(signature.size()) + " bytes, not 256");
    }
    if (!bytesAt(body, kExponentHeaderAt, kExponentHeader) ||
        !bytesAt(body, kModulusHeaderAt, kModulusHeader)) {
        return invalid("body lacks 90 03 <e> / 91 82 01 00 <n> at their fixed offsets");
    }
    CvCertificate c;
    c.signerKeyId = keyIdAt(body, kSignerKeyIdAt);
    c.certifiedKeyId = keyIdAt(body, kCertifiedKeyIdAt);
    const auto exponent =
        body.subspan(kExponentHeaderAt + kExponentHeader.size(), kCvExponentBytes);
    const auto modulus = body.subspan(kModulusAt, kCvModulusBytes);
    c.exponent.assign(exponent.begin(), exponent.end());
    c.modulus.assign(modulus.begin(), modulus.end());
    c.body.assign(body.begin(), body.end());
    c.signature.assign(signature.begin(), signature.end());
    return c;
}

CardResult<RsaPublicKey> verifyCvCertificate(const CvCertificate& certificate,
                                             const RsaPublicKey& cvcaKey) {
    if (certificate.body.size() != kCvBodyBytes ||
        certificate.signature.size() != kCvSignatureBytes) {
        return invalid("certificate not parsed");
    }
    if (!cvcaKey.verifySha256(certificate.body, certificate.signature)) {
        return invalid("signature does not verify with the configured CV-CA key (signer key " +
                       cvKeyIdText(certificate.signerKeyId) + ")");
    }
    auto key = RsaPublicKey::fromModulusExponent(certificate.modulus, certificate.exponent);
    if (!key)
        return invalid("certifies an unusable key: " + key.error().context);
    return key;
}

}  // namespace uketsuke::card
