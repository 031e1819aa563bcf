// Unit tests of the session controller (terminal/session/session_controller.h) over in-memory
// ports: the flow, fall-throughs, wiping and the one log row per session.
#include "terminal/session/session_controller.h"

#include <gtest/gtest.h>

#include "terminal/qualification/codec.h"
#include "tests/unit/session/session_fakes.h"

namespace uketsuke::terminal {
namespace {

using namespace uketsuke::terminal::test;

class ControllerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        card_.info.cardClass = card::CardClass::kNormal;
        card_.info.authCertificate = testCertificate();
        if (card_.info.authCertificate.empty())
            GTEST_SKIP() << "test PKI not built (build/pki)";
        card_.info.authPin = RetryCounter{RetryCounter::State::kTriesLeft, 3};
        card_.info.verificationNumberB = RetryCounter{RetryCounter::State::kTriesLeft, 10};
        catalog_.version = "test-1";
        catalog_.items = {
            {"medical-treatment", "", "MedicalTreatmentInfo", true, ""},
            {"specific-diseases", "", "SpecificDiseasesCertificateRelated", false, ""}};
    }
    SessionController make() {
        SessionPorts p;
        p.card = &card_;
        p.face = &face_;
        p.cardFront = &front_;
        p.qualification = &qualification_;
        p.results = &results_;
        p.log = &log_;
        p.clock = &clock_;
        p.consent = &catalog_;
        return SessionController(p, SessionConfig{});
    }
    FakeCard card_;
    FakeFace face_;
    FakeFront front_;
    FakeQualification qualification_;
    FakeResults results_;
    FakeLog log_;
    FakeClock clock_;
    ConsentCatalog catalog_;
};

card::CardStatus wrongPin(int left) {
    card::CardError e{CardErrorCode::kWrongCredential, 0x63C0, "VERIFY", left};
    return fail(e);
}

// PIN path: the card signs SHA-256(challenge); one confirmed row, result file written.
TEST_F(ControllerTest, PinPathConfirmsAndLogsOnce) {
    card_.pinAnswers = {card::CardStatus(Unit{})};
    auto c = make();
    c.cardInserted();
    ASSERT_EQ(c.state(), SessionState::kChoosingMethod);
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kPin));
    EXPECT_EQ(c.view().pinTriesLeft, 3);
    c.pinEntered(SecretBytes("1234"));
    ASSERT_EQ(c.state(), SessionState::kConsent);
    c.consentGiven(ConsentChoices{true, {}});
    EXPECT_EQ(c.state(), SessionState::kShowingResult);
    EXPECT_EQ(card_.signedDigest, sha256(Bytes{1, 2, 3}));
    EXPECT_EQ(results_.writes, 1);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kConfirmed);
    EXPECT_EQ(log_.rows[0].identityMethod, IdentityMethod::kPin);
    EXPECT_EQ(log_.rows[0].consent["items"].size(), 2u);
    c.resultAcknowledged();
    c.cardRemoved();
    EXPECT_EQ(c.state(), SessionState::kIdle);
    EXPECT_EQ(log_.rows.size(), 1u);
}

// Pulling the card at the PIN pad aborts, logs once, resets the card and wipes the data.
TEST_F(ControllerTest, CardRemovedAbortsAndWipes) {
    auto c = make();
    c.cardInserted();
    c.chooseMethod(IdentityMethod::kPin);
    c.cardRemoved();
    EXPECT_EQ(c.state(), SessionState::kIdle);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kAborted);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "card-removed");
    EXPECT_GE(card_.closes, 1);
    EXPECT_FALSE(c.data().card.has_value());
}

// Three failed face attempts fall through to the PIN pad; the face reference is wiped at the end.
TEST_F(ControllerTest, FaceFailuresFallThroughToPin) {
    for (int i = 0; i < 3; ++i)
        face_.attempts.push_back(FaceAttempt{false, 0.8, 0.5, "mismatch"});
    auto c = make();
    c.cardInserted();
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
    ASSERT_EQ(c.state(), SessionState::kFaceCapture);
    EXPECT_TRUE(face_.hasReference);
    vision::Frame frame;
    for (int i = 0; i < 3; ++i)
        c.faceFrame(frame);
    EXPECT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(c.data().faceAttempts, 3);
    c.cancel();
    EXPECT_FALSE(face_.hasReference);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].faceAttempts, 3);
    EXPECT_DOUBLE_EQ(*log_.rows[0].matchDistance, 0.8);
}

// Face path: the card accepted 照合番号B built from the card front's birth date (1980-02-17), so
// an answer for a person born another day is not this patient's: an error, no result file, one
// row. The same birth date written in the answer confirms.
TEST_F(ControllerTest, FaceAnswerForAnotherBirthDateIsNotWritten) {
    for (const auto& [birthdate, confirmed] :
         {std::pair{std::string("19800218"), false}, std::pair{std::string("19800217"), true}}) {
        face_ = FakeFace{};
        face_.attempts.push_back(FaceAttempt{true, 0.2, 0.5, ""});
        results_ = FakeResults{};
        log_ = FakeLog{};
        QualificationResult answer;
        answer.validity = QualificationValidity::kValid;
        QualificationRecord record;
        record.birthdate = birthdate;
        answer.records.push_back(record);
        qualification_.answer = answer;
        auto c = make();
        c.cardInserted();
        ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
        c.faceFrame(vision::Frame{});
        ASSERT_EQ(c.state(), SessionState::kConsent) << birthdate;
        c.consentGiven(ConsentChoices{true, {}});
        c.resultAcknowledged();
        c.cardRemoved();
        ASSERT_EQ(log_.rows.size(), 1u) << birthdate;
        EXPECT_EQ(log_.rows[0].outcome,
                  confirmed ? SessionOutcome::kConfirmed : SessionOutcome::kError)
            << birthdate;
        EXPECT_EQ(results_.writes, confirmed ? 1 : 0) << birthdate;
        EXPECT_EQ(reasonWire(log_.rows[0].failureReason),
                  confirmed ? "" : "answer-for-another-person");
    }
}

// Issue 16: with the chip photo read, the face attestation carries the card's answer to the
// service's challenge (the card signs the challenge itself); a card pulled while answering
// aborts as card-removed, and a card that cannot answer is an error with no request sent.
TEST_F(ControllerTest, FaceAttestationCarriesTheCardsAnswer) {
    card_.evidence =
        card::CardKeyEvidence{Bytes(8, 0x7F), Bytes{0xDF, 0x22}, Bytes(96, 1), Bytes(256, 2)};
    auto runFace = [&] {
        face_ = FakeFace{};
        face_.attempts.push_back(FaceAttempt{true, 0.2, 0.5, ""});
        log_ = FakeLog{};
        qualification_.lastConfirm.reset();
        qualification_.lastAttestation.reset();
        auto c = make();
        c.cardInserted();
        EXPECT_TRUE(c.chooseMethod(IdentityMethod::kFace));
        c.faceFrame(vision::Frame{});
        EXPECT_EQ(c.state(), SessionState::kConsent);
        c.consentGiven(ConsentChoices{true, {}});
        c.resultAcknowledged();
        c.cardRemoved();
        EXPECT_EQ(log_.rows.size(), 1u);
        return log_.rows.empty() ? SessionSummary{} : log_.rows[0];
    };
    auto row = runFace();
    EXPECT_EQ(row.outcome, SessionOutcome::kConfirmed);
    EXPECT_EQ(card_.presenceChallenge, (Bytes{1, 2, 3}));  // the service's challenge
    ASSERT_TRUE(qualification_.lastAttestation && qualification_.lastAttestation->card);
    EXPECT_EQ(qualification_.lastAttestation->card->evidence.cvCertificate, Bytes(8, 0x7F));
    EXPECT_EQ(qualification_.lastAttestation->card->answer.signature, Bytes(256, 0x5B));

    card_.presenceError = card::CardError{CardErrorCode::kCardRemoved, 0, "pulled", {}};
    row = runFace();
    EXPECT_EQ(row.outcome, SessionOutcome::kAborted);
    EXPECT_EQ(reasonWire(row.failureReason), "card-removed");
    EXPECT_FALSE(qualification_.lastConfirm.has_value());

    card_.presenceError = card::CardError{CardErrorCode::kCloneSuspected, 0x6A80, "answer", {}};
    row = runFace();
    EXPECT_EQ(row.outcome, SessionOutcome::kError);
    EXPECT_EQ(reasonWire(row.failureReason), "card-presence-failed:clone-suspected");
    EXPECT_FALSE(qualification_.lastConfirm.has_value());
}

// A 顔認証マイナンバーカード never gets the PIN pad.
TEST_F(ControllerTest, FaceAuthCardRefusesPin) {
    card_.info.cardClass = card::CardClass::kFaceAuthCard;
    card_.info.authPin = RetryCounter{RetryCounter::State::kBlocked, 0};
    auto c = make();
    c.cardInserted();
    EXPECT_FALSE(c.view().offer.pin);
    EXPECT_FALSE(c.chooseMethod(IdentityMethod::kPin));
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
}

// Wrong PINs update the tries shown; the last try is refused until confirmed.
TEST_F(ControllerTest, PinTriesAndLastTryWarning) {
    card::CardError tooLow{CardErrorCode::kTriesTooLow, 0, "", 1};
    card_.pinAnswers = {wrongPin(2), wrongPin(1), card::CardStatus(fail(tooLow)),
                        card::CardStatus(Unit{})};
    auto c = make();
    c.cardInserted();
    c.chooseMethod(IdentityMethod::kPin);
    c.pinEntered(SecretBytes("1111"));
    EXPECT_EQ(c.view().pinTriesLeft, 2);
    EXPECT_FALSE(c.view().lastTryWarning);
    c.pinEntered(SecretBytes("2222"));
    EXPECT_EQ(c.view().pinTriesLeft, 1);
    EXPECT_TRUE(c.view().lastTryWarning);
    c.pinEntered(SecretBytes("1234"));
    EXPECT_EQ(c.state(), SessionState::kPinEntry);
    EXPECT_EQ(c.data().pinAttempts, 2);
    c.pinEntered(SecretBytes("1234"), card::LastTry::kConfirmed);
    EXPECT_EQ(card_.lastTrySeen, card::LastTry::kConfirmed);
    EXPECT_EQ(c.state(), SessionState::kConsent);
    EXPECT_EQ(c.data().pinAttempts, 3);
}

// Beyond grace: refused at the card with the reason logged; no method was offered.
TEST_F(ControllerTest, BeyondGraceRefused) {
    card_.validity = card::ValidityState::kExpiredBeyondGrace;
    auto c = make();
    c.cardInserted();
    EXPECT_EQ(c.state(), SessionState::kShowingResult);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kRefused);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "card-refused:certificate-expired");
}

// Within grace: the information-sharing consent items are not asked.
TEST_F(ControllerTest, GraceAsksOnlyNonInformationConsent) {
    card_.validity = card::ValidityState::kExpiredWithinGrace;
    card_.pinAnswers = {card::CardStatus(Unit{})};
    auto c = make();
    c.cardInserted();
    EXPECT_EQ(c.view().notice, AdmissionNotice::kQualificationOnly);
    c.chooseMethod(IdentityMethod::kPin);
    c.pinEntered(SecretBytes("1234"));
    c.consentGiven(ConsentChoices{true, {}});
    ASSERT_EQ(log_.rows.size(), 1u);
    ASSERT_EQ(log_.rows[0].consent["items"].size(), 1u);
    EXPECT_EQ(log_.rows[0].consent["items"][0]["id"], "specific-diseases");
}

// Service unreachable: a clear error outcome, logged, no result file.
TEST_F(ControllerTest, ServiceDownIsAnErrorOutcome) {
    QualificationError unreachable;
    unreachable.code = QualificationErrorCode::kUnreachable;
    qualification_.failWith = unreachable;
    card_.pinAnswers = {card::CardStatus(Unit{})};
    auto c = make();
    c.cardInserted();
    c.chooseMethod(IdentityMethod::kPin);
    c.pinEntered(SecretBytes("1234"));
    c.consentGiven(ConsentChoices{true, {}});
    EXPECT_EQ(c.state(), SessionState::kShowingResult);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(log_.rows[0].outcome, SessionOutcome::kError);
    EXPECT_EQ(log_.rows[0].resultCode, "unreachable");
    EXPECT_EQ(results_.writes, 0);
}

// Inactivity fires the timeout: the session is aborted and logged.
TEST_F(ControllerTest, InactivityTimeoutAborts) {
    auto c = make();
    c.cardInserted();
    clock_.steady += std::chrono::minutes(3);
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kRemoveCard);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "timeout");
}

// The countdown the screens show runs down with inactivity and restarts on input.
TEST_F(ControllerTest, TimeLeftCountsDownAndRestartsOnInput) {
    auto c = make();
    EXPECT_FALSE(c.timeLeft().has_value());  // idle: no timeout
    c.cardInserted();
    ASSERT_EQ(c.state(), SessionState::kChoosingMethod);
    EXPECT_EQ(c.timeLeft(), c.config().inactivityTimeout);
    clock_.steady += std::chrono::seconds(30);
    EXPECT_EQ(c.timeLeft(), c.config().inactivityTimeout - std::chrono::seconds(30));
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kPin));
    EXPECT_EQ(c.timeLeft(), c.config().inactivityTimeout);
}

// A card left in the reader after the session raises the alarm, not before the configured delay.
TEST_F(ControllerTest, CardLeftBehindRaisesAlarm) {
    auto c = make();
    c.cardInserted();
    c.cancel();
    ASSERT_EQ(c.state(), SessionState::kRemoveCard);
    EXPECT_FALSE(c.timeLeft().has_value());
    clock_.steady += c.config().cardLeftBehindAlarmAfter - std::chrono::milliseconds(1);
    c.tick();
    EXPECT_FALSE(c.view().cardLeftBehindAlarm);
    clock_.steady += std::chrono::milliseconds(1);
    c.tick();
    EXPECT_TRUE(c.view().cardLeftBehindAlarm);
    EXPECT_EQ(c.state(), SessionState::kRemoveCard);  // the alarm never ends the screen by itself
    ASSERT_TRUE(c.cardRemoved());
    EXPECT_EQ(c.state(), SessionState::kIdle);
    EXPECT_FALSE(c.view().cardLeftBehindAlarm);
    EXPECT_EQ(log_.rows.size(), 1u);
}

// A 照合番号B the card refuses is reported to the card-front reader (so OCR or staff never send
// it again), the face path is withdrawn, and each card insertion starts a new card session.
TEST_F(ControllerTest, RefusedVerificationNumberIsMarkedDoubtful) {
    card_.photoError = card::CardError{CardErrorCode::kWrongCredential, 0x63C9, "VERIFY", 9};
    auto c = make();
    c.cardInserted();
    EXPECT_EQ(front_.cardSessions, 1);
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
    ASSERT_EQ(front_.doubtfulExpiryYears, std::vector<int>{2035});
    EXPECT_FALSE(c.view().offer.face);
    EXPECT_EQ(c.view().message, "chip-photo-" + std::string(card_.photoError->name()));
}

// A patient who called staff is not timed out while waiting; the timeout restarts afterwards.
TEST_F(ControllerTest, NoTimeoutWhileWaitingForCalledStaff) {
    auto c = make();
    c.cardInserted();
    ASSERT_EQ(c.state(), SessionState::kChoosingMethod);
    c.staffCalled(true);
    EXPECT_FALSE(c.timeLeft().has_value());
    clock_.steady += c.config().inactivityTimeout * 3;
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
    c.staffCalled(false);
    EXPECT_EQ(c.timeLeft(), c.config().inactivityTimeout);
    clock_.steady += c.config().inactivityTimeout;
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kRemoveCard);
    ASSERT_EQ(log_.rows.size(), 1u);
    EXPECT_EQ(reasonWire(log_.rows[0].failureReason), "timeout");
}

// 「別の方法を選ぶ」 from the PIN pad and from the camera returns to the method choice with the
// session open; face chosen again reuses the verified chip photo (no second 照合番号B try).
TEST_F(ControllerTest, ChooseAnotherMethodKeepsTheSession) {
    face_.attempts.push_back(FaceAttempt{true, 0.2, 0.5, "matched"});
    auto c = make();
    c.cardInserted();
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kPin));
    EXPECT_FALSE(c.chooseMethod(IdentityMethod::kFace));  // not from the PIN pad itself
    ASSERT_TRUE(c.chooseAnotherMethod());
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
    ASSERT_EQ(c.state(), SessionState::kFaceCapture);
    EXPECT_EQ(card_.photoReads, 1);
    ASSERT_TRUE(c.chooseAnotherMethod());
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
    EXPECT_TRUE(face_.hasReference);
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kFace));
    EXPECT_EQ(c.state(), SessionState::kFaceCapture);
    EXPECT_EQ(card_.photoReads, 1);  // the verified photo was kept
    c.faceFrame(vision::Frame{});
    EXPECT_EQ(c.state(), SessionState::kConsent);
    EXPECT_FALSE(c.chooseAnotherMethod());  // identity verified: no way back to the choice
    EXPECT_TRUE(log_.rows.empty());
}

// A touch anywhere restarts the countdown; in idle there is nothing to restart.
TEST_F(ControllerTest, UserActivityRestartsTheCountdown) {
    auto c = make();
    EXPECT_FALSE(c.userActivity());
    c.cardInserted();
    clock_.steady += std::chrono::seconds(100);
    ASSERT_TRUE(c.userActivity());
    EXPECT_EQ(c.timeLeft(), c.config().inactivityTimeout);
    clock_.steady += c.config().inactivityTimeout - std::chrono::seconds(1);
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kChoosingMethod);
}

// The 目視 screen runs on the longer staff-check timeout, not the patient's.
TEST_F(ControllerTest, StaffCheckHasItsOwnLongerTimeout) {
    auto c = make();
    c.cardInserted();
    ASSERT_TRUE(c.chooseMethod(IdentityMethod::kStaff));
    ASSERT_GT(c.config().staffCheckTimeout, c.config().inactivityTimeout);
    EXPECT_EQ(c.timeLeft(), c.config().staffCheckTimeout);
    clock_.steady += c.config().inactivityTimeout + std::chrono::seconds(1);
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kStaffCheck);
    clock_.steady += c.config().staffCheckTimeout;
    c.tick();
    EXPECT_EQ(c.state(), SessionState::kRemoveCard);
}

}  // namespace
}  // namespace uketsuke::terminal
