// Unit tests of the session state machine's transition table (terminal/session/session_state.h).
#include "terminal/session/session_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace uketsuke::terminal {
namespace {

using S = SessionState;
using E = SessionEvent;

constexpr S kAllStates[] = {
    S::kIdle,        S::kReadingCard,   S::kChoosingMethod, S::kReadingCardFace,
    S::kFaceCapture, S::kFaceChallenge, S::kPinEntry,       S::kStaffCheck,
    S::kConsent,     S::kConfirming,    S::kShowingResult,  S::kRemoveCard};

// Runs a sequence of events from idle and returns the final transition.
Transition run(const std::vector<E>& events) {
    S state = S::kIdle;
    Transition last{S::kIdle};
    for (E e : events) {
        auto t = next(state, e);
        EXPECT_TRUE(t.has_value()) << toString(e) << " invalid in " << toString(state);
        if (!t)
            return last;
        last = *t;
        state = t->to;
    }
    return last;
}

// Purpose: the face path from card to result completes the session.
TEST(SessionState, FacePathCompletes) {
    auto t = run({E::kCardInserted, E::kCardAccepted, E::kChooseFace, E::kChipPhotoReady,
                  E::kFaceRetry, E::kFaceMatched, E::kConsentGiven, E::kQualificationAnswered});
    EXPECT_EQ(t.to, S::kShowingResult);
    EXPECT_EQ(t.end, SessionEnd::kCompleted);
}

// Purpose: face failures fall through to PIN, and a wrong PIN can be retried before success.
TEST(SessionState, FaceFallsThroughToPin) {
    auto t = run({E::kCardInserted, E::kCardAccepted, E::kChooseFace, E::kChipPhotoReady,
                  E::kFallbackToPin, E::kPinRetry, E::kPinAccepted});
    EXPECT_EQ(t.to, S::kConsent);
}

// Purpose: an unsure presentation goes through the active challenge; passing it goes on to
// consent, failing it falls back to PIN or staff, never back to the same face attempt.
TEST(SessionState, ChallengePassesOrFallsBack) {
    auto passed = run({E::kCardInserted, E::kCardAccepted, E::kChooseFace, E::kChipPhotoReady,
                       E::kChallengeRequired, E::kChallengePassed});
    EXPECT_EQ(passed.to, S::kConsent);
    EXPECT_EQ(next(S::kFaceChallenge, E::kFallbackToPin)->to, S::kPinEntry);
    EXPECT_EQ(next(S::kFaceChallenge, E::kFallbackToStaff)->to, S::kStaffCheck);
    EXPECT_EQ(next(S::kFaceChallenge, E::kChooseAnother)->to, S::kChoosingMethod);
    EXPECT_FALSE(next(S::kFaceChallenge, E::kFaceMatched).has_value());
    EXPECT_FALSE(next(S::kFaceChallenge, E::kFaceRetry).has_value());
    EXPECT_FALSE(next(S::kPinEntry, E::kChallengePassed).has_value());
}

// Purpose: a staff rejection ends the session as refused, not completed.
TEST(SessionState, StaffRejectionRefuses) {
    auto t = run({E::kCardInserted, E::kCardAccepted, E::kChooseStaff, E::kStaffRejected});
    EXPECT_EQ(t.to, S::kShowingResult);
    EXPECT_EQ(t.end, SessionEnd::kRefused);
}

// Purpose: a pulled card is valid in every active state, returns to idle and counts as aborted.
TEST(SessionState, CardRemovedAbortsEverywhere) {
    for (S s : kAllStates) {
        auto t = next(s, E::kCardRemoved);
        if (s == S::kIdle) {
            EXPECT_FALSE(t.has_value());
            continue;
        }
        ASSERT_TRUE(t.has_value()) << toString(s);
        EXPECT_EQ(t->to, S::kIdle) << toString(s);
        const bool ended = s == S::kShowingResult || s == S::kRemoveCard;
        EXPECT_EQ(t->end, ended ? SessionEnd::kNone : SessionEnd::kAborted) << toString(s);
    }
}

// Purpose: timeout and cancel end any active session and ask for the card back.
TEST(SessionState, TimeoutAndCancelAskForTheCard) {
    for (E e : {E::kTimeout, E::kCancel}) {
        for (S s : kAllStates) {
            auto t = next(s, e);
            if (s == S::kIdle || s == S::kRemoveCard) {
                EXPECT_FALSE(t.has_value()) << toString(s);
                continue;
            }
            ASSERT_TRUE(t.has_value()) << toString(s);
            EXPECT_EQ(t->to, S::kRemoveCard);
        }
    }
}

// Purpose: events that do not belong to a state are rejected, not silently accepted.
TEST(SessionState, InvalidEventsAreRejected) {
    EXPECT_FALSE(next(S::kIdle, E::kPinAccepted).has_value());
    EXPECT_FALSE(next(S::kChoosingMethod, E::kFaceMatched).has_value());
    EXPECT_FALSE(next(S::kPinEntry, E::kFaceMatched).has_value());
    EXPECT_FALSE(next(S::kConsent, E::kQualificationAnswered).has_value());
    // A PIN-entry state cannot reach consent without the PIN being accepted.
    EXPECT_FALSE(next(S::kPinEntry, E::kConsentGiven).has_value());
}

}  // namespace
}  // namespace uketsuke::terminal
