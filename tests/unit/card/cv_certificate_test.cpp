// 券面AP CV certificate (EF 0004, reference Errata 6): parsing and verification with the CV-CA
// key, on certificates made here and on the golden files of an independent encoder
// (../shared/golden/card/, skipped with a message where absent).
#include "card/cv_certificate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "card/kenmen_ap.h"
#include "card_test_support.h"

namespace uketsuke::card {
namespace {

namespace fs = std::filesystem;

RsaPublicKey keyOf(EVP_PKEY* k) {
    return *RsaPublicKey::fromPem(test::publicKeyPem(k));
}

// A certificate in the Errata 6 layout parses into its fields.
TEST(CvCertificate, ParsesFixedLayout) {
    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    auto c = parseCvCertificate(file);
    ASSERT_TRUE(c.ok()) << c.error().toString();
    EXPECT_EQ(cvKeyIdText(c->signerKeyId), "6000023");
    EXPECT_EQ(cvKeyIdText(c->certifiedKeyId), "KENMEN-ISSUER");
    EXPECT_EQ(c->modulus, test::modulusOf(test::sharedKey(1)));
    EXPECT_EQ(c->exponent, (Bytes{0x01, 0x00, 0x01}));
    EXPECT_EQ(c->body.size(), kCvBodyBytes);
    EXPECT_EQ(c->signature.size(), kCvSignatureBytes);
}

// Trailing FF padding (the physical file is longer than the TLV) is accepted.
TEST(CvCertificate, AcceptsPadding) {
    Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    file.resize(768, 0xFF);
    EXPECT_TRUE(parseCvCertificate(file).ok());
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
    tampered[30] ^= 0x01;  // inside the certified key ID
    auto parsed = parseCvCertificate(tampered);
    ASSERT_TRUE(parsed.ok());
    auto r = verifyCvCertificate(*parsed, keyOf(test::sharedKey(0)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCvCertificateInvalid);
}

// A signature over the whole 5F4E TLV (the first wave's assumption) is not the card's scheme.
TEST(CvCertificate, SignatureOverWholeTlvIsRefused) {
    const Bytes good = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    auto c = *parseCvCertificate(good);
    const Bytes bodyTlv = test::tlv(0x5F4E, c.body);
    const Bytes wrong = test::tlv(
        0x7F21,
        test::concat({bodyTlv, test::tlv(0x5F37, test::signSha256(test::sharedKey(0), bodyTlv))}));
    auto parsed = parseCvCertificate(wrong);
    ASSERT_TRUE(parsed.ok());
    auto r = verifyCvCertificate(*parsed, keyOf(test::sharedKey(0)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCvCertificateInvalid);
}

// Garbage, a TR-03110 layout, wrong lengths and wrong fixed bytes: all cv-certificate-invalid.
TEST(CvCertificate, MalformedInputsAreCvCertificateInvalid) {
    auto expectInvalid = [](ByteView in, const char* what) {
        auto r = parseCvCertificate(in);
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().code, CardErrorCode::kCvCertificateInvalid) << what;
    };
    expectInvalid(Bytes{}, "empty");
    expectInvalid(Bytes(100, 0xFF), "padding only");
    expectInvalid(test::tlv(0x7F22, Bytes(10, 0)), "wrong outer tag");
    expectInvalid(test::tlv(0x7F21, test::tlv(0x5F4E, Bytes(297, 0))), "no signature");
    // TR-03110 style body (profile, CAR, CHR, 7F49 key): what real cards do not carry.
    const Bytes tr03110 = test::concat(
        {test::tlv(0x5F29, Bytes{0x00}), test::tlv(0x42, Bytes(16, '6')),
         test::tlv(0x5F20, Bytes(16, 'K')),
         test::tlv(0x7F49, test::concat({test::tlv(0x81, test::modulusOf(test::sharedKey(1))),
                                         test::tlv(0x82, Bytes{0x01, 0x00, 0x01})}))});
    expectInvalid(test::tlv(0x7F21, test::concat({test::tlv(0x5F4E, tr03110),
                                                  test::tlv(0x5F37, Bytes(256, 1))})),
                  "TR-03110 layout");

    const Bytes file = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    for (std::size_t n : {std::size_t{3}, std::size_t{50}, file.size() - 1}) {
        expectInvalid(ByteView(file).first(n), "truncated");
    }
    Bytes badExponentTag = file;
    badExponentTag[10 + 32] = 0x92;  // 7F21 82 02 33 5F4E 82 01 29 = 10 header bytes
    expectInvalid(badExponentTag, "exponent tag");
    Bytes badModulusHeader = file;
    badModulusHeader[10 + 37 + 3] = 0x01;  // 91 82 01 00 -> 91 82 01 01
    expectInvalid(badModulusHeader, "modulus length");
}

// ---- golden files of an independent encoder ------------------------------------------------

fs::path goldenDir() {
    return fs::path(UKETSUKE_SHARED_DIR) / "golden" / "card";
}

Bytes readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

class GoldenCard : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(goldenDir() / "ef0004.bin")) {
            GTEST_SKIP() << "golden card files absent (" << goldenDir()
                         << "): ../shared is not laid beside this checkout";
        }
        auto key = RsaPublicKey::fromPemFile(goldenDir() / "cvca.pub.pem");
        ASSERT_TRUE(key.ok()) << key.error().toString();
        cvca_.emplace(std::move(key).takeValue());
    }
    std::optional<RsaPublicKey> cvca_;
};

TEST_F(GoldenCard, CvCertificateVerifies) {
    auto cv = parseCvCertificate(readFile(goldenDir() / "ef0004.bin"));
    ASSERT_TRUE(cv.ok()) << cv.error().toString();
    EXPECT_EQ(cvKeyIdText(cv->signerKeyId), "6000023");
    auto issuer = verifyCvCertificate(*cv, *cvca_);
    ASSERT_TRUE(issuer.ok()) << issuer.error().toString();
    EXPECT_EQ(issuer->bits(), 2048);
}

TEST_F(GoldenCard, BadCvSignatureIsCvCertificateInvalid) {
    auto cv = parseCvCertificate(readFile(goldenDir() / "ef0004-badsig.bin"));
    ASSERT_TRUE(cv.ok()) << cv.error().toString();
    auto issuer = verifyCvCertificate(*cv, *cvca_);
    ASSERT_FALSE(issuer.ok());
    EXPECT_EQ(issuer.error().code, CardErrorCode::kCvCertificateInvalid);
}

TEST_F(GoldenCard, PhotoSignatureVerifiesWithCertifiedKey) {
    auto issuer =
        verifyCvCertificate(*parseCvCertificate(readFile(goldenDir() / "ef0004.bin")), *cvca_);
    ASSERT_TRUE(issuer.ok()) << issuer.error().toString();
    auto face = parseCardFace(readFile(goldenDir() / "ef0002.bin"));
    ASSERT_TRUE(face.ok()) << face.error().toString();
    EXPECT_EQ(face->birthDate, "19800217");
    EXPECT_GT(face->photoJp2.size(), 0u);
    auto s = verifyPhotoSignature(*face, *issuer);
    EXPECT_TRUE(s.ok()) << s.error().toString();
}

TEST_F(GoldenCard, TamperedPhotoIsPhotoSignatureInvalid) {
    auto issuer =
        verifyCvCertificate(*parseCvCertificate(readFile(goldenDir() / "ef0004.bin")), *cvca_);
    ASSERT_TRUE(issuer.ok());
    auto face = parseCardFace(readFile(goldenDir() / "ef0002-tampered.bin"));
    ASSERT_TRUE(face.ok()) << face.error().toString();
    auto s = verifyPhotoSignature(*face, *issuer);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, CardErrorCode::kPhotoSignatureInvalid);
}

}  // namespace
}  // namespace uketsuke::card
