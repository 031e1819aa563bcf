// The session controller (session_controller.h): its life cycle, the card read and admission,
// the method choice, PIN, 目視 and consent, and the events every state accepts. The face path is
// in session_controller_face.cpp, the confirmation and the session's record in
// session_controller_confirmation.cpp.
#include "terminal/session/session_controller.h"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "terminal/log/confirmation_record.h"

namespace uketsuke::terminal {
namespace {

using card::CardErrorCode;
using card::RetryCounter;
using Steady = std::chrono::steady_clock;

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
