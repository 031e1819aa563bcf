// The real SessionBridge, headless, against real pcscd + the virtual card + the qualification
// service (fixtures card_services and qualification_service, tests/CMakeLists.txt and
// tests/e2e/CMakeLists.txt): the worker thread, the card watcher and the camera feed drive a
// whole session the way the screens do (issue 5 acceptance, integration test).
#include <gtest/gtest.h>

#include <QGuiApplication>
#include <QThread>
#include <chrono>
#include <functional>
#include <map>

#include "gtest_skip_main.h"
#include "qml/bridge/frame_store.h"
#include "qml/bridge/session_bridge.h"
#include "qml/demo/demo_card.h"
#include "sim/harness/persona_card_front.h"
#include "sim/harness/vcard_client.h"
#include "terminal/config.h"

namespace uketsuke::qml {
namespace {

using demo::DemoCard;

using Clock = std::chrono::steady_clock;
const std::filesystem::path kBuild = UKETSUKE_BUILD_DIR;

// Runs the event loop until `done` or the timeout; true when done.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    const auto end = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < end) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (done())
            return true;
        QThread::msleep(10);
    }
    return done();
}

class BridgeIntegration : public ::testing::Test {
  protected:
    void SetUp() override {
        socket_ = kBuild / "run" / "vcard.sock";
        // A fresh card with its persona's counters, in the reader before the bridge starts.
        ASSERT_TRUE(sim::vcardControl(socket_, "reset-state normal")) << "virtual card";
        ASSERT_TRUE(sim::vcardControl(socket_, "insert normal"));
    }

    std::unique_ptr<SessionBridge> startBridge(bool face) {
        BridgeOptions options;
        options.configPath = (kBuild / "uketsuke-demo.json").string();
        // As the demo build does (qml/demo/): the persona's photo is the camera and its
        // card-front fields stand in for OCR.
        options.cameraSpec = (kBuild / "pki" / "personas" / "normal" / "photo-source.png").string();
        options.cardFrontSource = []() -> std::optional<terminal::CardFrontFields> {
            auto fields = sim::personaCardFront(kBuild / "sim" / "personas", "normal");
            if (!fields)
                return std::nullopt;
            return std::move(fields).takeValue();
        };
        options.loadFaceEngine = face;
        auto bridge = std::make_unique<SessionBridge>(options, std::make_shared<FrameStore>());
        bridge->start();
        EXPECT_TRUE(waitUntil([&] { return bridge->state() != SessionModel::Starting; }, 60000));
        EXPECT_EQ(bridge->startupError(), QString());
        return bridge;
    }

    void removeCardAndExpectIdle(SessionBridge& bridge) {
        ASSERT_TRUE(sim::vcardControl(socket_, "remove"));
        EXPECT_TRUE(waitUntil([&] { return bridge.state() == SessionModel::Idle; }, 10000))
            << "state " << bridge.state();
    }

    std::filesystem::path socket_;
};

// PIN path: method choice, PIN digits, comprehensive consent, a confirmed result, "remove your
// card" with the left-behind alarm, card out.
TEST_F(BridgeIntegration, PinSessionConfirmsAndRaisesLeftBehindAlarm) {
    auto bridge = startBridge(/*face=*/false);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ChoosingMethod; }, 20000))
        << "state " << bridge->state();
    EXPECT_TRUE(bridge->offerPin());
    EXPECT_FALSE(bridge->offerFace());  // no face engine loaded
    EXPECT_EQ(bridge->pinTriesLeft(), 3);
    EXPECT_GT(bridge->timeLeftSeconds(), 0);
    // The certificate self-check reads the card's own auth certificate (issue 17).
    EXPECT_EQ(bridge->certExpiry().size(), 10) << bridge->certExpiry().toStdString();
    EXPECT_EQ(bridge->certState(), QStringLiteral("valid"));
    EXPECT_LT(bridge->certRenewalFrom(), bridge->certExpiry());

    bridge->chooseMethod("pin");
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::PinEntry; }, 10000));
    for (int d : {1, 2, 3, 4})
        bridge->pinDigit(d);
    EXPECT_EQ(bridge->pinLength(), 4);
    bridge->pinSubmit(false);
    EXPECT_EQ(bridge->pinLength(), 0);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::Consent; }, 20000))
        << "state " << bridge->state() << " message " << bridge->message().toStdString();
    EXPECT_GT(bridge->consentItems()->count(), 0);

    bridge->giveConsent(true, {});
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ShowingResult; }, 30000));
    EXPECT_EQ(bridge->resultOutcome(), "confirmed") << bridge->message().toStdString();
    EXPECT_EQ(bridge->resultValidity(), 1);
    EXPECT_FALSE(bridge->insurerName().isEmpty());

    bridge->acknowledgeResult();
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::RemoveCard; }, 10000));
    EXPECT_FALSE(bridge->cardLeftBehindAlarm());
    // uketsuke-demo.json: card_left_behind_alarm_ms 10000, raised by the worker's tick().
    EXPECT_TRUE(waitUntil([&] { return bridge->cardLeftBehindAlarm(); }, 15000));
    removeCardAndExpectIdle(*bridge);
}

// A wrong PIN: one try spent, the count shown, the pad offered again; then the session is
// cancelled and the card reset to its persona state.
TEST_F(BridgeIntegration, WrongPinShowsTriesLeft) {
    auto bridge = startBridge(/*face=*/false);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ChoosingMethod; }, 20000));
    bridge->chooseMethod("pin");
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::PinEntry; }, 10000));
    for (int d : {9, 9, 9, 9})
        bridge->pinDigit(d);
    bridge->pinSubmit(false);
    ASSERT_TRUE(waitUntil([&] { return bridge->pinTriesLeft() == 2; }, 20000));
    EXPECT_EQ(bridge->state(), SessionModel::PinEntry);
    EXPECT_EQ(bridge->message(), "pin-wrong");
    bridge->cancel();
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::RemoveCard; }, 10000));
    removeCardAndExpectIdle(*bridge);
    ASSERT_TRUE(sim::vcardControl(socket_, "reset-state normal"));
}

// Face path: the camera feed (the persona's photo as a still-image camera) reaches the worker,
// the face engine matches it against the chip photo, and the chip photo is there for 目視.
TEST_F(BridgeIntegration, FaceSessionMatchesFromTheFileCamera) {
    auto bridge = startBridge(/*face=*/true);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ChoosingMethod; }, 20000));
    ASSERT_TRUE(bridge->offerFace());
    bridge->chooseMethod("face");
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::Consent; }, 60000))
        << "state " << bridge->state() << " message " << bridge->message().toStdString()
        << " guidance " << bridge->faceGuidance().toStdString();
    EXPECT_TRUE(bridge->chipPhotoAvailable());
    EXPECT_GT(bridge->previewRevision(), 0);
    bridge->cancel();
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::RemoveCard; }, 10000));
    EXPECT_FALSE(bridge->chipPhotoAvailable());  // wiped with the session
    removeCardAndExpectIdle(*bridge);
}

// The demo build's adapter (qml/demo/): its panel's "insert" swaps the virtual card through the
// control socket, the kiosk's bridge follows the new card (a PIN-locked one here) and the camera
// follows its holder; "remove" takes it out.
TEST_F(BridgeIntegration, DemoCardSwapsTheVirtualCard) {
    auto config = terminal::loadConfig(kBuild / "uketsuke-demo.json");
    ASSERT_TRUE(config.ok());
    auto settings = sim::SimSettings::fromConfig(config.value());
    ASSERT_TRUE(settings.ok()) << settings.error();
    auto card = demo::DemoCard::create(settings.value(), "normal");
    ASSERT_TRUE(card.ok()) << card.error();
    DemoCard& demo = *card.value();
    EXPECT_TRUE(demo.personas().contains("pin-locked"));
    EXPECT_FALSE(demo::DemoCard::create(settings.value(), "no-such-persona").ok());
    ASSERT_TRUE(demo.cardFront().has_value());  // normal's printed card front

    auto bridge = startBridge(/*face=*/false);
    demo.attach(*bridge);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ChoosingMethod; }, 20000));
    EXPECT_TRUE(bridge->offerPin());
    demo.insert("pin-locked");
    EXPECT_EQ(demo.persona(), "pin-locked");
    ASSERT_TRUE(waitUntil(
        [&] {
            return bridge->state() == SessionModel::ChoosingMethod &&
                   bridge->pinUnavailableReason() == "pin-locked";
        },
        30000))
        << "state " << bridge->state() << " reason "
        << bridge->pinUnavailableReason().toStdString();
    EXPECT_FALSE(bridge->offerPin());
    demo.remove();
    ASSERT_TRUE(waitUntil(
        [&] {
            return bridge->state() == SessionModel::Idle ||
                   bridge->state() == SessionModel::RemoveCard;
        },
        10000))
        << "state " << bridge->state();
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::Idle; }, 10000));
    ASSERT_TRUE(sim::vcardControl(socket_, "reset-state pin-locked"));
}

// The status screen's full check (issue 16) on the real bridge: `uketsuke doctor`'s checks over
// the kiosk's configuration, off the GUI thread, the camera from the kiosk's own feed (the device
// is not reopened, so no exposure line), the reader and card from the real pcscd.
TEST_F(BridgeIntegration, FullCheckRunsTheDoctorWithTheKiosksCamera) {
    auto bridge = startBridge(/*face=*/true);
    ASSERT_NE(bridge->doctor(), nullptr);
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::ChoosingMethod; }, 20000));
    const auto runDoctor = [&] {
        const int before = bridge->doctor()->runs();
        bridge->doctor()->run();
        EXPECT_TRUE(bridge->doctor()->running());
        EXPECT_TRUE(waitUntil([&] { return bridge->doctor()->runs() == before + 1; }, 60000));
        std::map<std::string, std::pair<std::string, std::string>> checks;
        for (const auto& v : bridge->doctor()->checks()) {
            const auto m = v.toMap();
            checks[m["name"].toString().toStdString()] = {m["status"].toString().toStdString(),
                                                          m["detail"].toString().toStdString()};
        }
        return checks;
    };
    // Before the first face check the kiosk has not opened the camera: said, not measured.
    auto checks = runDoctor();
    for (const char* name : {"pcscd", "reader", "card", "camera", "models", "qualification",
                             "client-certificate", "log", "clock", "disk"})
        EXPECT_TRUE(checks.count(name)) << name;
    EXPECT_EQ(checks.count("camera-exposure"), 0u);
    EXPECT_EQ(checks["camera"].first, "warn") << checks["camera"].second;
    EXPECT_NE(checks["camera"].second.find("not opened yet"), std::string::npos);
    EXPECT_EQ(checks["pcscd"].first, "ok") << checks["pcscd"].second;
    EXPECT_EQ(checks["reader"].first, "ok") << checks["reader"].second;
    EXPECT_EQ(checks["card"].first, "ok") << checks["card"].second;
    EXPECT_NE(checks["card"].second.find("card present"), std::string::npos);
    EXPECT_EQ(checks["models"].first, "ok") << checks["models"].second;
    // After a face check the kiosk's feed holds the camera: its verdict is shown.
    bridge->chooseMethod("face");
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::Consent; }, 60000));
    ASSERT_TRUE(bridge->cameraAvailable());
    checks = runDoctor();
    EXPECT_EQ(checks["camera"].first, "ok") << checks["camera"].second;
    EXPECT_NE(checks["camera"].second.find("not reopened"), std::string::npos);
    EXPECT_EQ(checks.count("camera-exposure"), 0u);
    bridge->cancel();
    ASSERT_TRUE(waitUntil([&] { return bridge->state() == SessionModel::RemoveCard; }, 10000));
    removeCardAndExpectIdle(*bridge);
}

}  // namespace
}  // namespace uketsuke::qml

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return uketsuke::testing::exitStatusWithSkips(RUN_ALL_TESTS());
}
