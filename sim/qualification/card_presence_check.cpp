// See card_presence_check.h. Layouts: card-protocol.md Errata 1 and 6, §5.3.
#include "sim/qualification/card_presence_check.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

#include "sim/qualification/openssl_util.h"

namespace uketsuke::sim {
namespace {

struct Tlv {
    std::uint32_t tag = 0;
    ByteView value;
    std::size_t encodedSize = 0;
};

// One BER-TLV with a one- or two-byte tag and a definite length of at most 3 length bytes.
std::optional<Tlv> readTlv(ByteView in) {
    std::size_t i = 0;
    if (in.empty())
        return std::nullopt;
    std::uint32_t tag = in[i++];
    if ((tag & 0x1F) == 0x1F) {
        if (i >= in.size())
            return std::nullopt;
        tag = (tag << 8) | in[i++];
    }
    if (i >= in.size())
        return std::nullopt;
    std::size_t length = in[i++];
    if (length & 0x80) {
        const std::size_t n = length & 0x7F;
        if (n == 0 || n > 3 || i + n > in.size())
            return std::nullopt;
        length = 0;
        for (std::size_t k = 0; k < n; ++k)
            length = (length << 8) | in[i++];
    }
    if (length > in.size() - i)
        return std::nullopt;
    return Tlv{tag, in.subspan(i, length), i + length};
}

struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
struct ParamBldFree {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

UniqueEvpPkey rsaKey(ByteView modulus, ByteView exponent) {
    std::unique_ptr<BIGNUM, BnFree> n(
        BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    std::unique_ptr<BIGNUM, BnFree> e(
        BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    if (!n || !e || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        return nullptr;
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return UniqueEvpPkey(key);
}

// `90 <e>` ‖ `91 <256-byte modulus>` (the key part of EF 0004's body and of DF24).
UniqueEvpPkey keyFromParts(ByteView parts) {
    auto exponent = readTlv(parts);
    if (!exponent || exponent->tag != 0x90 || exponent->value.empty())
        return nullptr;
    auto modulus = readTlv(parts.subspan(exponent->encodedSize));
    if (!modulus || modulus->tag != 0x91 || modulus->value.size() != 256)
        return nullptr;
    return rsaKey(modulus->value, exponent->value);
}

// PKCS#1 v1.5 type-1 block whose payload must equal `payload` (DF28's non-standard DigestInfo).
bool verifyPayload(EVP_PKEY* key, ByteView payload, ByteView signature) {
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
        return false;
    Bytes recovered(static_cast<std::size_t>(EVP_PKEY_get_size(key)));
    std::size_t size = recovered.size();
    if (EVP_PKEY_verify_recover(ctx.get(), recovered.data(), &size, signature.data(),
                                signature.size()) != 1)
        return false;
    return size == payload.size() && std::equal(payload.begin(), payload.end(), recovered.begin());
}

constexpr std::array<std::uint8_t, 19> kFaceDigestInfoPrefix{
    0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60};
constexpr std::size_t kCvBodyBytes = 297;
constexpr std::size_t kKeyIdBytes = 16;

Failure<std::string> refused(std::string why) {
    return fail("card presence: " + std::move(why));
}

}  // namespace

Result<CardPresenceFacts, std::string> checkCardPresence(const CardPresenceInput& in,
                                                         EVP_PKEY* cvcaKey) {
    if (cvcaKey == nullptr)
        return refused("the service has no 券面AP CV-CA key");
    // EF 0004 (Errata 6): 7F21 { 5F4E <297-byte body>, 5F37 <256-byte signature> }, FF padding.
    auto outer = readTlv(in.cvCertificate);
    if (!outer || outer->tag != 0x7F21)
        return refused("EF 0004 is not a 7F21 certificate");
    auto body = readTlv(outer->value);
    if (!body || body->tag != 0x5F4E || body->value.size() != kCvBodyBytes)
        return refused("EF 0004 lacks its 297-byte 5F4E body");
    auto cvSignature = readTlv(outer->value.subspan(body->encodedSize));
    if (!cvSignature || cvSignature->tag != 0x5F37)
        return refused("EF 0004 lacks its 5F37 signature");
    if (!verifySha256Signature(cvcaKey, body->value, cvSignature->value))
        return refused("EF 0004 does not verify with the CV-CA key");
    UniqueEvpPkey issuerKey = keyFromParts(body->value.subspan(2 * kKeyIdBytes));
    if (!issuerKey)
        return refused("EF 0004 holds no RSA-2048 key");

    // DF28 over the three digests, the first of which covers DF22‖DF23‖DF24.
    if (in.signedDigests.size() != 96)
        return refused("the signed digests are not 96 bytes");
    Bytes payload(kFaceDigestInfoPrefix.begin(), kFaceDigestInfoPrefix.end());
    payload.insert(payload.end(), in.signedDigests.begin(), in.signedDigests.end());
    if (!verifyPayload(issuerKey.get(), payload, in.faceSignature))
        return refused("DF28 does not verify with the key in EF 0004");
    const Bytes fieldsDigest = sha256(in.signedFields);
    if (!std::equal(fieldsDigest.begin(), fieldsDigest.end(), in.signedDigests.begin()))
        return refused("the signed fields are not the ones DF28 covers");

    ByteView rest(in.signedFields);
    auto birth = readTlv(rest);
    if (!birth || birth->tag != 0xDF22 || birth->value.size() != 8)
        return refused("DF22 (birth date) missing");
    rest = rest.subspan(birth->encodedSize);
    auto sex = readTlv(rest);
    if (!sex || sex->tag != 0xDF23)
        return refused("DF23 (sex) missing");
    rest = rest.subspan(sex->encodedSize);
    auto cardKeyTlv = readTlv(rest);
    if (!cardKeyTlv || cardKeyTlv->tag != 0xDF24 || cardKeyTlv->encodedSize != rest.size())
        return refused("DF24 (card key) missing or followed by other data");
    UniqueEvpPkey cardKey = keyFromParts(cardKeyTlv->value);
    if (!cardKey)
        return refused("DF24 is not an RSA-2048 key");

    if (in.cardNonce.empty() || in.cardNonce.size() > 64)
        return refused("the card nonce is missing");
    Bytes message(kCardPresenceLabel.begin(), kCardPresenceLabel.end());
    message.push_back(0x00);
    message.insert(message.end(), in.challenge.begin(), in.challenge.end());
    message.insert(message.end(), in.cardNonce.begin(), in.cardNonce.end());
    if (!verifySha256Signature(cardKey.get(), message, in.answer))
        return refused("the card's answer does not verify with DF24 (not this card, or not now)");
    return CardPresenceFacts{std::string(birth->value.begin(), birth->value.end())};
}

}  // namespace uketsuke::sim
