// The confirmation session as a table-driven state machine (issue 4; reference
// qualification-domain.md §3 "Patient-facing flow").
//
// `next(state, event)` is a pure function over one transition table: no I/O, no clock, no Qt, so
// the whole flow is testable on its own. The session controller turns card, camera, patient and
// staff happenings into events; identity policy (which method is allowed, when to fall through)
// is decided outside and arrives here as explicit events (kFallbackToPin, kFallbackToStaff).
// Card removal, timeout and cancel are valid in every state: they end the session, and the
// session's data (chip photo, embeddings, secrets) is wiped by the owner on that transition.
#pragma once

#include <optional>
#include <string_view>

namespace uketsuke::terminal {

enum class SessionState {
    kIdle,             // waiting for a card
    kReadingCard,      // auth certificate, counters, card class
    kChoosingMethod,   // patient picks face / PIN / staff
    kReadingCardFace,  // 照合番号B (OCR or staff entry) -> verified chip photo
    kFaceCapture,      // live camera, quality guidance, match against the chip photo
    kFaceChallenge,    // active liveness: one random action at a random moment (issue 13)
    kPinEntry,         // 4-digit PIN, remaining tries shown before each attempt
    kStaffCheck,       // 目視: staff authenticates, compares, approves or rejects
    kConsent,          // data-driven consent items
    kConfirming,       // online qualification request
    kShowingResult,    // result shown; result file written; log row appended
    kRemoveCard,       // "remove your card" (with the left-behind alarm)
};

enum class SessionEvent {
    kCardInserted,
    kCardAccepted,  // readable My Number Card, usable for qualification
    kCardRefused,   // not a My Number Card, beyond grace, unreadable, ...
    kChooseFace,
    kChoosePin,
    kChooseStaff,
    kChipPhotoReady,
    kChipPhotoUnavailable,  // wrong/unknown 照合番号B, bad signature: fall to another method
    kFaceMatched,
    kFaceRetry,  // a failed attempt, attempts remain
    // The face matched but the passive cues are not sure it is live (or the configuration asks
    // for a challenge always): the patient is asked for one action.
    kChallengeRequired,
    kChallengePassed,
    // Face attempts exhausted, or the presentation refused (attack suspected, challenge failed),
    // and PIN is allowed.
    kFallbackToPin,
    kFallbackToStaff,  // the same when PIN is not allowed; PIN locked; or the patient asked
    kChooseAnother,    // the patient leaves the face or PIN screen for the method choice
    kPinAccepted,
    kPinRetry,  // wrong PIN, tries remain
    kStaffApproved,
    kStaffRejected,
    kConsentGiven,
    kQualificationAnswered,  // any answer of the service, valid or not
    kQualificationFailed,    // service unreachable / error: shown as a result with guidance
    kResultAcknowledged,
    kCardRemoved,
    kTimeout,
    kCancel,
};

// How a session ended, for the confirmation log.
enum class SessionEnd { kNone, kCompleted, kRefused, kAborted };

struct Transition {
    SessionState to = SessionState::kIdle;
    SessionEnd end = SessionEnd::kNone;  // set when this transition ends the session
};

// The transition for `event` in `state`, or nullopt when the event is not valid there (the
// controller ignores it and logs a warning; it never changes state on an invalid event).
std::optional<Transition> next(SessionState state, SessionEvent event);

std::string_view toString(SessionState state);
std::string_view toString(SessionEvent event);

}  // namespace uketsuke::terminal
