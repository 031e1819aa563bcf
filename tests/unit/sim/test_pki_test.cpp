// The build-time test PKI and persona media (sim/pki/make_pki.py, uketsuke-persona-media).
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "sim/sim_crypto.h"
#include "sim_test_support.h"

namespace uketsuke::sim::test {
namespace {

X509* loadCert(const std::filesystem::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    X509* cert = f ? PEM_read_X509(f, nullptr, nullptr, nullptr) : nullptr;
    if (f)
        std::fclose(f);
    return cert;
}

X509_CRL* loadCrl(const std::filesystem::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    X509_CRL* crl = f ? PEM_read_X509_CRL(f, nullptr, nullptr, nullptr) : nullptr;
    if (f)
        std::fclose(f);
    return crl;
}

// Verifies a persona's auth certificate against root + issuer, with the CRL.
int verifyAuth(const std::string& id) {
    X509_STORE* store = X509_STORE_new();
    X509* root = loadCert(pkiDir() / "jpki-auth-root.pem");
    X509* ca = loadCert(pkiDir() / "jpki-auth-ca.pem");
    X509* leaf = loadCert(pkiDir() / "personas" / id / "auth.pem");
    X509_CRL* crl = loadCrl(pkiDir() / "jpki-auth-ca.crl.pem");
    EXPECT_TRUE(root && ca && leaf && crl);
    X509_STORE_add_cert(store, root);
    X509_STORE_add_crl(store, crl);
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    const int ok = X509_verify_cert(ctx);
    const int err = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_free(leaf);
    X509_free(ca);
    X509_free(root);
    X509_CRL_free(crl);
    X509_STORE_free(store);
    return err;
}

// Days from now to the certificate's notAfter (negative when expired).
int daysToExpiry(const std::string& id) {
    X509* cert = loadCert(pkiDir() / "personas" / id / "auth.pem");
    int days = 0, seconds = 0;
    ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert));
    X509_free(cert);
    return days;
}

// Normal auth certificates chain to the root through the issuer; the revoked one is on the CRL.
TEST(TestPki, ChainAndRevocation) {
    EXPECT_EQ(verifyAuth("normal"), X509_V_OK);
    EXPECT_EQ(verifyAuth("renewal-due"), X509_V_OK);
    EXPECT_EQ(verifyAuth("revoked"), X509_V_ERR_CERT_REVOKED);
    EXPECT_EQ(verifyAuth("expired-cert"), X509_V_ERR_CERT_HAS_EXPIRED);
}

// Validity is relative to generation: expired beyond grace, within grace, renewal due.
TEST(TestPki, ValidityWindows) {
    EXPECT_LT(daysToExpiry("expired-cert"), -120);
    EXPECT_GT(daysToExpiry("expired-grace"), -60);
    EXPECT_LT(daysToExpiry("expired-grace"), 0);
    EXPECT_GT(daysToExpiry("renewal-due"), 0);
    EXPECT_LT(daysToExpiry("renewal-due"), 90);
    EXPECT_GT(daysToExpiry("normal"), 365);
}

// Auth certificates look like JPKI's: subject C=JP + CN only, KeyUsage critical digitalSignature.
TEST(TestPki, AuthCertificateProfile) {
    X509* cert = loadCert(pkiDir() / "personas/normal/auth.pem");
    ASSERT_NE(cert, nullptr);
    const X509_NAME* subject = X509_get_subject_name(cert);
    EXPECT_EQ(X509_NAME_entry_count(subject), 2);
    EXPECT_GE(X509_NAME_get_index_by_NID(subject, NID_commonName, -1), 0);
    int critical = 0;
    auto* usage =
        static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(cert, NID_key_usage, &critical, nullptr));
    ASSERT_NE(usage, nullptr);
    EXPECT_EQ(critical, 1);
    EXPECT_EQ(X509_get_key_usage(cert), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(cert)), 2048);
    ASN1_BIT_STRING_free(usage);
    X509_free(cert);
    char root[512];
    X509* rootCert = loadCert(pkiDir() / "jpki-auth-root.pem");
    X509_NAME_oneline(X509_get_subject_name(rootCert), root, sizeof root);
    EXPECT_STREQ(root,
                 "/C=JP/O=JPKI-TEST/OU=JPKI for user authentication/OU=Japan Agency for Local "
                 "Authority Information Systems");
    X509_free(rootCert);
}

// Chip photos are small greyscale JPEG 2000 files; every My Number persona has its own.
TEST(PersonaMedia, ChipPhotosAreSmallJp2) {
    const Bytes magic = hex("00 00 00 0C 6A 50 20 20 0D 0A 87 0A");
    std::set<std::string> photos;  // hex: GCC 12 warns on set<vector> compares
    for (const char* id : {"normal", "normal-2", "normal-3", "pin-locked", "face-auth"}) {
        auto jp2 = readFileBytes(pkiDir() / "personas" / id / "photo.jp2");
        ASSERT_TRUE(jp2.ok()) << id;
        EXPECT_TRUE(std::equal(magic.begin(), magic.end(), jp2.value().begin())) << id;
        EXPECT_LT(jp2.value().size(), 12000u) << id;
        EXPECT_GT(jp2.value().size(), 1500u) << id;
        photos.insert(toHex(jp2.value(), false));
        EXPECT_TRUE(std::filesystem::exists(pkiDir() / "personas" / id / "photo-source.png"));
    }
    EXPECT_EQ(photos.size(), 5u);
}

// No private key of the test PKI lives in the source tree.
TEST(TestPki, NoPrivateKeyInSourceTree) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(UKETSUKE_SOURCE_DIR) / "sim")) {
        if (!entry.is_regular_file())
            continue;
        auto bytes = readFileBytes(entry.path());
        ASSERT_TRUE(bytes.ok());
        const std::string text(bytes.value().begin(), bytes.value().end());
        EXPECT_EQ(text.find("-----BEGIN "
                            "PRIVATE KEY-----"),
                  std::string::npos)
            << entry.path();
        EXPECT_EQ(text.find("-----BEGIN RSA "
                            "PRIVATE KEY-----"),
                  std::string::npos)
            << entry.path();
    }
}

}  // namespace
}  // namespace uketsuke::sim::test
