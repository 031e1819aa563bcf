// No flow of the card layer ever selects the 入力補助AP or 券面AP EF 0005/0013 (My Number).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "card/card_service.h"
#include "card_test_support.h"

namespace uketsuke::card {
namespace {

class PrivacyTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fake.cardFace =
            test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(2));
        fake.cvCertificate = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
        fake.cardKey = test::sharedKey(2);
        fake.authKey = test::sharedKey(2);
        fake.authCert = Bytes{0x30, 0x00};
        fake.authCaCert = Bytes{0x30, 0x00};
        dir = std::filesystem::temp_directory_path() /
              ("uketsuke-privacy-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "cvca.pem") << test::publicKeyPem(test::sharedKey(0));
        config.kenmenCvcaPublicKey = dir / "cvca.pem";
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    void expectNoForbiddenSelect() {
        EXPECT_EQ(fake.accessLog().forbidden, 0u);
        for (const auto& s : fake.accessLog().selects) {
            EXPECT_NE(s, "TEXT");
            EXPECT_NE(s, "KENMEN:0005");
            EXPECT_NE(s, "KENMEN:0013");
        }
    }
    test::SimCard fake;
    std::filesystem::path dir;
    CardServiceConfig config;
};

// Every flow the service offers (info, verified photo, PIN, sign), successful or failing,
// selects only JPKI and 券面AP files outside the My Number set.
TEST_F(PrivacyTest, NoFlowSelectsMyNumberFiles) {
    CardService service(fake, config);
    ASSERT_TRUE(service.readInfo().ok());
    auto photo = service.readVerifiedPhoto(SecretBytes("55021720352285"));
    ASSERT_TRUE(photo.ok()) << photo.error().toString();
    EXPECT_FALSE(service.readVerifiedPhoto(SecretBytes("00000000000000")).ok());
    ASSERT_TRUE(service.verifyAuthPin(SecretBytes("1234")).ok());
    ASSERT_TRUE(service.signAuthDigest(sha256(bytesOf("c"))).ok());
    EXPECT_FALSE(service.verifyAuthPin(SecretBytes("0000")).ok());
    expectNoForbiddenSelect();
    EXPECT_GE(fake.accessLog().selects.size(), 10u);
}

// The same holds when every answer fails: error paths do not wander into other files.
TEST_F(PrivacyTest, FailingFlowsSelectNothingForbidden) {
    fake.bTries = 0;
    fake.authPinTries = 0;
    CardService service(fake, config);
    EXPECT_TRUE(service.readInfo().ok());
    EXPECT_FALSE(service.readVerifiedPhoto(SecretBytes("55021720352285")).ok());
    EXPECT_FALSE(service.verifyAuthPin(SecretBytes("1234"), LastTry::kConfirmed).ok());
    expectNoForbiddenSelect();
}

// The public API offers no file id parameter for 券面AP or JPKI-AP beyond the tables, and those
// tables hold none of the forbidden files.
TEST(Privacy, FileTablesHoldNoMyNumberFiles) {
    for (const auto& f : kKenmenFiles) {
        EXPECT_NE(f.fid, 0x0005);
        EXPECT_NE(f.fid, 0x0013);
    }
    for (const auto& f : kJpkiFiles) {
        EXPECT_NE(f.fid, 0x0001);  // signing certificate: never needed
        EXPECT_NE(f.fid, 0x001A);
        EXPECT_NE(f.fid, 0x001B);
    }
}

}  // namespace
}  // namespace uketsuke::card
