// Small RAII and encoding helpers around OpenSSL 3 used by the reference qualification service.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/bytes.h"
#include "uketsuke/encoding.h"

namespace uketsuke::sim {

struct X509Deleter {
    void operator()(X509* p) const { X509_free(p); }
};
struct X509CrlDeleter {
    void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
struct EvpPkeyDeleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using UniqueX509 = std::unique_ptr<X509, X509Deleter>;
using UniqueX509Crl = std::unique_ptr<X509_CRL, X509CrlDeleter>;
using UniqueEvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

using uketsuke::base64Decode;
using uketsuke::base64Encode;
using uketsuke::sha256;

UniqueX509 loadCertificatePem(const std::string& path);
UniqueEvpPkey loadPublicKeyPem(const std::string& path);
UniqueX509 parseCertificateDer(ByteView der);
Bytes certificateDer(X509* cert);

// Verifies a signature made with SHA-256 (RSA PKCS#1 v1.5 or ECDSA, as the key dictates).
bool verifySha256Signature(EVP_PKEY* key, ByteView message, ByteView signature);

// Unix time of an ASN1_TIME; nullopt when it cannot be converted.
std::optional<std::time_t> asn1TimeToUnix(const ASN1_TIME* t);

}  // namespace uketsuke::sim
