#include "terminal/session/identity_policy.h"

namespace uketsuke::terminal {
namespace {

using card::CardClass;
using card::RetryCounter;

bool cardAllowsPin(const CardFacts& facts) {
    // A 顔認証マイナンバーカード never gets a PIN pad, whatever its counter says.
    if (facts.cardClass != CardClass::kNormal)
        return false;
    if (!facts.authPin)
        return false;
    return facts.authPin->state == RetryCounter::State::kTriesLeft ||
           facts.authPin->state == RetryCounter::State::kAlreadyVerified;
}

bool pinOffered(const CardFacts& facts, const IdentityPolicyConfig& config) {
    if (!cardAllowsPin(facts))
        return false;
    if (facts.authPin->state == RetryCounter::State::kAlreadyVerified)
        return true;
    return facts.authPin->triesLeft > config.pinTriesNeedingStaff;
}

bool faceOffered(const CardFacts& facts, const IdentityPolicyConfig& config) {
    if (facts.cardClass == CardClass::kNotAMyNumberCard ||
        facts.cardClass == CardClass::kSmartphoneToken) {
        return false;
    }
    // The chip photo needs 照合番号B; without enough tries the face path cannot start.
    if (!facts.verificationNumberB)
        return false;
    const auto& b = *facts.verificationNumberB;
    if (b.state == RetryCounter::State::kAlreadyVerified)
        return true;
    return b.state == RetryCounter::State::kTriesLeft &&
           b.triesLeft >= config.minVerificationNumberBTries;
}

}  // namespace

std::string_view admissionRefusalName(AdmissionRefusal refusal) {
    switch (refusal) {
        case AdmissionRefusal::kNone:
            return "none";
        case AdmissionRefusal::kNotAMyNumberCard:
            return "not-a-my-number-card";
        case AdmissionRefusal::kSmartphoneToken:
            return "smartphone-token";
        case AdmissionRefusal::kCertificateExpired:
            return "certificate-expired";
        case AdmissionRefusal::kCertificateNotYetValid:
            return "certificate-not-yet-valid";
    }
    return "unknown";
}

std::string_view admissionNoticeName(AdmissionNotice notice) {
    switch (notice) {
        case AdmissionNotice::kNone:
            return "none";
        case AdmissionNotice::kRenewalDue:
            return "renewal-due";
        case AdmissionNotice::kQualificationOnly:
            return "qualification-only";
    }
    return "unknown";
}

MethodOffer offeredMethods(const CardFacts& facts, const IdentityPolicyConfig& config) {
    MethodOffer offer;
    offer.face = faceOffered(facts, config);
    offer.pin = pinOffered(facts, config);
    if (offer.pin && facts.authPin->state == RetryCounter::State::kTriesLeft) {
        offer.pinTriesLeft = facts.authPin->triesLeft;
    }
    return offer;
}

Admission admitCard(const CardFacts& facts) {
    Admission a;
    switch (facts.cardClass) {
        case CardClass::kNotAMyNumberCard:
            a.refusal = AdmissionRefusal::kNotAMyNumberCard;
            return a;
        case CardClass::kSmartphoneToken:
            a.refusal = AdmissionRefusal::kSmartphoneToken;
            return a;
        case CardClass::kNormal:
        case CardClass::kPinLocked:
        case CardClass::kFaceAuthCard:
            break;
    }
    switch (facts.validity) {
        case card::ValidityState::kValid:
            break;
        case card::ValidityState::kRenewalDue:
            a.notice = AdmissionNotice::kRenewalDue;
            break;
        case card::ValidityState::kExpiredWithinGrace:
            a.notice = AdmissionNotice::kQualificationOnly;
            break;
        case card::ValidityState::kExpiredBeyondGrace:
            a.refusal = AdmissionRefusal::kCertificateExpired;
            return a;
        case card::ValidityState::kNotYetValid:
            a.refusal = AdmissionRefusal::kCertificateNotYetValid;
            return a;
    }
    a.admitted = true;
    return a;
}

SessionEvent afterFaceFailure(int failedAttempts, const CardFacts& facts,
                              const IdentityPolicyConfig& config) {
    if (failedAttempts < config.maxFaceAttempts)
        return SessionEvent::kFaceRetry;
    if (config.pinFallbackAfterFace && pinOffered(facts, config)) {
        return SessionEvent::kFallbackToPin;
    }
    return SessionEvent::kFallbackToStaff;
}

SessionEvent afterPresentationRefused(const CardFacts& facts, const IdentityPolicyConfig& config) {
    if (config.pinFallbackAfterFace && pinOffered(facts, config))
        return SessionEvent::kFallbackToPin;
    return SessionEvent::kFallbackToStaff;
}

SessionEvent afterPinFailure(const card::RetryCounter& counterAfter,
                             const IdentityPolicyConfig& config) {
    if (counterAfter.state == RetryCounter::State::kTriesLeft &&
        counterAfter.triesLeft > config.pinTriesNeedingStaff) {
        return SessionEvent::kPinRetry;
    }
    return SessionEvent::kFallbackToStaff;
}

}  // namespace uketsuke::terminal
