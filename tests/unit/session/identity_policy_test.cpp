// Unit tests of the identity policy (terminal/session/identity_policy.h).
#include "terminal/session/identity_policy.h"

#include <gtest/gtest.h>

namespace uketsuke::terminal {
namespace {

using card::CardClass;
using card::RetryCounter;

RetryCounter tries(int n) {
    return n == 0 ? RetryCounter{RetryCounter::State::kBlocked, 0}
                  : RetryCounter{RetryCounter::State::kTriesLeft, n};
}

CardFacts normalCard(int pinTries = 3, int bTries = 10) {
    return CardFacts{CardClass::kNormal, tries(pinTries), tries(bTries),
                     card::ValidityState::kValid};
}

// Purpose: a normal card is offered every method, with the PIN tries to show.
TEST(IdentityPolicy, NormalCardGetsAllMethods) {
    auto offer = offeredMethods(normalCard(), {});
    EXPECT_TRUE(offer.face);
    EXPECT_TRUE(offer.pin);
    EXPECT_TRUE(offer.staff);
    EXPECT_EQ(offer.pinTriesLeft, 3);
}

// Purpose: a 顔認証マイナンバーカード never gets a PIN pad, even if its counter looked usable.
TEST(IdentityPolicy, FaceCardNeverGetsPin) {
    CardFacts facts = normalCard();
    facts.cardClass = CardClass::kFaceAuthCard;
    auto offer = offeredMethods(facts, {});
    EXPECT_FALSE(offer.pin);
    EXPECT_TRUE(offer.face);
    EXPECT_EQ(afterFaceFailure(3, facts, {}), SessionEvent::kFallbackToStaff);
}

// Purpose: a PIN-locked card goes to face or staff.
TEST(IdentityPolicy, PinLockedCardGoesToFaceOrStaff) {
    CardFacts facts = normalCard(0);
    facts.cardClass = CardClass::kPinLocked;
    auto offer = offeredMethods(facts, {});
    EXPECT_FALSE(offer.pin);
    EXPECT_TRUE(offer.face);
}

// Purpose: face attempts retry until the configured limit, then fall through to PIN.
TEST(IdentityPolicy, FaceFailuresFallThroughToPin) {
    IdentityPolicyConfig config;
    config.maxFaceAttempts = 2;
    EXPECT_EQ(afterFaceFailure(1, normalCard(), config), SessionEvent::kFaceRetry);
    EXPECT_EQ(afterFaceFailure(2, normalCard(), config), SessionEvent::kFallbackToPin);
    config.pinFallbackAfterFace = false;
    EXPECT_EQ(afterFaceFailure(2, normalCard(), config), SessionEvent::kFallbackToStaff);
}

// Purpose: too few 照合番号B tries disable the face path instead of risking the counter.
TEST(IdentityPolicy, LowVerificationNumberBTriesDisableFace) {
    EXPECT_FALSE(offeredMethods(normalCard(3, 1), {}).face);
    EXPECT_TRUE(offeredMethods(normalCard(3, 2), {}).face);
}

// Purpose: a wrong PIN retries while tries remain and sends a locked card to staff.
TEST(IdentityPolicy, PinFailureOutcomes) {
    EXPECT_EQ(afterPinFailure(tries(2), {}), SessionEvent::kPinRetry);
    EXPECT_EQ(afterPinFailure(tries(0), {}), SessionEvent::kFallbackToStaff);
}

// Purpose: certificate states decide admission, with the notices of the reference.
TEST(IdentityPolicy, AdmissionFollowsCertificateState) {
    CardFacts facts = normalCard();
    EXPECT_TRUE(admitCard(facts).admitted);
    facts.validity = card::ValidityState::kRenewalDue;
    EXPECT_EQ(admitCard(facts).notice, AdmissionNotice::kRenewalDue);
    facts.validity = card::ValidityState::kExpiredWithinGrace;
    EXPECT_TRUE(admitCard(facts).admitted);
    EXPECT_EQ(admitCard(facts).notice, AdmissionNotice::kQualificationOnly);
    facts.validity = card::ValidityState::kExpiredBeyondGrace;
    EXPECT_FALSE(admitCard(facts).admitted);
    EXPECT_EQ(admitCard(facts).refusal, AdmissionRefusal::kCertificateExpired);
    facts = normalCard();
    facts.cardClass = CardClass::kNotAMyNumberCard;
    EXPECT_EQ(admitCard(facts).refusal, AdmissionRefusal::kNotAMyNumberCard);
}

}  // namespace
}  // namespace uketsuke::terminal
