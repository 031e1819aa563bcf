// CardService over the fake card: info, certificate check, verified photo and its failures,
// configuration errors that must not cost a try.
#include "card/card_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

    test::FakeCard fake;
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

}  // namespace
}  // namespace uketsuke::card
