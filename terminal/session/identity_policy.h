// Identity policy: which checks a card may be offered, what a failed attempt leads to, and
// whether a card is admitted at all (issue 4; reference qualification-domain.md §2-§3,
// card-protocol.md §4 and §7). Pure functions over card facts; the state machine
// (session_state.h) receives their answers as events.
#pragma once

#include <optional>
#include <string_view>

#include "card/card_classifier.h"
#include "card/certificate.h"
#include "card/iso7816.h"
#include "terminal/qualification/qualification_types.h"
#include "terminal/session/session_state.h"

namespace uketsuke::terminal {

// IdentityMethod is the qualification vocabulary's (qualification_types.h): one enum for the
// policy, the proof sent to the service and the result file; identityMethodName() names it.

struct IdentityPolicyConfig {
    // Failed face attempts (each a full multi-frame decision) before falling through.
    int maxFaceAttempts = 3;
    // Offer the PIN after face attempts are exhausted, where the card allows a PIN.
    bool pinFallbackAfterFace = true;
    // At or below this many PIN tries left, the PIN pad is not offered without staff
    // (card-protocol.md §4 policy: "refuse to VERIFY when it is <= 1 without explicit staff
    // confirmation"). The patient still sees the strong last-try warning when staff allow it.
    int pinTriesNeedingStaff = 0;
    // Below this many 照合番号B tries left the terminal does not try to unlock the chip photo
    // itself (the counter is shared with every other reader the card meets).
    int minVerificationNumberBTries = 2;
};

// What the terminal knows about the card before any credential is entered.
struct CardFacts {
    card::CardClass cardClass = card::CardClass::kNotAMyNumberCard;
    std::optional<card::RetryCounter> authPin;
    std::optional<card::RetryCounter> verificationNumberB;
    card::ValidityState validity = card::ValidityState::kValid;
};

struct MethodOffer {
    bool face = false;
    bool pin = false;
    bool staff = true;  // 目視 is always available: it needs no credential from the card
    std::optional<int> pinTriesLeft;  // shown before each attempt
};

MethodOffer offeredMethods(const CardFacts& facts, const IdentityPolicyConfig& config);

enum class AdmissionNotice {
    kNone,
    kRenewalDue,         // certificate expires within 3 months: tell the patient to renew
    kQualificationOnly,  // expired within grace: qualification only, no information sharing
};

// Why the terminal itself refuses a card (the service's own refusals are qualification_error.h's
// RefusalReason).
enum class AdmissionRefusal {
    kNone,
    kNotAMyNumberCard,
    kSmartphoneToken,     // needs the smartphone flow on a separate reader
    kCertificateExpired,  // beyond the grace period: renew at the municipality
    kCertificateNotYetValid,
};

struct Admission {
    bool admitted = false;
    AdmissionRefusal refusal = AdmissionRefusal::kNone;
    AdmissionNotice notice = AdmissionNotice::kNone;
};

Admission admitCard(const CardFacts& facts);

// Stable kebab-case names, used as failure reasons in the confirmation log.
std::string_view admissionRefusalName(AdmissionRefusal refusal);
std::string_view admissionNoticeName(AdmissionNotice notice);

// The event after the `failedAttempts`-th failed face attempt.
SessionEvent afterFaceFailure(int failedAttempts, const CardFacts& facts,
                              const IdentityPolicyConfig& config);

// The event after a refused presentation (attack suspected, or the active challenge failed):
// no further face attempt; the PIN where the card and the policy allow it, else staff (目視).
// A 顔認証マイナンバーカード never gets the PIN pad.
SessionEvent afterPresentationRefused(const CardFacts& facts, const IdentityPolicyConfig& config);

// The event after a wrong PIN, given the counter the card reported with it.
SessionEvent afterPinFailure(const card::RetryCounter& counterAfter,
                             const IdentityPolicyConfig& config);

}  // namespace uketsuke::terminal
