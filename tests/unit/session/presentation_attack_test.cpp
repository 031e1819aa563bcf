// The session's side of presentation-attack detection (issue 13 items 3, 5, 6): an unsure
// presentation goes through the active challenge; a suspected attack or a failed challenge is
// refused as presentation-attack-suspected and falls back to the PIN (normal card) or staff
// (顔認証マイナンバーカード, locked PIN), never to more face attempts; the demo still camera is
// honoured only in demo-still mode and named in the log row.
#include <gtest/gtest.h>

#include <deque>

#include "terminal/session/session_controller.h"
#include "tests/unit/session/session_fakes.h"

namespace uketsuke::terminal {
namespace {

using namespace uketsuke::terminal::test;
using PV = PresentationVerdict;
using vision::ChallengeAction;
using vision::ChallengeVerdict;

struct ChallengeFace : FakeFace {
    std::deque<ChallengeProgress> progress;
    std::optional<ChallengeAction> asked;
    std::chrono::milliseconds delay{-1};
    std::vector<bool> stillArgs;
    int challengeFrames = 0;
    void beginAttempt(bool still) override { stillArgs.push_back(still); }
    void beginChallenge(ChallengeAction action, std::chrono::milliseconds d) override {
        asked = action;
        delay = d;
    }
    ChallengeProgress addChallengeFrame(const vision::Frame&) override {
        ++challengeFrames;
        if (progress.empty())
            return {};
        auto p = progress.front();
        progress.pop_front();
        return p;
    }
};

struct FixedRandom : RandomSource {
    std::deque<std::uint32_t> values;
    std::uint32_t next() override {
        auto v = values.front();
        values.pop_front();
        return v;
    }
};

FaceAttempt unsure() {
    FaceAttempt a{false, 0.2, 0.34, "liveness_failed"};
    a.identityMatched = true;
    a.presentation = PV::kUnsure;
    return a;
}
FaceAttempt attack() {
    FaceAttempt a{false, 0.22, 0.34, "liveness_failed"};
    a.identityMatched = true;
    a.presentation = PV::kAttackSuspected;
    return a;
}
ChallengeProgress verdict(ChallengeVerdict v, bool identityMismatch = false) {
    ChallengeProgress p;
    p.promptShown = true;
    p.verdict = v;
    p.identityMismatch = identityMismatch;
    return p;
}

class PresentationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        card_.info.cardClass = card::CardClass::kNormal;
        card_.info.authCertificate = testCertificate();
        if (card_.info.authCertificate.empty())
            GTEST_SKIP() << "test PKI not built (build/pki)";
        card_.info.authPin = RetryCounter{RetryCounter::State::kTriesLeft, 3};
        card_.info.verificationNumberB = RetryCounter{RetryCounter::State::kTriesLeft, 10};
        catalog_.version = "test-1";
        catalog_.items = {{"medical-treatment", "", "MedicalTreatmentInfo", true, ""}};
        random_.values = {1, 500, 7, 7, 7, 7};
    }
    SessionController make(SessionConfig config = {}) {
        SessionPorts p;
        p.card = &card_;
        p.face = &face_;
        p.cardFront = &front_;
        p.qualification = &qualification_;
        p.results = &results_;
        p.log = &log_;
        p.clock = &clock_;
        p.consent = &catalog_;
        p.random = &random_;
        return SessionController(p, config);
    }
    // Card in, face chosen, first attempt concluded with `attempt`.
    void toFace(SessionController& c, FaceAttempt attempt) {
        face_.attempts.push_back(attempt);
        c.cardInserted();
        ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
        c.faceFrame(vision::Frame{});
    }
    FakeCard card_;
    ChallengeFace face_;
    FakeFront front_;
    FakeQualification qualification_;
    FakeResults results_;
    FakeLog log_;
    FakeClock clock_;
    ConsentCatalog catalog_;
    FixedRandom random_;
};

TEST_F(PresentationTest, UnsurePresentationIsChallengedAndAPassConfirmsByFace) {
    auto c = make();
    toFace(c, unsure());
    ASSERT_EQ(c.state(), SessionState::kFaceChallenge);
    // random 1 -> the second action; the delay is min + 500 ms.
    EXPECT_EQ(face_.asked, ChallengeAction::kTurnRight);
    EXPECT_EQ(face_.delay, std::chrono::milliseconds(800 + 500));
    ASSERT_TRUE(c.view().challengeAction.has_value());
    EXPECT_FALSE(c.view().challengePrompted);

    ChallengeProgress waiting;
    ChallengeProgress prompted;
    prompted.promptShown = true;
    prompted.timeLeft = std::chrono::milliseconds(3000);
    face_.progress = {waiting, prompted, verdict(ChallengeVerdict::kPassed)};
    c.faceFrame(vision::Frame{});
    EXPECT_FALSE(c.view().challengePrompted);
    c.faceFrame(vision::Frame{});
    EXPECT_TRUE(c.view().challengePrompted);
    EXPECT_EQ(c.view().challengeTimeLeft, std::chrono::milliseconds(3000));
    c.faceFrame(vision::Frame{});
    ASSERT_EQ(c.state(), SessionState::kConsent);
    EXPECT_EQ(c.data().method, IdentityMethod::kFace);
    c.consentGiven(ConsentChoices{true, {}});
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kConfirmed);
    EXPECT_EQ(log_.rows[0].identityMethod, IdentityMethod::kFace);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "");
    EXPECT_TRUE(log_.rows[0].phaseMs.contains("face_challenge"));
}

TEST_F(PresentationTest, FailedChallengeFallsBackToPinAndTheRowSaysAttackSuspected) {
    auto c = make();
    toFace(c, unsure());
    ASSERT_EQ(c.state(), SessionState::kFaceChallenge);
    face_.progress = {verdict(ChallengeVerdict::kWrongAnswer)};
    c.faceFrame(vision::Frame{});
    ASSERT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(c.view().message, "presentation-attack-suspected:challenge-wrong-answer");
    EXPECT_EQ(c.view().pinTriesLeft, 3);
    EXPECT_FALSE(c.view().offer.face);
    // The face method is closed for the rest of the session.
    ASSERT_TRUE(c.chooseAnotherMethod());
    EXPECT_FALSE(c.chooseMethod(IdentityMethod::kFace));
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kPin));
    card_.pinAnswers = {card::CardStatus(Unit{})};
    c.pinEntered(SecretBytes("1234"));
    c.consentGiven(ConsentChoices{true, {}});
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kConfirmed);
    EXPECT_EQ(log_.rows[0].identityMethod, IdentityMethod::kPin);
    // The fallback confirmed the patient, and the row still records the refused presentation.
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason),
              "presentation-attack-suspected:challenge-wrong-answer");
}

TEST_F(PresentationTest, SuspectedAttackIsRefusedAtOnceWithoutRetry) {
    auto c = make();
    toFace(c, attack());
    ASSERT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(c.data().faceAttempts, 1);  // no second face attempt, no challenge
    EXPECT_FALSE(face_.asked.has_value());
    EXPECT_EQ(c.view().message, "presentation-attack-suspected");
    c.cancel();
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kAborted);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "presentation-attack-suspected");
}

TEST_F(PresentationTest, FaceAuthCardGoesToStaffNeverToAPinPad) {
    card_.info.cardClass = card::CardClass::kFaceAuthCard;
    card_.info.authPin = RetryCounter{RetryCounter::State::kBlocked, 0};
    auto c = make();
    toFace(c, attack());
    EXPECT_EQ(c.state(), SessionState::kStaffCheck);
    EXPECT_EQ(c.view().message, "presentation-attack-suspected");
}

TEST_F(PresentationTest, ChallengeTimeoutOnALockedPinCardGoesToStaff) {
    card_.info.cardClass = card::CardClass::kPinLocked;
    card_.info.authPin = RetryCounter{RetryCounter::State::kBlocked, 0};
    auto c = make();
    toFace(c, unsure());
    ASSERT_EQ(c.state(), SessionState::kFaceChallenge);
    // The camera stops delivering frames: the wall-clock limit fails the challenge.
    clock_.steady += std::chrono::milliseconds(11000);
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kFaceChallenge);
    clock_.steady += std::chrono::milliseconds(1000);
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kStaffCheck);
    EXPECT_EQ(c.view().message, "presentation-attack-suspected:challenge-no-response");
}

TEST_F(PresentationTest, StreamEndingDuringTheChallengeIsNoResponse) {
    auto c = make();
    toFace(c, unsure());
    ASSERT_TRUE(c.faceStreamEnded());
    EXPECT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(reasonWire(c.data().presentationRefusal),
              "presentation-attack-suspected:challenge-no-response");
}

TEST_F(PresentationTest, SomeoneElseAnsweringIsRefused) {
    auto c = make();
    toFace(c, unsure());
    face_.progress = {verdict(ChallengeVerdict::kPassed, true)};
    c.faceFrame(vision::Frame{});
    EXPECT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(c.view().message, "presentation-attack-suspected:challenge-identity-mismatch");
}

TEST_F(PresentationTest, ChallengeAlwaysChallengesALiveMatchToo) {
    SessionConfig config;
    config.challenge.mode = ChallengeMode::kAlways;
    auto c = make(config);
    FaceAttempt live{true, 0.2, 0.34, "accepted"};
    live.identityMatched = true;
    live.presentation = PV::kLive;
    toFace(c, live);
    EXPECT_EQ(c.state(), SessionState::kFaceChallenge);
    // Without the setting a live match goes straight on.
    auto d = make();
    face_.attempts.push_back(live);
    d.cardInserted();
    d.chooseMethod(IdentityMethod::kFace);
    d.faceFrame(vision::Frame{});
    EXPECT_EQ(d.state(), SessionState::kConsent);
}

TEST_F(PresentationTest, UnsureWithoutIdentityMatchIsAnOrdinaryFailedAttempt) {
    FaceAttempt a{false, 0.6, 0.34, "mismatch"};
    a.presentation = PV::kUnsure;
    auto c = make();
    toFace(c, a);
    EXPECT_EQ(c.state(), SessionState::kFaceCapture);  // retry, as before
    EXPECT_EQ(reasonWire(c.data().presentationRefusal), "");
}

// The demo still camera is honoured only in demo-still mode; then the row names it.
TEST_F(PresentationTest, StillImageCaptureOnlyInDemoStillMode) {
    {
        auto c = make();
        c.setStillImageCapture(true);
        toFace(c, FaceAttempt{true, 0.2, 0.34, "accepted"});
        ASSERT_FALSE(face_.stillArgs.empty());
        EXPECT_FALSE(face_.stillArgs.back());  // a still in live mode is a stream like any other
        c.cancel();
        ASSERT_EQ(log_.rows.size(), 1u);
        EXPECT_FALSE(log_.rows[0].phaseMs.contains("face_demo_still"));
    }
    SessionConfig demo;
    demo.demoStillCamera = true;
    auto c = make(demo);
    c.setStillImageCapture(true);
    toFace(c, FaceAttempt{true, 0.2, 0.34, "accepted"});
    EXPECT_TRUE(face_.stillArgs.back());
    c.cancel();
    ASSERT_EQ(log_.rows.size(), 2u);
    EXPECT_TRUE(log_.rows[1].phaseMs.contains("face_demo_still"));
    EXPECT_FALSE(log_.rows[1].phaseMs.contains("face"));
}

}  // namespace
}  // namespace uketsuke::terminal
