// 券面AP CV certificate (EF 0004): parsing and verification with the CV-CA key.
#include "card/cv_certificate.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

RsaPublicKey keyOf(EVP_PKEY* k) {
    return *RsaPublicKey::fromPem(test::publicKeyPem(k));
}

// A certificate built like the sim's parses into its fields.
TEST(CvCertificate, ParsesFields) {
    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    auto c = parseCvCertificate(file);
    ASSERT_TRUE(c.ok()) << c.error().toString();
    EXPECT_EQ(c->profile, 0);
    EXPECT_EQ(c->car, "6000023");
    EXPECT_EQ(c->chr, "KENMEN-ISSUER");
    EXPECT_EQ(c->modulus, test::modulusOf(test::sharedKey(1)));
    EXPECT_EQ(c->signature.size(), 256u);
    EXPECT_EQ(c->bodyTlv[0], 0x5F);
    EXPECT_EQ(c->bodyTlv[1], 0x4E);
}

// It verifies with the CV-CA key and yields the certified key.
TEST(CvCertificate, VerifiesWithCvcaKey) {
    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    auto key = verifyCvCertificate(*parseCvCertificate(file), keyOf(test::sharedKey(0)));
    ASSERT_TRUE(key.ok()) << key.error().toString();
    EXPECT_EQ(key->bits(), 2048);
    const Bytes msg = bytesOf("hello");
    EXPECT_TRUE(key->verifySha256(msg, test::signSha256(test::sharedKey(1), msg)));
}

// Another CA key, or a flipped body byte, fails with cv-certificate-invalid.
TEST(CvCertificate, WrongKeyOrTamperedBodyFails) {
    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    auto wrongKey = verifyCvCertificate(*parseCvCertificate(file), keyOf(test::sharedKey(2)));
    ASSERT_FALSE(wrongKey.ok());
    EXPECT_EQ(wrongKey.error().code, CardErrorCode::kCvCertificateInvalid);

    Bytes tampered = file;
    tampered[40] ^= 0x01;  // inside the CHR
    auto parsed = parseCvCertificate(tampered);
    ASSERT_TRUE(parsed.ok());
    EXPECT_FALSE(verifyCvCertificate(*parsed, keyOf(test::sharedKey(0))).ok());
}

// Garbage, a wrong outer tag and missing parts are typed errors.
TEST(CvCertificate, MalformedInputs) {
    EXPECT_FALSE(parseCvCertificate(Bytes{}).ok());
    EXPECT_FALSE(parseCvCertificate(Bytes(100, 0xFF)).ok());
    auto wrongTag = parseCvCertificate(test::tlv(0x7F22, Bytes(10, 0)));
    ASSERT_FALSE(wrongTag.ok());
    EXPECT_EQ(wrongTag.error().code, CardErrorCode::kCvCertificateInvalid);
    auto noSignature = parseCvCertificate(test::tlv(0x7F21, test::tlv(0x5F4E, Bytes(5, 0))));
    ASSERT_FALSE(noSignature.ok());
    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    for (std::size_t n : {std::size_t{3}, std::size_t{50}, file.size() - 1}) {
        EXPECT_FALSE(parseCvCertificate(ByteView(file).first(n)).ok()) << n;
    }
}

}  // namespace
}  // namespace uketsuke::card
