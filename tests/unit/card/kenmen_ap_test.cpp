// 券面AP flows against the virtual card (SimCard): 照合番号B policy, card face via DF21, DF28 per
// Errata 1, CV certificate, internal authentication.
#include "card/kenmen_ap.h"

#include <gtest/gtest.h>

#include "card/cv_certificate.h"
#include "card_test_support.h"

namespace uketsuke::card {
namespace {

constexpr const char* kB = "55021720352285";

class KenmenApTest : public ::testing::Test {
  protected:
    void SetUp() override {
        // key 0 = CV-CA, key 1 = 券面 issuer (certified in EF 0004), key 2 = card key DF24.
        fake.cardFace =
            test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(2), 6000);
        fake.cvCertificate = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
        fake.cardKey = test::sharedKey(2);
        ASSERT_TRUE(kenmen.select().ok());
    }
    RsaPublicKey issuerKey() {
        auto cv = parseCvCertificate(fake.cvCertificate);
        return *verifyCvCertificate(*cv,
                                    *RsaPublicKey::fromPem(test::publicKeyPem(test::sharedKey(0))));
    }
    test::SimCard fake;
    Iso7816 iso{fake};
    KenmenAp kenmen{iso};
};

// The whole flow: VERIFY B, card face, CV certificate, DF28, internal authentication.
TEST_F(KenmenApTest, VerifiedPhotoFlow) {
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_TRUE(face.ok()) << face.error().toString();
    EXPECT_EQ(face->birthDate, "19800217");
    EXPECT_EQ(face->expiryDate, "20350217");
    EXPECT_EQ(face->sex, "2");
    EXPECT_EQ(face->photoJp2, test::minimalJp2());
    EXPECT_EQ(face->cardKeyModulus, test::modulusOf(test::sharedKey(2)));
    EXPECT_TRUE(verifyPhotoSignature(*face, issuerKey()).ok());
    EXPECT_TRUE(kenmen.internalAuthenticate(*face).ok());
}

// Reading the face before VERIFY is security-status-not-satisfied.
TEST_F(KenmenApTest, FaceNeedsVerification) {
    auto face = kenmen.readCardFace();
    ASSERT_FALSE(face.ok());
    EXPECT_EQ(face.error().code, CardErrorCode::kSecurityStatusNotSatisfied);
}

// A wrong 照合番号B costs exactly one try and reports the tries left.
TEST_F(KenmenApTest, WrongCodeCostsOneTry) {
    auto r = kenmen.verifyVerificationNumberB(SecretBytes("55021720350000"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(r.error().triesLeft, 9);
    EXPECT_EQ(fake.bTries, 9);
    EXPECT_EQ(kenmen.queryVerificationNumberBRetries()->triesLeft, 9);
}

// At the floor the VERIFY is refused without being sent; blocked is refused too.
TEST_F(KenmenApTest, FloorAndBlocked) {
    fake.bTries = 1;
    auto low = kenmen.verifyVerificationNumberB(SecretBytes(kB));
    ASSERT_FALSE(low.ok());
    EXPECT_EQ(low.error().code, CardErrorCode::kTriesTooLow);
    EXPECT_EQ(fake.bTries, 1);
    fake.bTries = 0;
    auto blocked = kenmen.verifyVerificationNumberB(SecretBytes(kB), LastTry::kConfirmed);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, CardErrorCode::kBlocked);

    KenmenAp strict(iso, KenmenOptions{5});
    fake.bTries = 5;
    EXPECT_EQ(strict.verifyVerificationNumberB(SecretBytes(kB)).error().code,
              CardErrorCode::kTriesTooLow);
}

// Codes that are not 14 ASCII digits never reach the card.
TEST_F(KenmenApTest, FormatCheckedBeforeSending) {
    const int before = fake.apdus;
    EXPECT_EQ(kenmen.verifyVerificationNumberB(SecretBytes("5502172035228")).error().code,
              CardErrorCode::kInvalidInput);
    EXPECT_EQ(kenmen.verifyVerificationNumberB(SecretBytes("5502172035228X")).error().code,
              CardErrorCode::kInvalidInput);
    EXPECT_EQ(fake.apdus, before);
}

// A corrupted DF28 fails the photo signature check.
TEST_F(KenmenApTest, BadPhotoSignature) {
    test::FaceSpec spec;
    spec.corruptSignature = true;
    fake.cardFace = test::makeCardFace(spec, test::sharedKey(1), test::sharedKey(2));
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_TRUE(face.ok());
    auto r = verifyPhotoSignature(*face, issuerKey());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kPhotoSignatureInvalid);
}

// DF28 signed with the card key DF24 (the pre-Errata reading) does not verify.
TEST_F(KenmenApTest, SignatureByCardKeyIsRejected) {
    fake.cardFace = test::makeCardFace(test::FaceSpec{}, test::sharedKey(2), test::sharedKey(2));
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_TRUE(face.ok());
    EXPECT_FALSE(verifyPhotoSignature(*face, issuerKey()).ok());
}

// A photo edited after signing (other JP2 bytes) fails the signature check.
TEST_F(KenmenApTest, EditedPhotoIsRejected) {
    Bytes edited = fake.cardFace;
    const Bytes jp2 = test::minimalJp2();
    auto pos = std::search(edited.begin(), edited.end(), jp2.begin(), jp2.end());
    ASSERT_NE(pos, edited.end());
    *(pos + static_cast<long>(jp2.size()) - 1) ^= 0x01;  // last codestream byte
    fake.cardFace = edited;
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_TRUE(face.ok());
    EXPECT_EQ(verifyPhotoSignature(*face, issuerKey()).error().code,
              CardErrorCode::kPhotoSignatureInvalid);
}

// A clone (DF24 public key copied, private key unknown) fails internal authentication.
TEST_F(KenmenApTest, CloneFailsInternalAuthentication) {
    fake.cardKey = test::sharedKey(3);
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_TRUE(face.ok());
    auto r = kenmen.internalAuthenticate(*face);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCloneSuspected);
}

// A corrupt JP2 inside DF27 is malformed-photo.
TEST_F(KenmenApTest, CorruptPhoto) {
    test::FaceSpec spec;
    spec.photo = Bytes(800, 0x00);
    fake.cardFace = test::makeCardFace(spec, test::sharedKey(1), test::sharedKey(2));
    ASSERT_TRUE(kenmen.verifyVerificationNumberB(SecretBytes(kB)).ok());
    auto face = kenmen.readCardFace();
    ASSERT_FALSE(face.ok());
    EXPECT_EQ(face.error().code, CardErrorCode::kMalformedPhoto);
}

// parseCardFace rejects offset tables that point outside FF20, backwards or at the wrong tag.
TEST(KenmenParse, BadOffsetTables) {
    const Bytes good = test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(2));
    ASSERT_TRUE(parseCardFace(good).ok());
    // DF21 value starts at 5 (FF 20 82 LL LL) + 3.
    for (std::size_t entry = 0; entry < 9; ++entry) {
        for (std::uint16_t bad : {std::uint16_t{0}, std::uint16_t{0xFFFF}, std::uint16_t{30}}) {
            Bytes b = good;
            b[8 + 2 * entry] = static_cast<std::uint8_t>(bad >> 8);
            b[8 + 2 * entry + 1] = static_cast<std::uint8_t>(bad);
            auto r = parseCardFace(b);
            ASSERT_FALSE(r.ok()) << entry << " " << bad;
            EXPECT_EQ(r.error().code, CardErrorCode::kMalformedTlv);
        }
    }
    for (std::size_t n : {std::size_t{0}, std::size_t{10}, good.size() / 2, good.size() - 1}) {
        EXPECT_FALSE(parseCardFace(ByteView(good).first(n)).ok()) << n;
    }
}

}  // namespace
}  // namespace uketsuke::card
