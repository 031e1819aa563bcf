// The face path of the session controller (session_controller.h; issue 5 and 13): the card front
// read and 照合番号B, the chip photo as reference, the attempts on live frames, the presentation
// check and the active challenge, and the fall-through the identity policy decides after a failure
// or a refused presentation.
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "card/verification_number_b.h"
#include "terminal/session/session_controller.h"

namespace uketsuke::terminal {

using card::CardErrorCode;
using card::RetryCounter;

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

}  // namespace uketsuke::terminal
