// VcardController: the control protocol of sim/README.md and per-persona card state.
#include "sim/vcard_controller.h"

#include <gtest/gtest.h>

#include "sim_test_support.h"

namespace uketsuke::sim::test {
namespace {

class VcardControllerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto personas = loadPersonaDir(personaDir());
        ASSERT_TRUE(personas.ok());
        controller_ = std::make_unique<VcardController>(std::move(personas).takeValue(), pkiDir());
    }
    std::uint16_t sw(const Bytes& apdu) { return swOf(controller_->transmit(apdu).response); }
    void wrongPin() {
        sw(selectAid(AppId::kJpki));
        sw(selectEf(fid::kJpkiAuthPin));
        sw(verifyApdu("0000"));
    }
    std::unique_ptr<VcardController> controller_;
};

// status reports persona, insertion, APDU count and the three counters.
TEST_F(VcardControllerTest, StatusLine) {
    ASSERT_EQ(controller_->handle("insert normal"), "ok");
    sw(selectAid(AppId::kJpki));
    const std::string status = controller_->handle("status");
    EXPECT_EQ(status.rfind("ok persona=normal inserted=1 apdus=1 auth_pin_tries=3 "
                           "kenmen_b_tries=10 text_b_tries=10",
                           0),
              0u)
        << status;
}

// Counters survive removal and re-insertion; reset-state restores the persona's values.
TEST_F(VcardControllerTest, CountersPersistUntilResetState) {
    controller_->handle("insert normal");
    wrongPin();
    // Act
    EXPECT_EQ(controller_->handle("remove"), "ok");
    controller_->handle("insert normal");
    // Assert
    EXPECT_NE(controller_->handle("status").find("auth_pin_tries=2"), std::string::npos);
    EXPECT_EQ(controller_->handle("reset-state"), "ok");
    EXPECT_NE(controller_->handle("status").find("auth_pin_tries=3"), std::string::npos);
}

// Inserting another persona replaces the card; its counters are its own.
TEST_F(VcardControllerTest, InsertReplacesCard) {
    controller_->handle("insert normal");
    wrongPin();
    const auto before = controller_->insertion();
    // Act
    EXPECT_EQ(controller_->handle("insert pin-locked"), "ok");
    // Assert
    EXPECT_NE(controller_->insertion(), before);
    EXPECT_NE(controller_->handle("status").find("persona=pin-locked inserted=1"),
              std::string::npos);
    EXPECT_NE(controller_->handle("status").find("auth_pin_tries=0"), std::string::npos);
}

// Removing the card makes APDUs fail as a pulled card and status says inserted=0.
TEST_F(VcardControllerTest, RemovedCardAnswersNothing) {
    controller_->handle("insert normal");
    controller_->handle("remove");
    EXPECT_TRUE(controller_->transmit(selectAid(AppId::kJpki)).pullCard);
    EXPECT_NE(controller_->handle("status").find("inserted=0"), std::string::npos);
}

// Bad requests get an error line, never an exception.
TEST_F(VcardControllerTest, BadRequests) {
    EXPECT_EQ(controller_->handle("insert nobody").rfind("error unknown-persona", 0), 0u);
    EXPECT_EQ(controller_->handle("fault garbage").rfind("error", 0), 0u);  // no card
    controller_->handle("insert normal");
    EXPECT_EQ(controller_->handle("fault sideways").rfind("error bad-fault", 0), 0u);
    EXPECT_EQ(controller_->handle("fault remove-after-apdus").rfind("error", 0), 0u);
    EXPECT_EQ(controller_->handle("delay-ms -3").rfind("error", 0), 0u);
    EXPECT_EQ(controller_->handle("").rfind("error", 0), 0u);
    EXPECT_EQ(controller_->handle("dance").rfind("error", 0), 0u);
}

// remove-after-apdus through the control protocol pulls the card out of the reader.
TEST_F(VcardControllerTest, FaultRemovesCard) {
    controller_->handle("insert normal");
    ASSERT_EQ(controller_->handle("fault remove-after-apdus 1"), "ok");
    EXPECT_FALSE(controller_->transmit(selectAid(AppId::kJpki)).pullCard);
    EXPECT_TRUE(controller_->transmit(selectEf(fid::kJpkiAuthCert)).pullCard);
    EXPECT_FALSE(controller_->inserted());
}

// selects, forbidden, reset-count and delay-ms report and change what they say.
TEST_F(VcardControllerTest, AccountingRequests) {
    controller_->handle("insert normal");
    sw(selectAid(AppId::kJpki));
    sw(selectEf(fid::kJpkiAuthCert));
    sw(selectAid(AppId::kTextAssist));
    EXPECT_EQ(controller_->handle("selects"), "ok JPKI JPKI:000A TEXT");
    EXPECT_EQ(controller_->handle("forbidden"), "ok 1");
    EXPECT_EQ(controller_->handle("reset-count"), "ok");
    EXPECT_NE(controller_->handle("status").find("apdus=0"), std::string::npos);
    EXPECT_EQ(controller_->handle("delay-ms 5"), "ok");
    EXPECT_EQ(controller_->apduDelayMs(), 5);
}

// extended-length on/off/persona switches extended-Le READ BINARY for every card from now on;
// the ATR is the inserted card's.
TEST_F(VcardControllerTest, ExtendedLengthAndAtr) {
    EXPECT_TRUE(controller_->atr().empty());
    controller_->handle("insert normal");
    EXPECT_EQ(controller_->atr(), hex("3B E0 00 FF 81 31 FE 45 14"));
    sw(selectAid(AppId::kJpki));
    sw(selectEf(fid::kJpkiAuthCert));
    const Bytes extendedRead = hex("00 B0 00 00 00 04 00");
    EXPECT_EQ(sw(extendedRead), 0x9000);
    // Act
    ASSERT_EQ(controller_->handle("extended-length off"), "ok");
    // Assert
    EXPECT_EQ(sw(extendedRead), 0x6700);
    EXPECT_NE(controller_->handle("status").find("extended_length=0"), std::string::npos);
    controller_->handle("insert normal-2");  // the override outlives the insertion
    sw(selectAid(AppId::kJpki));
    sw(selectEf(fid::kJpkiAuthCert));
    EXPECT_EQ(sw(extendedRead), 0x6700);
    EXPECT_EQ(controller_->handle("extended-length persona"), "ok");
    EXPECT_EQ(sw(extendedRead), 0x9000);
    EXPECT_EQ(controller_->handle("extended-length sideways").rfind("error", 0), 0u);
    controller_->handle("insert not-mynumber");
    EXPECT_EQ(controller_->atr()[0], 0x3B);
    EXPECT_NE(controller_->atr(), hex("3B E0 00 FF 81 31 FE 45 14"));
}

// Every shipped persona builds into a card image (PKI and media complete).
TEST_F(VcardControllerTest, AllPersonasBuild) {
    const auto failures = controller_->preload();
    for (const auto& f : failures)
        ADD_FAILURE() << f.message();
    EXPECT_TRUE(failures.empty());
}

}  // namespace
}  // namespace uketsuke::sim::test
