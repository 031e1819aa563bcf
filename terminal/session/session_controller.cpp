#include "terminal/session/session_controller.h"

#include <signal.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "card/verification_number_b.h"
#include "terminal/log/confirmation_record.h"
#include "terminal/qualification/codec.h"

namespace uketsuke::terminal {
namespace {

using card::CardErrorCode;
using card::RetryCounter;
using Steady = std::chrono::steady_clock;

// Test hooks for the fault-injection test (issue 14), at the step boundaries of the
// confirmation (answered, staged, logged, published, marked):
//  * UKETSUKE_TEST_KILL_AT=<step> kills the process with SIGKILL there, as a power cut or kill -9
//    would;
//  * UKETSUKE_TEST_STOP_AT=<step> stops it there (SIGSTOP), so the test can take a server away
//    (a PostgreSQL outage) before it lets the session go on with SIGCONT.
void faultPoint(std::string_view step) {
    const char* kill = std::getenv("UKETSUKE_TEST_KILL_AT");
    if (kill && step == kill)
        ::kill(::getpid(), SIGKILL);
    const char* stop = std::getenv("UKETSUKE_TEST_STOP_AT");
    if (stop && step == stop)
        ::kill(::getpid(), SIGSTOP);
}

bool cardGone(CardErrorCode code) {
    return code == CardErrorCode::kCardRemoved || code == CardErrorCode::kNoCard ||
           code == CardErrorCode::kCardReset;
}

// Why an answer of the service does not confirm the patient; nullopt for a valid qualification.
std::optional<FailureReason> validityReason(QualificationValidity v) {
    switch (v) {
        case QualificationValidity::kValid:
        case QualificationValidity::kValidUnregisteredMedicalAid:
            return std::nullopt;
        case QualificationValidity::kInvalid:
            return FailureReason::kQualificationInvalid;
        case QualificationValidity::kInvalidNewQualification:
            return FailureReason::kQualificationInvalidNewQualification;
        case QualificationValidity::kNotFound:
            return FailureReason::kQualificationNotFound;
        case QualificationValidity::kMultipleMatches:
            return FailureReason::kQualificationMultipleMatches;
    }
    return FailureReason::kQualificationInvalid;  // not reached: the codec admits only the above
}

// The reason of a session aborted by `event` when no step named one (card removed, timeout and
// cancel are the only events that abort, session_state.cpp).
FailureReason abortReason(SessionEvent event) {
    if (event == SessionEvent::kCardRemoved)
        return FailureReason::kCardRemoved;
    if (event == SessionEvent::kTimeout)
        return FailureReason::kTimeout;
    return FailureReason::kCancelled;
}

}  // namespace

SessionController::SessionController(SessionPorts ports, SessionConfig config)
    : ports_(ports), config_(config) {}

SessionController::~SessionController() {
    // A session still open when the terminal shuts down is logged as aborted and wiped. Logging
    // can throw (allocation, the log's driver); a destructor must not (std::terminate), so the
    // failure is reported on stderr and the wipe below still runs.
    try {
        if (active_) {
            data_.outcome = SessionOutcome::kAborted;
            data_.failureReason = SessionReason(FailureReason::kTerminalShutdown);
            endSession(SessionOutcome::kAborted);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "session: the open session could not be logged at shutdown: %s\n",
                     e.what());
    } catch (...) {
        std::fprintf(stderr, "session: the open session could not be logged at shutdown\n");
    }
    if (ports_.face)
        ports_.face->wipe();
    data_.wipe();
}

void SessionController::touch() {
    lastInput_ = ports_.clock->steadyNow();
}

void SessionController::addPhase(const std::string& phase, Steady::time_point start) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(ports_.clock->steadyNow() - start);
    data_.phaseUs[phase] += us.count();
}

bool SessionController::apply(SessionEvent event) {
    const auto t = next(view_.state, event);
    if (!t)
        return false;
    view_.state = t->to;
    if (t->end == SessionEnd::kAborted) {
        data_.outcome = SessionOutcome::kAborted;
        if (!data_.failureReason)
            data_.failureReason = SessionReason(abortReason(event));
        endSession(SessionOutcome::kAborted);
    } else if (t->end != SessionEnd::kNone) {
        // Every step that leads to a refusing or completing transition decides the outcome
        // first; a refusing transition without one is a refusal.
        endSession(data_.outcome.value_or(SessionOutcome::kRefused));
    }
    if (t->to == SessionState::kIdle || t->to == SessionState::kRemoveCard) {
        // Nothing verified outlives the session: reset the card, forget the embedding and data.
        if (ports_.card)
            ports_.card->close();
        if (ports_.face)
            ports_.face->wipe();
        data_.wipe();
        const SessionState state = view_.state;
        view_ = SessionView{};
        view_.state = state;
        removeCardSince_ = ports_.clock->steadyNow();
        waitingForStaff_ = false;
    }
    return true;
}

void SessionController::endSession(SessionOutcome outcome) {
    if (!active_)
        return;
    active_ = false;
    data_.outcome = outcome;
    SessionSummary s;
    s.sessionId = data_.sessionId;
    s.startedAt = data_.startedAt;
    s.endedAt = std::max(ports_.clock->systemNow(), data_.startedAt);
    if (data_.card)
        s.cardClass = std::string(card::cardClassName(data_.card->cardClass));
    s.identityMethod = data_.method.value_or(IdentityMethod::kNone);
    s.faceAttempts = data_.faceAttempts;
    s.pinAttempts = data_.pinAttempts;
    s.staffAttempts = data_.staffAttempts;
    if (data_.faceAttempts > 0)
        s.matchDistance = data_.bestDistance;
    s.staffId = data_.staffId;
    if (data_.consent)
        s.consent = data_.consent->toLogJson();
    s.resultCode = data_.resultCode;
    s.outcome = outcome;
    if (outcome != SessionOutcome::kConfirmed)
        s.failureReason = data_.failureReason;
    // A refused presentation is the session's reason whatever happened next (issue 13): the
    // fallback may confirm the patient, but the row still says an attack was suspected.
    if (data_.presentationRefusal)
        s.failureReason = data_.presentationRefusal;
    for (const auto& [phase, us] : data_.phaseUs) {
        // A face check on the demo still camera is named as such in the row (issue 13 item 6).
        const std::string name =
            phase == "face" && data_.demoStillUsed ? std::string("face_demo_still") : phase;
        s.phaseMs[name] = (us + 500) / 1000;
    }
    s.phaseUs = data_.phaseUs;
    lastLogError_.reset();
    // One ordering (issue 14): the row, with a pending-publication entry naming the staged
    // file, is committed before the file is published; a log that refuses the row means the
    // file is dropped and the session is not confirmed.
    std::optional<StagedResultRef> staged = std::move(data_.stagedResult);
    data_.stagedResult.reset();
    if (ports_.log) {
        auto appended = staged ? ports_.log->appendPending(s, *staged) : ports_.log->append(s);
        if (!appended) {
            lastLogError_ = appended.error();
            if (staged) {
                ports_.results->discard(*staged);
                staged.reset();
                s.outcome = SessionOutcome::kError;
                s.failureReason = SessionReason(FailureReason::kLogRefused);
                view_.message = "log-refused";
            }
        }
    }
    if (staged) {
        faultPoint("logged");
        auto published = ports_.results->publish(*staged);
        if (published) {
            data_.resultFile = published.value();
            faultPoint("published");
            if (ports_.log) {
                auto marked =
                    ports_.log->markPublished(s.sessionId, *staged, published->filename().string());
                // The file is out and the row is in; start-up reconciliation marks it.
                if (!marked)
                    lastLogError_ = "publication not marked: " + marked.error();
            }
            faultPoint("marked");
        } else {
            // The row is committed and the staged file kept: start-up reconciliation publishes
            // it. Until then the billing system does not have it.
            lastLogError_ = "result file staged but not published: " + published.error();
        }
    }
    lastResultFile_ = data_.resultFile;
    lastSummary_ = std::move(s);
}

bool SessionController::cardInserted() {
    if (view_.state != SessionState::kIdle)
        return false;
    touch();
    lastSummary_.reset();
    lastResultFile_.reset();
    data_ = SessionData{};
    // The one UUID source (OpenSSL RAND). Should it fail, the id stays empty: the log refuses the
    // row (invalid-record) and nothing is confirmed.
    if (auto id = newSessionId())
        data_.sessionId = std::move(id).takeValue();
    data_.startedAt = ports_.clock->systemNow();
    active_ = true;
    if (ports_.cardFront)
        ports_.cardFront->beginCardSession();
    apply(SessionEvent::kCardInserted);
    readCard();
    return true;
}

void SessionController::readCard() {
    const auto t0 = ports_.clock->steadyNow();
    auto info = ports_.card->open();
    if (!info) {
        addPhase("card_read", t0);
        if (cardLeftReader(info.error().code)) {
            data_.failureReason = SessionReason(FailureReason::kCardRemoved);
            apply(SessionEvent::kCardRemoved);
            return;
        }
        data_.failureReason = SessionReason(FailureReason::kCardUnreadable, info.error().name());
        data_.outcome = SessionOutcome::kError;
        data_.resultCode = std::string(info.error().name());
        view_.message = "card-unreadable";
        apply(SessionEvent::kCardRefused);
        return;
    }
    data_.card = std::move(info).takeValue();
    data_.facts.cardClass = data_.card->cardClass;
    data_.facts.authPin = data_.card->authPin;
    data_.facts.verificationNumberB = data_.card->verificationNumberB;
    const bool myNumberCard = data_.card->cardClass == card::CardClass::kNormal ||
                              data_.card->cardClass == card::CardClass::kPinLocked ||
                              data_.card->cardClass == card::CardClass::kFaceAuthCard;
    if (myNumberCard) {
        auto check = ports_.card->checkAuthCertificate(*data_.card, ports_.clock->systemNow());
        if (!check) {
            addPhase("card_read", t0);
            data_.failureReason =
                SessionReason(FailureReason::kCertificateRefused, check.error().name());
            data_.resultCode = std::string(check.error().name());
            data_.outcome = SessionOutcome::kRefused;
            view_.message = "certificate-refused";
            apply(SessionEvent::kCardRefused);
            return;
        }
        data_.facts.validity = check->report.validity;
    }
    data_.admission = admitCard(data_.facts);
    view_.notice = data_.admission.notice;
    view_.refusal = data_.admission.refusal;
    addPhase("card_read", t0);
    if (!data_.admission.admitted) {
        const std::string refusal(admissionRefusalName(data_.admission.refusal));
        data_.outcome = SessionOutcome::kRefused;
        data_.failureReason = SessionReason(FailureReason::kCardRefused, refusal);
        data_.resultCode = refusal;
        view_.message = refusal;
        apply(SessionEvent::kCardRefused);
        return;
    }
    data_.offer = offeredMethods(data_.facts, config_.policy);
    if (!ports_.face || !ports_.cardFront)
        data_.offer.face = false;
    view_.offer = data_.offer;
    view_.pinTriesLeft = data_.offer.pinTriesLeft;
    view_.message = std::string(admissionNoticeName(data_.admission.notice));
    apply(SessionEvent::kCardAccepted);
}

bool SessionController::chooseMethod(IdentityMethod method) {
    if (view_.state != SessionState::kChoosingMethod)
        return false;
    touch();
    switch (method) {
        case IdentityMethod::kFace:
            if (!data_.offer.face)
                return false;
            apply(SessionEvent::kChooseFace);
            startFace();
            return true;
        case IdentityMethod::kPin:
            if (!data_.offer.pin)
                return false;
            view_.pinTriesLeft = data_.offer.pinTriesLeft;
            view_.lastTryWarning = view_.pinTriesLeft && *view_.pinTriesLeft == 1;
            return apply(SessionEvent::kChoosePin);
        case IdentityMethod::kStaff:
            if (!data_.offer.staff)
                return false;
            return apply(SessionEvent::kChooseStaff);
        case IdentityMethod::kNone:
            return false;
    }
    return false;
}

void SessionController::startFace() {
    const auto t0 = ports_.clock->steadyNow();
    if (data_.chipPhotoVerified) {
        // Back from 「別の方法を選ぶ」: the reference photo is still set; no new 照合番号B try.
        apply(SessionEvent::kChipPhotoReady);
        beginFaceAttempt();
        return;
    }
    auto unavailable = [&](const std::string& why) {
        addPhase("chip_photo", t0);
        view_.message = why;
        data_.offer.face = false;  // do not offer a path that just failed
        view_.offer = data_.offer;
        apply(SessionEvent::kChipPhotoUnavailable);
    };
    auto fields = ports_.cardFront->readFields();
    if (!fields)
        return unavailable("card-front-unavailable");
    class WipeCode {  // the security code leaves memory on every path out of here
      public:
        explicit WipeCode(CardFrontFields& f) : f_(f) {}
        ~WipeCode() { f_.securityCode.clear(); }
        WipeCode(const WipeCode&) = delete;
        WipeCode& operator=(const WipeCode&) = delete;

      private:
        CardFrontFields& f_;
    } wipeCode{*fields};
    const std::string_view code(reinterpret_cast<const char*>(fields->securityCode.view().data()),
                                fields->securityCode.size());
    auto number = card::buildVerificationNumberB(fields->birthDate, fields->expiryYear, code);
    if (!number)
        return unavailable("card-front-invalid");
    auto photo =
        ports_.card->readVerifiedPhoto(std::move(number).takeValue(), card::LastTry::kNotConfirmed);
    if (!photo) {
        const auto& e = photo.error();
        if (cardLeftReader(e.code)) {
            data_.failureReason = SessionReason(FailureReason::kCardRemoved);
            addPhase("chip_photo", t0);
            apply(SessionEvent::kCardRemoved);
            return;
        }
        if (e.code == CardErrorCode::kWrongCredential) {
            ports_.cardFront->markDoubtful(*fields);  // never sent to this card again
            if (e.triesLeft)
                data_.facts.verificationNumberB =
                    RetryCounter{RetryCounter::State::kTriesLeft, *e.triesLeft};
        }
        return unavailable("chip-photo-" + std::string(e.name()));
    }
    auto verified = std::move(photo).takeValue();
    auto reference = ports_.face->setReference(verified.jp2);
    OPENSSL_cleanse(verified.jp2.data(), verified.jp2.size());
    if (!reference)
        return unavailable("chip-photo-unusable");
    data_.chipPhotoVerified = true;
    if (!verified.evidence.cvCertificate.empty())
        data_.cardKeyEvidence = std::move(verified.evidence);
    // The card accepted 照合番号B built from this birth date: its era digits are proven, and the
    // answer must be for a person born that day (issue 14, answers checked against the card).
    if (auto digits = card::eraBirthDigits(fields->birthDate))
        data_.provenBirthDigits = digits.value();
    addPhase("chip_photo", t0);
    apply(SessionEvent::kChipPhotoReady);
    beginFaceAttempt();
}

void SessionController::beginFaceAttempt() {
    if (faceStill_)
        data_.demoStillUsed = true;
    ports_.face->beginAttempt(faceStill_);
}

std::uint32_t SessionController::random() {
    if (ports_.random)
        return ports_.random->next();
    std::uint32_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1)
        v = static_cast<std::uint32_t>(ports_.clock->steadyNow().time_since_epoch().count());
    return v;
}

void SessionController::beginChallenge() {
    const auto action =
        static_cast<vision::ChallengeAction>(random() % vision::kChallengeActionCount);
    const auto& c = config_.challenge;
    const auto span = std::max<std::int64_t>(0, (c.promptDelayMax - c.promptDelayMin).count());
    const auto delay = c.promptDelayMin +
                       std::chrono::milliseconds(random() % static_cast<std::uint32_t>(span + 1));
    view_.challengeAction = action;
    view_.challengePrompted = false;
    view_.challengeTimeLeft.reset();
    view_.message = "challenge";
    challengeSince_ = ports_.clock->steadyNow();
    ports_.face->beginChallenge(action, delay);
}

void SessionController::refusePresentation(const SessionReason& reason) {
    data_.presentationRefusal = reason;
    data_.failureReason = reason;
    view_.message = reason.wire();
    // No further face attempt in this session: the face method closes.
    data_.offer.face = false;
    const SessionEvent event = afterPresentationRefused(data_.facts, config_.policy);
    apply(event);
    view_.offer = data_.offer;
    view_.challengeAction.reset();
    view_.challengePrompted = false;
    view_.challengeTimeLeft.reset();
    if (event == SessionEvent::kFallbackToPin) {
        view_.pinTriesLeft = data_.offer.pinTriesLeft;
        view_.lastTryWarning = view_.pinTriesLeft && *view_.pinTriesLeft == 1;
    }
}

void SessionController::concludeChallenge(vision::ChallengeVerdict verdict, bool identityMismatch) {
    if (verdict == vision::ChallengeVerdict::kPassed && !identityMismatch) {
        data_.method = IdentityMethod::kFace;
        view_.message = "face-matched";
        view_.challengeAction.reset();
        view_.challengePrompted = false;
        view_.challengeTimeLeft.reset();
        apply(SessionEvent::kChallengePassed);
        return;
    }
    const std::string why = identityMismatch ? std::string("identity-mismatch")
                                             : std::string(vision::challengeVerdictName(verdict));
    refusePresentation(
        SessionReason(FailureReason::kPresentationAttackSuspected, "challenge-" + why));
}

bool SessionController::faceFrame(const vision::Frame& frame) {
    if (view_.state == SessionState::kFaceChallenge) {
        touch();
        const auto t0 = ports_.clock->steadyNow();
        const auto progress = ports_.face->addChallengeFrame(frame);
        addPhase("face_challenge", t0);
        view_.faceHint = progress.hint;
        view_.challengePrompted = progress.promptShown;
        view_.challengeTimeLeft = progress.timeLeft;
        if (progress.verdict && *progress.verdict != vision::ChallengeVerdict::kPending)
            concludeChallenge(*progress.verdict, progress.identityMismatch);
        return true;
    }
    if (view_.state != SessionState::kFaceCapture)
        return false;
    touch();
    const auto t0 = ports_.clock->steadyNow();
    auto decision = ports_.face->addFrame(frame);
    view_.faceHint = ports_.face->lastHint();
    addPhase("face", t0);
    if (decision)
        concludeFaceAttempt(*decision);
    return true;
}

bool SessionController::faceStreamEnded() {
    if (view_.state == SessionState::kFaceChallenge) {
        const auto t0 = ports_.clock->steadyNow();
        const auto verdict = ports_.face->finishChallenge();
        addPhase("face_challenge", t0);
        concludeChallenge(verdict, false);
        return true;
    }
    if (view_.state != SessionState::kFaceCapture)
        return false;
    const auto t0 = ports_.clock->steadyNow();
    const auto attempt = ports_.face->finishAttempt();
    addPhase("face", t0);
    concludeFaceAttempt(attempt);
    return true;
}

void SessionController::concludeFaceAttempt(const FaceAttempt& attempt) {
    ++data_.faceAttempts;
    if (attempt.distance && (!data_.bestDistance || *attempt.distance < *data_.bestDistance))
        data_.bestDistance = attempt.distance;
    data_.faceThreshold = attempt.threshold;
    using PV = PresentationVerdict;
    if (attempt.matched && attempt.distance) {
        if (config_.challenge.mode == ChallengeMode::kAlways) {
            apply(SessionEvent::kChallengeRequired);
            beginChallenge();
            return;
        }
        data_.method = IdentityMethod::kFace;
        view_.message = "face-matched";
        apply(SessionEvent::kFaceMatched);
        return;
    }
    if (attempt.presentation == PV::kAttackSuspected) {
        // A photo, a screen or the card itself: refused, never retried (issue 13 item 5).
        refusePresentation(SessionReason(FailureReason::kPresentationAttackSuspected));
        return;
    }
    if (attempt.identityMatched && attempt.distance && attempt.presentation == PV::kUnsure) {
        apply(SessionEvent::kChallengeRequired);
        beginChallenge();
        return;
    }
    view_.message = "face-" + attempt.reason;
    const SessionEvent event = afterFaceFailure(data_.faceAttempts, data_.facts, config_.policy);
    data_.failureReason = SessionReason(FailureReason::kFaceFailed, attempt.reason);
    apply(event);
    if (event == SessionEvent::kFaceRetry) {
        beginFaceAttempt();
    } else if (event == SessionEvent::kFallbackToPin) {
        view_.pinTriesLeft = data_.offer.pinTriesLeft;
        view_.lastTryWarning = view_.pinTriesLeft && *view_.pinTriesLeft == 1;
    }
}

bool SessionController::pinEntered(SecretBytes pin, card::LastTry lastTry) {
    if (view_.state != SessionState::kPinEntry)
        return false;
    touch();
    const auto t0 = ports_.clock->steadyNow();
    auto status = ports_.card->verifyAuthPin(std::move(pin), lastTry);
    addPhase("pin", t0);
    if (status) {
        ++data_.pinAttempts;
        data_.method = IdentityMethod::kPin;
        view_.message = "pin-accepted";
        return apply(SessionEvent::kPinAccepted);
    }
    const auto& e = status.error();
    switch (e.code) {
        case CardErrorCode::kWrongCredential: {
            ++data_.pinAttempts;
            const int left = e.triesLeft.value_or(0);
            const RetryCounter counter = left > 0
                                             ? RetryCounter{RetryCounter::State::kTriesLeft, left}
                                             : RetryCounter{RetryCounter::State::kBlocked, 0};
            data_.facts.authPin = counter;
            data_.offer.pinTriesLeft = left;
            view_.pinTriesLeft = left;
            view_.lastTryWarning = left == 1;
            view_.message = left > 0 ? "pin-wrong" : "pin-locked";
            data_.failureReason =
                SessionReason(left > 0 ? FailureReason::kPinWrong : FailureReason::kPinLocked);
            return apply(afterPinFailure(counter, config_.policy));
        }
        case CardErrorCode::kTriesTooLow:
            // Nothing was sent to the card: the patient must first see the last-try warning.
            view_.lastTryWarning = true;
            view_.message = "pin-last-try-needs-confirmation";
            return true;
        case CardErrorCode::kInvalidInput:
            view_.message = "pin-format";
            return true;
        case CardErrorCode::kBlocked:
            // 63C0 right after a VERIFY that had tries left: this entry spent the last try.
            if (data_.facts.authPin &&
                data_.facts.authPin->state == RetryCounter::State::kTriesLeft)
                ++data_.pinAttempts;
            data_.facts.authPin = RetryCounter{RetryCounter::State::kBlocked, 0};
            view_.message = "pin-locked";
            data_.failureReason = SessionReason(FailureReason::kPinLocked);
            return apply(SessionEvent::kFallbackToStaff);
        default:
            if (cardLeftReader(e.code)) {
                data_.failureReason = SessionReason(FailureReason::kCardRemoved);
                return apply(SessionEvent::kCardRemoved);
            }
            view_.message = "pin-" + std::string(e.name());
            data_.failureReason = SessionReason(FailureReason::kPinFailed, e.name());
            return apply(SessionEvent::kFallbackToStaff);
    }
}

StaffAuthOutcome SessionController::staffInput(StaffInput input) {
    if (view_.state != SessionState::kStaffCheck || !ports_.staff) {
        input.password.clear();
        return StaffAuthOutcome::kUnknownStaff;
    }
    touch();
    const auto t0 = ports_.clock->steadyNow();
    ++data_.staffAttempts;
    const auto outcome =
        ports_.staff->check(input.staffId, std::move(input.password), ports_.clock->steadyNow());
    addPhase("staff", t0);
    if (outcome != StaffAuthOutcome::kAccepted) {
        view_.message = "staff-" + std::string(staffAuthOutcomeName(outcome));
        return outcome;
    }
    data_.staffId = input.staffId;
    data_.method = IdentityMethod::kStaff;
    if (input.decision == StaffDecision::kApprove) {
        view_.message = "staff-approved";
        apply(SessionEvent::kStaffApproved);
    } else {
        data_.outcome = SessionOutcome::kRefused;
        data_.staffDecisionReason = input.reason;
        data_.failureReason = SessionReason(FailureReason::kStaffRejected, input.reason);
        data_.resultCode = "staff-rejected";
        view_.message = "staff-rejected";
        apply(SessionEvent::kStaffRejected);
    }
    return outcome;
}

bool SessionController::consentGiven(const ConsentChoices& choices) {
    if (view_.state != SessionState::kConsent || !ports_.consent)
        return false;
    touch();
    const auto t0 = ports_.clock->steadyNow();
    const bool qualificationOnly = data_.admission.notice == AdmissionNotice::kQualificationOnly;
    auto record =
        recordConsent(*ports_.consent, choices, qualificationOnly, ports_.clock->systemNow());
    if (!record) {
        view_.message = "consent-invalid";
        return false;
    }
    data_.consent = std::move(record).takeValue();
    addPhase("consent", t0);
    apply(SessionEvent::kConsentGiven);
    runConfirmation();
    return true;
}

bool SessionController::cardLeftReader(CardErrorCode code) {
    // A transport failure is a pulled card only when the reader says so (cardWasRemoved waits
    // briefly for pcscd's presence poll).
    return cardGone(code) || (code == CardErrorCode::kTransport && ports_.card->cardWasRemoved());
}

void SessionController::runConfirmation() {
    const auto t0 = ports_.clock->steadyNow();
    auto failed = [&](const QualificationError& e) {
        const bool refused = e.code == QualificationErrorCode::kRefused;
        data_.outcome = refused ? SessionOutcome::kRefused : SessionOutcome::kError;
        data_.resultCode = std::string(qualificationErrorName(e.code));
        const std::string why = e.refusal != RefusalReason::kNone
                                    ? std::string(refusalReasonName(e.refusal))
                                    : data_.resultCode;
        if (e.refusal != RefusalReason::kNone)
            data_.failureReason = SessionReason(FailureReason::kQualificationRefused, why);
        else if (refused)
            data_.failureReason = SessionReason(FailureReason::kQualificationRefused);
        else
            data_.failureReason = SessionReason(FailureReason::kQualificationFailed, why);
        view_.message = "qualification-" + why;
        addPhase("confirm", t0);
        apply(SessionEvent::kQualificationFailed);
    };
    auto challenge = ports_.qualification->requestChallenge();
    if (!challenge)
        return failed(challenge.error());
    ConfirmRequest request;
    request.challenge = challenge.value();
    request.authCertificateDer = data_.card->authCertificate;
    request.method = *data_.method;
    if (*data_.method == IdentityMethod::kPin) {
        // The service expects a signature over pinProofDigestInfo(challenge); the card builds
        // that DigestInfo itself from the bare SHA-256 (jpki_ap.h signAuthDigest), so it gets
        // only the digest.
        auto signature = ports_.card->signAuthDigest(sha256(request.challenge.bytes));
        if (!signature) {
            addPhase("confirm", t0);
            if (cardGone(signature.error().code)) {
                data_.failureReason = SessionReason(FailureReason::kCardRemoved);
                apply(SessionEvent::kCardRemoved);
                return;
            }
            data_.outcome = SessionOutcome::kError;
            data_.resultCode = std::string(signature.error().name());
            data_.failureReason =
                SessionReason(FailureReason::kPinSignatureFailed, data_.resultCode);
            apply(SessionEvent::kQualificationFailed);
            return;
        }
        request.pinSignature = std::move(signature).takeValue();
    } else {
        AttestationInput in;
        in.challenge = request.challenge.bytes;
        in.method = *data_.method;
        in.authCertificateDer = data_.card->authCertificate;
        if (*data_.method == IdentityMethod::kFace)
            in.face = FaceCheck{data_.bestDistance.value_or(0.0), data_.faceThreshold};
        else
            in.staff = StaffCheck{data_.staffId.value_or("")};
        if (data_.cardKeyEvidence) {
            // The card answers the service's challenge: the service then knows the card is here
            // now, not only that this terminal says so (issue 16).
            auto answer = ports_.card->answerCardChallenge(request.challenge.bytes);
            if (!answer) {
                addPhase("confirm", t0);
                if (cardLeftReader(answer.error().code)) {
                    data_.failureReason = SessionReason(FailureReason::kCardRemoved);
                    apply(SessionEvent::kCardRemoved);
                    return;
                }
                data_.outcome = SessionOutcome::kError;
                data_.resultCode = std::string(answer.error().name());
                data_.failureReason =
                    SessionReason(FailureReason::kCardPresenceFailed, data_.resultCode);
                view_.message = "qualification-card-presence-" + data_.resultCode;
                apply(SessionEvent::kQualificationFailed);
                return;
            }
            in.card = CardPresence{*data_.cardKeyEvidence, std::move(answer).takeValue()};
        }
        in.time = std::chrono::system_clock::to_time_t(ports_.clock->systemNow());
        auto attestation = ports_.qualification->attest(in);
        if (!attestation)
            return failed(attestation.error());
        request.attestation = std::move(attestation).takeValue();
    }
    auto answer = ports_.qualification->confirm(request);
    if (!answer)
        return failed(answer.error());
    data_.result = std::move(answer).takeValue();
    const auto validity = data_.result->validity;
    data_.resultCode = std::to_string(static_cast<int>(validity));
    const auto reason = validityReason(validity);
    data_.outcome = reason ? SessionOutcome::kRefused : SessionOutcome::kConfirmed;
    data_.failureReason.reset();
    if (reason)
        data_.failureReason = SessionReason(*reason);
    const bool forThisPerson = answerMatchesProvenBirthDate(*data_.result);
    if (!forThisPerson) {
        // Never written for the billing system: the answer names someone else.
        data_.outcome = SessionOutcome::kError;
        data_.failureReason = SessionReason(FailureReason::kAnswerForAnotherPerson);
    }
    faultPoint("answered");
    if (ports_.results && forThisPerson) {
        ResultFileInput file;
        file.result = *data_.result;
        file.arbitraryFileIdentifier = data_.sessionId;
        if (data_.consent && ports_.consent)
            file.consents = data_.consent->toResultEntries(ports_.consent->items);
        auto staged = ports_.results->stage(
            file, std::chrono::system_clock::to_time_t(ports_.clock->systemNow()), data_.sessionId);
        if (staged) {
            data_.stagedResult = staged.value();
            faultPoint("staged");
        } else {
            // The billing system would never see this confirmation: not a confirmed session.
            data_.outcome = SessionOutcome::kError;
            data_.failureReason = SessionReason(FailureReason::kResultFileNotWritten);
        }
    }
    view_.message =
        data_.result->qualificationOnly ? "qualification-only" : "qualification-answered";
    addPhase("confirm", t0);
    apply(SessionEvent::kQualificationAnswered);
}

bool SessionController::answerMatchesProvenBirthDate(const QualificationResult& answer) const {
    if (!data_.provenBirthDigits)
        return true;  // PIN and staff paths: the terminal never learns the birth date
    for (const auto& record : answer.records) {
        if (record.birthdate.empty())
            continue;
        const auto& b = record.birthdate;  // YYYYMMDD (whitelisted by the client)
        const auto date = card::parseIsoDate(b.size() == 8 ? b.substr(0, 4) + "-" + b.substr(4, 2) +
                                                                 "-" + b.substr(6, 2)
                                                           : std::string());
        if (!date)
            return false;
        const auto digits = card::eraBirthDigits(*date);
        if (!digits || digits.value() != *data_.provenBirthDigits)
            return false;
    }
    return true;
}

bool SessionController::resultAcknowledged() {
    touch();
    return apply(SessionEvent::kResultAcknowledged);
}

bool SessionController::cardRemoved() {
    if (view_.state != SessionState::kShowingResult && view_.state != SessionState::kRemoveCard)
        data_.failureReason = SessionReason(FailureReason::kCardRemoved);
    return apply(SessionEvent::kCardRemoved);
}

bool SessionController::cancel() {
    data_.failureReason = SessionReason(FailureReason::kCancelled);
    return apply(SessionEvent::kCancel);
}

bool SessionController::shutdown() {
    data_.failureReason = SessionReason(FailureReason::kTerminalShutdown);
    return apply(SessionEvent::kCancel);
}

bool SessionController::timeout() {
    data_.failureReason = SessionReason(FailureReason::kTimeout);
    return apply(SessionEvent::kTimeout);
}

bool SessionController::chooseAnotherMethod() {
    if (view_.state != SessionState::kFaceCapture && view_.state != SessionState::kPinEntry &&
        view_.state != SessionState::kFaceChallenge)
        return false;
    touch();
    view_.challengeAction.reset();
    view_.challengePrompted = false;
    view_.challengeTimeLeft.reset();
    if (!apply(SessionEvent::kChooseAnother))
        return false;
    view_.faceHint = FaceHint{};
    view_.lastTryWarning = false;
    view_.message = std::string(admissionNoticeName(data_.admission.notice));
    return true;
}

bool SessionController::userActivity() {
    if (view_.state == SessionState::kIdle || view_.state == SessionState::kRemoveCard)
        return false;
    touch();
    return true;
}

std::chrono::milliseconds SessionController::currentTimeout() const {
    return view_.state == SessionState::kStaffCheck ? config_.staffCheckTimeout
                                                    : config_.inactivityTimeout;
}

void SessionController::tick() {
    const auto now = ports_.clock->steadyNow();
    if (view_.state == SessionState::kRemoveCard) {
        if (!view_.cardLeftBehindAlarm &&
            now - removeCardSince_ >= config_.cardLeftBehindAlarmAfter)
            view_.cardLeftBehindAlarm = true;
        return;
    }
    if (view_.state == SessionState::kIdle || waitingForStaff_)
        return;
    if (view_.state == SessionState::kFaceChallenge &&
        now - challengeSince_ >= config_.challenge.timeout) {
        // The camera stopped answering: the challenge has no response.
        concludeChallenge(vision::ChallengeVerdict::kNoResponse, false);
        return;
    }
    if (now - lastInput_ >= currentTimeout())
        timeout();
}

void SessionController::staffCalled(bool waiting) {
    if (view_.state == SessionState::kIdle || view_.state == SessionState::kRemoveCard)
        return;
    waitingForStaff_ = waiting;
    touch();
}

std::optional<std::chrono::milliseconds> SessionController::timeLeft() const {
    if (view_.state == SessionState::kIdle || view_.state == SessionState::kRemoveCard ||
        waitingForStaff_)
        return std::nullopt;
    const auto left = currentTimeout() - std::chrono::duration_cast<std::chrono::milliseconds>(
                                             ports_.clock->steadyNow() - lastInput_);
    return std::max(left, std::chrono::milliseconds{0});
}

}  // namespace uketsuke::terminal
