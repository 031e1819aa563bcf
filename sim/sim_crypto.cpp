// OpenSSL 3 EVP helpers for the virtual card (see sim_crypto.h).
#include "sim/sim_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <iterator>

namespace uketsuke::sim {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
struct CtxDeleter {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    void operator()(X509* c) const { X509_free(c); }
    void operator()(BIGNUM* b) const { BN_free(b); }
};

}  // namespace

Result<Bytes, SimFailure> readFileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(SimFailure{SimError::kFileMissing, file.string()});
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<PrivateKey, SimFailure> loadPrivateKey(const std::filesystem::path& pemFile) {
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(pemFile.c_str(), "rb"));
    if (!f)
        return fail(SimFailure{SimError::kFileMissing, pemFile.string()});
    EVP_PKEY* key = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return fail(SimFailure{SimError::kBadKey, pemFile.string() + " is not an RSA private key"});
    }
    return PrivateKey(key, EVP_PKEY_free);
}

Result<Bytes, SimFailure> loadCertificateDer(const std::filesystem::path& pemFile) {
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(pemFile.c_str(), "rb"));
    if (!f)
        return fail(SimFailure{SimError::kFileMissing, pemFile.string()});
    std::unique_ptr<X509, CtxDeleter> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return fail(SimFailure{SimError::kBadCertificate, pemFile.string()});
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert.get(), &der);
    if (len <= 0)
        return fail(SimFailure{SimError::kBadCertificate, pemFile.string()});
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Bytes rsaModulus(const EVP_PKEY& key) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_N, &raw) != 1)
        return {};
    std::unique_ptr<BIGNUM, CtxDeleter> n(raw);
    Bytes out(static_cast<std::size_t>(EVP_PKEY_get_size(&key)));
    if (BN_bn2binpad(n.get(), out.data(), static_cast<int>(out.size())) < 0)
        return {};
    return out;
}

Bytes rsaPublicExponent(const EVP_PKEY& key) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_E, &raw) != 1)
        return {};
    std::unique_ptr<BIGNUM, CtxDeleter> e(raw);
    Bytes out(static_cast<std::size_t>(BN_num_bytes(e.get())));
    if (BN_bn2bin(e.get(), out.data()) < 0)
        return {};
    return out;
}

Bytes signPkcs1Raw(const EVP_PKEY& key, ByteView digestInfo) {
    // EVP_PKEY_sign without a message digest set pads exactly the given bytes (type 1).
    std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(
        EVP_PKEY_CTX_new(const_cast<EVP_PKEY*>(&key), nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
        return {};
    std::size_t len = 0;
    if (EVP_PKEY_sign(ctx.get(), nullptr, &len, digestInfo.data(), digestInfo.size()) != 1)
        return {};
    Bytes sig(len);
    if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digestInfo.data(), digestInfo.size()) != 1)
        return {};
    sig.resize(len);
    return sig;
}

Bytes signSha256(const EVP_PKEY& key, ByteView message) {
    std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                                   const_cast<EVP_PKEY*>(&key)) != 1)
        return {};
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1)
        return {};
    Bytes sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1)
        return {};
    sig.resize(len);
    return sig;
}

}  // namespace uketsuke::sim
