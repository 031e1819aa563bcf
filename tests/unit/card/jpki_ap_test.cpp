// JPKI-AP flows against the virtual card (SimCard): label, availability, certificates,
// counter-first PIN policy, signatures that verify with the certificate's key.
#include "card/jpki_ap.h"

#include <gtest/gtest.h>

#include "card/certificate.h"
#include "card_test_support.h"

namespace uketsuke::card {
namespace {

using namespace std::chrono;

class JpkiApTest : public ::testing::Test {
  protected:
    void SetUp() override {
        test::CertSpec spec;
        spec.notBefore = system_clock::now() - days{10};
        spec.notAfter = system_clock::now() + days{1000};
        fake.authCert = test::makeCertificate(spec, test::sharedKey(2), test::sharedKey(1));
        fake.authCaCert = test::makeCertificate(spec, test::sharedKey(1), test::sharedKey(1));
        fake.authKey = test::sharedKey(2);
        ASSERT_TRUE(jpki.select().ok());
    }
    test::SimCard fake;
    Iso7816 iso{fake};
    JpkiAp jpki{iso};
};

// Label, availability and both certificates read without any credential.
TEST_F(JpkiApTest, ReadsPublicObjects) {
    EXPECT_EQ(*jpki.readTokenLabel(), "JPKIAPICCTOKEN2");
    auto a = jpki.readCertificateAvailability();
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(a->signingCertificate);
    EXPECT_TRUE(a->authCertificate);
    EXPECT_EQ(*jpki.readAuthCertificate(), fake.authCert);
    EXPECT_EQ(*jpki.readAuthCaCertificate(), fake.authCaCert);
}

// Querying the counter repeatedly never changes it.
TEST_F(JpkiApTest, QueryDoesNotConsumeTries) {
    for (int i = 0; i < 5; ++i) {
        auto c = jpki.queryAuthPinRetries();
        ASSERT_TRUE(c.ok());
        EXPECT_EQ(c->triesLeft, 3);
    }
    EXPECT_EQ(fake.authPinTries, 3);
}

// A wrong PIN costs one try and reports the tries left; the right one then works and signs.
TEST_F(JpkiApTest, VerifyWrongThenRightThenSign) {
    auto wrong = jpki.verifyAuthPin(SecretBytes("9999"));
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(wrong.error().triesLeft, 2);
    EXPECT_EQ(fake.authPinTries, 2);
    ASSERT_TRUE(jpki.verifyAuthPin(SecretBytes("1234")).ok());

    const Bytes message = bytesOf("service challenge");
    auto sig = jpki.signAuthDigest(sha256(message));
    ASSERT_TRUE(sig.ok()) << sig.error().toString();
    auto cert = Certificate::fromDer(fake.authCert);
    ASSERT_TRUE(cert.ok());
    EXPECT_TRUE(cert->verifySignature(message, *sig));
}

// Every VERIFY is preceded by a counter query on EF 0018.
TEST_F(JpkiApTest, QueriesBeforeEveryVerify) {
    ScriptedChannel ch;
    ch.push(Bytes{}, 0x9000);  // SELECT 0018
    ch.push(Bytes{}, 0x63C3);  // query
    ch.push(Bytes{}, 0x9000);  // VERIFY
    Iso7816 iso2(ch);
    JpkiAp j(iso2);
    ASSERT_TRUE(j.verifyAuthPin(SecretBytes("1234")).ok());
    ASSERT_EQ(ch.commands().size(), 3u);
    EXPECT_EQ(toHex(ch.commands()[0]), "00 A4 02 0C 02 00 18");
    EXPECT_EQ(toHex(ch.commands()[1]), "00 20 00 80");
    EXPECT_EQ(ch.commands()[2].size(), 9u);
}

// At one try left the VERIFY is refused unless the last try is confirmed; nothing is sent.
TEST_F(JpkiApTest, RefusesLastTryWithoutConfirmation) {
    fake.authPinTries = 1;
    const int before = fake.apdus;
    auto r = jpki.verifyAuthPin(SecretBytes("9999"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kTriesTooLow);
    EXPECT_EQ(r.error().triesLeft, 1);
    EXPECT_EQ(fake.authPinTries, 1);
    EXPECT_EQ(fake.apdus, before + 2);  // SELECT + query, no VERIFY

    auto confirmed = jpki.verifyAuthPin(SecretBytes("1234"), LastTry::kConfirmed);
    EXPECT_TRUE(confirmed.ok());
}

// The third wrong PIN locks; afterwards the query says blocked and no VERIFY is sent.
TEST_F(JpkiApTest, ThirdWrongPinLocks) {
    EXPECT_FALSE(jpki.verifyAuthPin(SecretBytes("0001")).ok());
    EXPECT_FALSE(jpki.verifyAuthPin(SecretBytes("0002")).ok());
    auto last = jpki.verifyAuthPin(SecretBytes("0003"), LastTry::kConfirmed);
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.error().code, CardErrorCode::kBlocked);
    EXPECT_EQ(fake.authPinTries, 0);
    auto after = jpki.verifyAuthPin(SecretBytes("1234"), LastTry::kConfirmed);
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, CardErrorCode::kBlocked);
    EXPECT_TRUE(jpki.queryAuthPinRetries()->blocked());
}

// PINs that are not exactly four ASCII digits never reach the card.
TEST_F(JpkiApTest, PinFormatCheckedBeforeSending) {
    const int before = fake.apdus;
    for (const char* bad : {"123", "12345", "12a4", "", "１２３４"}) {
        auto r = jpki.verifyAuthPin(SecretBytes(bad));
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, CardErrorCode::kInvalidInput);
    }
    EXPECT_EQ(fake.apdus, before);
}

// Signing without a verified PIN is security-status-not-satisfied; a bad digest size is refused.
TEST_F(JpkiApTest, SignNeedsPinAndSha256Digest) {
    auto r = jpki.signAuthDigest(sha256(bytesOf("x")));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kSecurityStatusNotSatisfied);
    EXPECT_EQ(jpki.signAuthDigest(Bytes(20, 0)).error().code, CardErrorCode::kInvalidInput);
}

// A face card (query answers 6984 / 6300) never gets a VERIFY.
TEST_F(JpkiApTest, NoVerifyOnBlockedOrCounterlessPin) {
    for (std::uint16_t sw : {0x6984, 0x6300}) {
        fake.authPinQueryOverride = sw;
        auto r = jpki.verifyAuthPin(SecretBytes("1234"), LastTry::kConfirmed);
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().code, CardErrorCode::kWrongCredential);
    }
}

// Not a My Number Card: SELECT of the JPKI AID answers 6A82.
TEST(JpkiAp, SelectOnOtherCard) {
    test::SimCard other;
    other.hasJpki = false;
    Iso7816 iso(other);
    JpkiAp jpki(iso);
    auto r = jpki.select();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kNotAMyNumberCard);
}

}  // namespace
}  // namespace uketsuke::card
