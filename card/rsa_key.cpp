// RSA verification with OpenSSL 3 (see rsa_key.h).
#include "card/rsa_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fstream>
#include <iterator>

namespace uketsuke::card {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

}  // namespace

Bytes sha256(ByteView data) {
    Bytes out(32);
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
    return out;
}

CardResult<Bytes> sha256DigestInfo(ByteView digest) {
    if (digest.size() != 32)
        return cardFail(CardErrorCode::kInvalidInput, "SHA-256 digest size");
    Bytes out(std::begin(kSha256DigestInfoPrefix), std::end(kSha256DigestInfoPrefix));
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

CardResult<RsaPublicKey> RsaPublicKey::fromModulusExponent(ByteView modulus, ByteView exponent) {
    if (modulus.empty() || modulus.size() > 1024 || exponent.empty() || exponent.size() > 8) {
        return cardFail(CardErrorCode::kMalformedTlv, "RSA key component size");
    }
    BnPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    BnPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
    if (!n || !e)
        return cardFail(CardErrorCode::kCrypto, "BN_bin2bn");
    // A key OpenSSL would accept but that cannot verify anything real (even modulus, tiny
    // exponent) is still a key: the signature check then fails, which is the right outcome.
    if (BN_is_zero(n.get()) || BN_is_zero(e.get()) || BN_num_bits(n.get()) < 512) {
        return cardFail(CardErrorCode::kMalformedTlv, "RSA modulus or exponent invalid");
    }
    BldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
        return cardFail(CardErrorCode::kCrypto, "OSSL_PARAM_BLD");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        return cardFail(CardErrorCode::kMalformedTlv, "RSA key rejected by OpenSSL");
    }
    return RsaPublicKey(key);
}

CardResult<RsaPublicKey> RsaPublicKey::fromPem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return cardFail(CardErrorCode::kCrypto, "BIO_new_mem_buf");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!key)
        return cardFail(CardErrorCode::kConfiguration, "not a PEM public key");
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return cardFail(CardErrorCode::kConfiguration, "PEM public key is not RSA");
    }
    return RsaPublicKey(key);
}

CardResult<RsaPublicKey> RsaPublicKey::fromPemFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return cardFail(CardErrorCode::kConfiguration, "cannot read " + file.string());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto key = fromPem(text);
    if (!key)
        return cardFail(CardErrorCode::kConfiguration, file.string() + ": " + key.error().context);
    return key;
}

CardResult<RsaPublicKey> RsaPublicKey::fromEvp(EVP_PKEY* key) {
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        return cardFail(CardErrorCode::kMalformedCertificate, "not an RSA key");
    }
    EVP_PKEY_up_ref(key);
    return RsaPublicKey(key);
}

bool RsaPublicKey::verifySha256(ByteView message, ByteView signature) const {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx)
        return false;
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key_.get()) <= 0) {
        return false;
    }
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
        return false;
    return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                            message.size()) == 1;
}

bool RsaPublicKey::verifyPayload(ByteView payload, ByteView signature) const {
    if (static_cast<int>(signature.size()) != EVP_PKEY_get_size(key_.get()))
        return false;
    CtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
    if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0) {
        return false;
    }
    // Recover the PKCS#1 type-1 payload and compare it whole (no signature digest is set, so
    // OpenSSL neither parses nor hashes it).
    Bytes recovered(signature.size());
    std::size_t len = recovered.size();
    if (EVP_PKEY_verify_recover(ctx.get(), recovered.data(), &len, signature.data(),
                                signature.size()) <= 0) {
        return false;
    }
    recovered.resize(len);
    return recovered.size() == payload.size() &&
           CRYPTO_memcmp(recovered.data(), payload.data(), payload.size()) == 0;
}

int RsaPublicKey::bits() const {
    return EVP_PKEY_get_bits(key_.get());
}

}  // namespace uketsuke::card
