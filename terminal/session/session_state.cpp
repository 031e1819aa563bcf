#include "terminal/session/session_state.h"

#include <array>

namespace uketsuke::terminal {
namespace {

using S = SessionState;
using E = SessionEvent;
using End = SessionEnd;

struct Row {
    S from;
    E event;
    S to;
    End end;
};

// The flow of qualification-domain.md §3. Global events (card removed, timeout, cancel) are
// handled in next() so that no state can forget them.
constexpr std::array kTable{
    Row{S::kIdle, E::kCardInserted, S::kReadingCard, End::kNone},
    Row{S::kReadingCard, E::kCardAccepted, S::kChoosingMethod, End::kNone},
    Row{S::kReadingCard, E::kCardRefused, S::kShowingResult, End::kRefused},

    Row{S::kChoosingMethod, E::kChooseFace, S::kReadingCardFace, End::kNone},
    Row{S::kChoosingMethod, E::kChoosePin, S::kPinEntry, End::kNone},
    Row{S::kChoosingMethod, E::kChooseStaff, S::kStaffCheck, End::kNone},

    Row{S::kReadingCardFace, E::kChipPhotoReady, S::kFaceCapture, End::kNone},
    Row{S::kReadingCardFace, E::kFallbackToPin, S::kPinEntry, End::kNone},
    Row{S::kReadingCardFace, E::kFallbackToStaff, S::kStaffCheck, End::kNone},
    Row{S::kReadingCardFace, E::kChipPhotoUnavailable, S::kChoosingMethod, End::kNone},

    Row{S::kFaceCapture, E::kFaceMatched, S::kConsent, End::kNone},
    Row{S::kFaceCapture, E::kFaceRetry, S::kFaceCapture, End::kNone},
    Row{S::kFaceCapture, E::kFallbackToPin, S::kPinEntry, End::kNone},
    Row{S::kFaceCapture, E::kFallbackToStaff, S::kStaffCheck, End::kNone},
    Row{S::kFaceCapture, E::kChooseAnother, S::kChoosingMethod, End::kNone},
    Row{S::kFaceCapture, E::kChallengeRequired, S::kFaceChallenge, End::kNone},

    Row{S::kFaceChallenge, E::kChallengePassed, S::kConsent, End::kNone},
    Row{S::kFaceChallenge, E::kFallbackToPin, S::kPinEntry, End::kNone},
    Row{S::kFaceChallenge, E::kFallbackToStaff, S::kStaffCheck, End::kNone},
    Row{S::kFaceChallenge, E::kChooseAnother, S::kChoosingMethod, End::kNone},

    Row{S::kPinEntry, E::kPinAccepted, S::kConsent, End::kNone},
    Row{S::kPinEntry, E::kPinRetry, S::kPinEntry, End::kNone},
    Row{S::kPinEntry, E::kFallbackToStaff, S::kStaffCheck, End::kNone},
    Row{S::kPinEntry, E::kChooseAnother, S::kChoosingMethod, End::kNone},

    Row{S::kStaffCheck, E::kStaffApproved, S::kConsent, End::kNone},
    Row{S::kStaffCheck, E::kStaffRejected, S::kShowingResult, End::kRefused},

    Row{S::kConsent, E::kConsentGiven, S::kConfirming, End::kNone},

    Row{S::kConfirming, E::kQualificationAnswered, S::kShowingResult, End::kCompleted},
    Row{S::kConfirming, E::kQualificationFailed, S::kShowingResult, End::kRefused},

    Row{S::kShowingResult, E::kResultAcknowledged, S::kRemoveCard, End::kNone},
};

}  // namespace

std::optional<Transition> next(SessionState state, SessionEvent event) {
    // Valid everywhere: a pulled card wipes the session and returns to idle; a timeout or a
    // cancel ends the session and asks for the card back. Already-ended sessions (result shown,
    // remove card) do not count as aborted.
    const bool ended = state == S::kShowingResult || state == S::kRemoveCard;
    if (event == E::kCardRemoved) {
        if (state == S::kIdle)
            return std::nullopt;
        return Transition{S::kIdle, ended ? End::kNone : End::kAborted};
    }
    if (event == E::kTimeout || event == E::kCancel) {
        if (state == S::kIdle || state == S::kRemoveCard)
            return std::nullopt;
        if (state == S::kShowingResult)
            return Transition{S::kRemoveCard, End::kNone};
        return Transition{S::kRemoveCard, End::kAborted};
    }
    for (const Row& row : kTable) {
        if (row.from == state && row.event == event)
            return Transition{row.to, row.end};
    }
    return std::nullopt;
}

std::string_view toString(SessionState state) {
    switch (state) {
        case S::kIdle:
            return "idle";
        case S::kReadingCard:
            return "reading-card";
        case S::kChoosingMethod:
            return "choosing-method";
        case S::kReadingCardFace:
            return "reading-card-face";
        case S::kFaceCapture:
            return "face-capture";
        case S::kFaceChallenge:
            return "face-challenge";
        case S::kPinEntry:
            return "pin-entry";
        case S::kStaffCheck:
            return "staff-check";
        case S::kConsent:
            return "consent";
        case S::kConfirming:
            return "confirming";
        case S::kShowingResult:
            return "showing-result";
        case S::kRemoveCard:
            return "remove-card";
    }
    return "unknown";
}

std::string_view toString(SessionEvent event) {
    switch (event) {
        case E::kCardInserted:
            return "card-inserted";
        case E::kCardAccepted:
            return "card-accepted";
        case E::kCardRefused:
            return "card-refused";
        case E::kChooseFace:
            return "choose-face";
        case E::kChoosePin:
            return "choose-pin";
        case E::kChooseStaff:
            return "choose-staff";
        case E::kChipPhotoReady:
            return "chip-photo-ready";
        case E::kChipPhotoUnavailable:
            return "chip-photo-unavailable";
        case E::kFaceMatched:
            return "face-matched";
        case E::kFaceRetry:
            return "face-retry";
        case E::kChallengeRequired:
            return "challenge-required";
        case E::kChallengePassed:
            return "challenge-passed";
        case E::kFallbackToPin:
            return "fallback-to-pin";
        case E::kFallbackToStaff:
            return "fallback-to-staff";
        case E::kChooseAnother:
            return "choose-another";
        case E::kPinAccepted:
            return "pin-accepted";
        case E::kPinRetry:
            return "pin-retry";
        case E::kStaffApproved:
            return "staff-approved";
        case E::kStaffRejected:
            return "staff-rejected";
        case E::kConsentGiven:
            return "consent-given";
        case E::kQualificationAnswered:
            return "qualification-answered";
        case E::kQualificationFailed:
            return "qualification-failed";
        case E::kResultAcknowledged:
            return "result-acknowledged";
        case E::kCardRemoved:
            return "card-removed";
        case E::kTimeout:
            return "timeout";
        case E::kCancel:
            return "cancel";
    }
    return "unknown";
}

}  // namespace uketsuke::terminal
