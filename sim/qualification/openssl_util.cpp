// RAII and encoding helpers around OpenSSL 3 for the reference qualification service.
#include "sim/qualification/openssl_util.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstdio>

namespace uketsuke::sim {

UniqueEvpPkey loadPublicKeyPem(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return nullptr;
    UniqueEvpPkey key(PEM_read_PUBKEY(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return key;
}

UniqueX509 loadCertificatePem(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return nullptr;
    UniqueX509 cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return cert;
}

UniqueX509 parseCertificateDer(ByteView der) {
    const unsigned char* p = der.data();
    UniqueX509 cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    // Trailing bytes after the certificate are refused: the DER must be exactly one certificate.
    if (cert && p != der.data() + der.size())
        return nullptr;
    return cert;
}

Bytes certificateDer(X509* cert) {
    unsigned char* buf = nullptr;
    const int n = i2d_X509(cert, &buf);
    if (n <= 0)
        return {};
    Bytes out(buf, buf + n);
    OPENSSL_free(buf);
    return out;
}

bool verifySha256Signature(EVP_PKEY* key, ByteView message, ByteView signature) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr)
        return false;
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(),
                               message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

std::optional<std::time_t> asn1TimeToUnix(const ASN1_TIME* t) {
    struct tm tm {};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1)
        return std::nullopt;
    return timegm(&tm);
}

}  // namespace uketsuke::sim
