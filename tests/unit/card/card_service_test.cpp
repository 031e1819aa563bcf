// CardService over the virtual card (SimCard): info, certificate check, verified photo and its
// failures, configuration errors that must not cost a try.
#include "card/card_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

using namespace std::chrono;

class CardServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        test::CertSpec root;
        root.isCa = true;
        root.subjectCn = "Root";
        root.subjectO = "JPKI-TEST";
        root.notBefore = system_clock::now() - days{1000};
        root.notAfter = system_clock::now() + days{5000};
        const Bytes rootDer = test::makeCertificate(root, test::sharedKey(0), test::sharedKey(0));
        test::CertSpec ca = root;
        ca.subjectCn = "Auth CA";
        fake.authCaCert =
            test::makeCertificate(ca, test::sharedKey(1), test::sharedKey(0), rootDer);
        test::CertSpec leaf;
        leaf.notBefore = system_clock::now() - days{10};
        leaf.notAfter = system_clock::now() + days{1000};
        fake.authCert =
            test::makeCertificate(leaf, test::sharedKey(2), test::sharedKey(1), fake.authCaCert);
        fake.authKey = test::sharedKey(2);
        fake.cardFace =
            test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(3));
        fake.cvCertificate = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
        fake.cardKey = test::sharedKey(3);

        dir = std::filesystem::temp_directory_path() /
              ("uketsuke-service-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "root.pem") << test::derToPem(rootDer);
        std::ofstream(dir / "cvca.pem") << test::publicKeyPem(test::sharedKey(0));
        config.trustStore = dir / "root.pem";
        config.kenmenCvcaPublicKey = dir / "cvca.pem";
        config.rejectTestIssuer = false;
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    test::SimCard fake;
    std::filesystem::path dir;
    CardServiceConfig config;
};

// Info and certificate check of a normal card.
TEST_F(CardServiceTest, InfoAndCertificate) {
    CardService service(fake, config);
    auto info = service.readInfo();
    ASSERT_TRUE(info.ok()) << info.error().toString();
    EXPECT_EQ(info->cardClass, CardClass::kNormal);
    auto check = service.checkAuthCertificate(*info, system_clock::now());
    ASSERT_TRUE(check.ok()) << check.error().toString();
    EXPECT_EQ(check->report.validity, ValidityState::kValid);
    EXPECT_EQ(check->certificate.serialHex(), "1234");
}

// The verified photo comes back with the signed birth date; traffic is counted.
TEST_F(CardServiceTest, VerifiedPhoto) {
    CardService service(fake, config);
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_TRUE(photo.ok()) << photo.error().toString();
    EXPECT_EQ(photo->jp2, test::minimalJp2());
    EXPECT_EQ(photo->birthDate, "19800217");
    EXPECT_GT(service.traffic().apduCount(), 8u);
}

// A wrong CV-CA key: the EF 0004 check fails with cv-certificate-invalid.
TEST_F(CardServiceTest, WrongCvcaKey) {
    std::ofstream(dir / "cvca.pem") << test::publicKeyPem(test::sharedKey(2));
    CardService service(fake, config);
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_FALSE(photo.ok());
    EXPECT_EQ(photo.error().code, CardErrorCode::kCvCertificateInvalid);
}

// A missing CV-CA key is a configuration error found before any try is spent.
TEST_F(CardServiceTest, MissingCvcaKeyCostsNoTry) {
    config.kenmenCvcaPublicKey = dir / "absent.pem";
    CardService service(fake, config);
    auto photo = service.readVerifiedPhoto(SecretBytes("00000000000000"));
    ASSERT_FALSE(photo.ok());
    EXPECT_EQ(photo.error().code, CardErrorCode::kConfiguration);
    EXPECT_EQ(fake.bTries, 10);
    EXPECT_EQ(fake.apdus, 0);
}

// An expired certificate is a state, not an error; an untrusted one is an error.
TEST_F(CardServiceTest, ExpiredAndUntrusted) {
    CardService service(fake, config);
    auto info = service.readInfo();
    ASSERT_TRUE(info.ok());
    auto later = service.checkAuthCertificate(*info, system_clock::now() + days{1010});
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->report.validity, ValidityState::kExpiredWithinGrace);
    CardInfo noCa = *info;
    noCa.authCaCertificate.clear();
    EXPECT_EQ(service.checkAuthCertificate(noCa, system_clock::now()).error().code,
              CardErrorCode::kCertificateUntrusted);
}

// ---- foreign reset (another process resets the card) ----------------------------------------

// A reset during the certificate reads: the same card is re-attached and the read goes on.
TEST_F(CardServiceTest, ForeignResetDuringInfoIsRecovered) {
    fake.resetsBeforeApdus = {5};
    CardService service(fake, config);
    auto info = service.readInfo();
    ASSERT_TRUE(info.ok()) << info.error().toString();
    EXPECT_EQ(info->cardClass, CardClass::kNormal);
    EXPECT_EQ(info->authCertificate, fake.authCert);
    EXPECT_EQ(fake.resets, 1);
    EXPECT_EQ(service.foreignResets(), 1);
}

// A reset after the card accepted 照合番号B (while the face is read): the same card, so the
// code is sent again — the counter is queried first and no try is spent.
TEST_F(CardServiceTest, ForeignResetAfterVerifyReVerifiesWithoutSpendingATry) {
    CardService service(fake, config);
    ASSERT_TRUE(service.readInfo().ok());
    const int before = fake.apdus;
    // select 券面AP, select 0012, query, VERIFY, select 0002, then the read is hit.
    fake.resetsBeforeApdus = {before + 6};
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_TRUE(photo.ok()) << photo.error().toString();
    EXPECT_EQ(photo->birthDate, "19800217");
    EXPECT_EQ(fake.resets, 1);
    EXPECT_EQ(fake.bTries, 10);
}

// A reset that swallows the answer to the VERIFY itself: its outcome is unknown, so it is not
// sent again.
TEST_F(CardServiceTest, ForeignResetDuringVerifyIsNotRetried) {
    CardService service(fake, config);
    ASSERT_TRUE(service.readInfo().ok());
    fake.resetsBeforeApdus = {fake.apdus + 4};  // the VERIFY with the code
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_FALSE(photo.ok());
    EXPECT_EQ(photo.error().code, CardErrorCode::kCardReset);
    EXPECT_EQ(fake.resets, 1);
}

// After a reset another card in the reader is never taken for the first one.
TEST_F(CardServiceTest, ForeignResetWithAnotherCardIsCardRemoved) {
    CardService service(fake, config);
    ASSERT_TRUE(service.readInfo().ok());
    test::CertSpec other;
    other.serial = 0x9999;
    other.notBefore = system_clock::now() - days{10};
    other.notAfter = system_clock::now() + days{1000};
    fake.authCert =
        test::makeCertificate(other, test::sharedKey(3), test::sharedKey(1), fake.authCaCert);
    fake.resetsBeforeApdus = {fake.apdus + 2};
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_FALSE(photo.ok());
    EXPECT_EQ(photo.error().code, CardErrorCode::kCardRemoved);
    EXPECT_EQ(fake.bTries, 10);
}

// A verified PIN does not survive a reset and is never replayed: signing says so.
TEST_F(CardServiceTest, ForeignResetAfterPinNeedsThePinAgain) {
    CardService service(fake, config);
    ASSERT_TRUE(service.readInfo().ok());
    ASSERT_TRUE(service.verifyAuthPin(SecretBytes("1234")).ok());
    fake.resetsBeforeApdus = {fake.apdus + 1};
    auto sig = service.signAuthDigest(sha256(bytesOf("challenge")));
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.error().code, CardErrorCode::kCardReset);
    EXPECT_EQ(fake.authPinTries, 3);
    // Asked again, the PIN works on the re-attached card.
    ASSERT_TRUE(service.verifyAuthPin(SecretBytes("1234")).ok());
    EXPECT_TRUE(service.signAuthDigest(sha256(bytesOf("challenge"))).ok());
}

// Resets without end give up with card-reset after a bounded number of recoveries.
TEST_F(CardServiceTest, EndlessResetsGiveUp) {
    for (int i = 1; i < 200; i += 2)
        fake.resetsBeforeApdus.push_back(i);
    CardService service(fake, config);
    auto info = service.readInfo();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, CardErrorCode::kCardReset);
    EXPECT_LT(fake.apdus, 40);
}

// ---- a card that refuses extended Le ---------------------------------------------------------

TEST_F(CardServiceTest, FullReadWithAndWithoutExtendedLe) {
    std::size_t apdus[2] = {0, 0};
    for (bool accepts : {true, false}) {
        test::SimCard card = fake;
        card.extendedReadBinary = accepts;
        card.apdus = 0;
        CardService service(card, config);
        ASSERT_TRUE(service.readAuthCertificates().ok());
        auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
        ASSERT_TRUE(photo.ok()) << photo.error().toString();
        EXPECT_EQ(service.extendedReadSupport(),
                  accepts ? ExtendedReadSupport::kAccepted : ExtendedReadSupport::kRefused);
        apdus[accepts ? 0 : 1] = service.traffic().apduCount();
    }
    EXPECT_LE(apdus[0], 25u);
    EXPECT_GT(apdus[1], apdus[0]);
}

// ---- the golden card files of an independent encoder, served by the virtual card ---------------

// EF 0002 / 0004 of another encoder: the certificate and the photo signature verify, and the
// card then fails internal authentication, since this card does not hold the golden card key —
// exactly a clone of a real card's files.
TEST_F(CardServiceTest, GoldenFilesVerifyAndACopyIsACloneSuspect) {
    const auto golden = std::filesystem::path(UKETSUKE_SHARED_DIR) / "golden" / "card";
    if (!std::filesystem::exists(golden / "ef0002.bin"))
        GTEST_SKIP() << "golden card files absent (" << golden << ")";
    auto read = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        return Bytes(std::istreambuf_iterator<char>(in), {});
    };
    config.kenmenCvcaPublicKey = golden / "cvca.pub.pem";
    // A fresh card per case: a real card session ends with a reset, the fake's state does not.
    auto readWith = [&](const char* face, const char* cv) {
        test::SimCard card = fake;
        card.cardFace = read(golden / face);
        card.cvCertificate = read(golden / cv);
        CardService service(card, config);
        auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
        EXPECT_EQ(card.bTries, 10);
        return photo.ok() ? CardErrorCode::kInvalidInput : photo.error().code;
    };
    EXPECT_EQ(readWith("ef0002.bin", "ef0004.bin"), CardErrorCode::kCloneSuspected);
    EXPECT_EQ(readWith("ef0002-tampered.bin", "ef0004.bin"), CardErrorCode::kPhotoSignatureInvalid);
    EXPECT_EQ(readWith("ef0002.bin", "ef0004-badsig.bin"), CardErrorCode::kCvCertificateInvalid);
}

}  // namespace
}  // namespace uketsuke::card
