// Why a session did not confirm (issue 15, "typed reasons"): one enum, one table (code, wire name,
// UI text id, whether a detail follows), used by the session controller, the confirmation log's
// "failure_reason" column, the result / report JSON and the screens.
//
// On the wire a reason is "<name>" or "<name>:<detail>", all kebab-case ([a-z0-9-]): the name from
// the table below, the detail a code from the table of the step that failed (a card error such as
// "transport", a face verdict such as "no-face", a service refusal such as "certificate-revoked",
// the clerk's rejection reason such as "face-differs"). Names are stable once released: they are
// stored in the log and hashed into its chain.
//
// Rows written before this table existed used other spellings (a bare card error name, the
// service's snake_case refusal codes, "face-no_face", "pin-signature-<error>"...). Those rows stay
// as they are (the chain covers them); readStoredReason() maps them to a reason when they are read.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "terminal/session/session_outcome.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

// The one naming convention on the wire: lower-case kebab-case ("no-face", "certificate-revoked").
constexpr bool isKebabName(std::string_view s) {
    if (s.empty() || s.front() == '-' || s.back() == '-')
        return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

enum class FailureReason {
    // The session was left (outcome aborted).
    kCardRemoved,
    kCancelled,
    kTimeout,
    kTerminalShutdown,
    // The card.
    kCardUnreadable,      // detail: card error
    kCertificateRefused,  // detail: card error of the auth certificate check
    kCardRefused,         // detail: admission refusal (not a My Number Card, expired, ...)
    // The identity check.
    kFaceFailed,                   // detail: the face verdict ("mismatch", "no-face", ...)
    kPresentationAttackSuspected,  // detail (optional): "challenge-<verdict>"
    kPinWrong,
    kPinLocked,
    kPinFailed,      // detail: card error
    kStaffRejected,  // detail (optional): the clerk's reason ("face-differs")
    // The qualification.
    kQualificationInvalid,
    kQualificationInvalidNewQualification,
    kQualificationNotFound,
    kQualificationMultipleMatches,
    kQualificationRefused,  // detail (optional): the service's refusal reason
    kQualificationFailed,   // detail: qualification error ("unreachable", "tls", ...)
    kPinSignatureFailed,    // detail: card error
    kCardPresenceFailed,    // detail: card error (issue 16)
    kAnswerForAnotherPerson,
    // Recording the result.
    kResultFileNotWritten,
    kLogRefused,
    kReconciled,  // detail: what start-up reconciliation found ("result-file-without-row")
};

enum class ReasonDetail { kNone, kOptional, kRequired };

struct FailureReasonInfo {
    FailureReason code;
    std::string_view wire;    // the name stored in the log and the JSON
    std::string_view textId;  // key of the "reason" rows of the UI strings (qml/bridge)
    ReasonDetail detail;
};

inline constexpr std::array<FailureReasonInfo, 25> kFailureReasons{{
    {FailureReason::kCardRemoved, "card-removed", "card-removed", ReasonDetail::kNone},
    {FailureReason::kCancelled, "cancelled", "cancelled", ReasonDetail::kNone},
    {FailureReason::kTimeout, "timeout", "timeout", ReasonDetail::kNone},
    {FailureReason::kTerminalShutdown, "terminal-shutdown", "terminal-shutdown",
     ReasonDetail::kNone},
    {FailureReason::kCardUnreadable, "card-unreadable", "card-unreadable", ReasonDetail::kRequired},
    {FailureReason::kCertificateRefused, "certificate-refused", "certificate-refused",
     ReasonDetail::kRequired},
    {FailureReason::kCardRefused, "card-refused", "card-refused", ReasonDetail::kRequired},
    {FailureReason::kFaceFailed, "face-failed", "face-failed", ReasonDetail::kRequired},
    {FailureReason::kPresentationAttackSuspected, "presentation-attack-suspected",
     "presentation-attack-suspected", ReasonDetail::kOptional},
    {FailureReason::kPinWrong, "pin-wrong", "pin-wrong", ReasonDetail::kNone},
    {FailureReason::kPinLocked, "pin-locked", "pin-locked", ReasonDetail::kNone},
    {FailureReason::kPinFailed, "pin-failed", "pin-failed", ReasonDetail::kRequired},
    {FailureReason::kStaffRejected, "staff-rejected", "staff-rejected", ReasonDetail::kOptional},
    {FailureReason::kQualificationInvalid, "qualification-invalid", "qualification-invalid",
     ReasonDetail::kNone},
    {FailureReason::kQualificationInvalidNewQualification,
     "qualification-invalid-new-qualification", "qualification-invalid-new-qualification",
     ReasonDetail::kNone},
    {FailureReason::kQualificationNotFound, "qualification-not-found", "qualification-not-found",
     ReasonDetail::kNone},
    {FailureReason::kQualificationMultipleMatches, "qualification-multiple-matches",
     "qualification-multiple-matches", ReasonDetail::kNone},
    {FailureReason::kQualificationRefused, "qualification-refused", "qualification-refused",
     ReasonDetail::kOptional},
    {FailureReason::kQualificationFailed, "qualification-failed", "qualification-failed",
     ReasonDetail::kRequired},
    {FailureReason::kPinSignatureFailed, "pin-signature-failed", "pin-signature-failed",
     ReasonDetail::kRequired},
    {FailureReason::kCardPresenceFailed, "card-presence-failed", "card-presence-failed",
     ReasonDetail::kRequired},
    {FailureReason::kAnswerForAnotherPerson, "answer-for-another-person",
     "answer-for-another-person", ReasonDetail::kNone},
    {FailureReason::kResultFileNotWritten, "result-file-not-written", "result-file-not-written",
     ReasonDetail::kNone},
    {FailureReason::kLogRefused, "log-refused", "log-refused", ReasonDetail::kNone},
    {FailureReason::kReconciled, "reconciled", "reconciled", ReasonDetail::kRequired},
}};

// The table row of `reason`; a -Wswitch error for an enumerator without a case
// (failure_reason.cpp).
const FailureReasonInfo& failureReasonInfo(FailureReason reason);

inline std::string_view failureReasonName(FailureReason reason) {
    return failureReasonInfo(reason).wire;
}

// A failure reason with its detail.
struct SessionReason {
    FailureReason code = FailureReason::kCancelled;
    std::string detail;  // kebab-case; empty when the reason has none

    SessionReason() = default;
    // `detail` is turned into the wire's kebab-case ("no_face" -> "no-face", "Card Damaged" ->
    // "card-damaged"); a detail on a reason that takes none is dropped.
    explicit SessionReason(FailureReason c, std::string_view detail = {});

    std::string wire() const;  // "<name>" or "<name>:<detail>"
    bool operator==(const SessionReason&) const = default;
};

// "" when there is no reason (a confirmed session).
std::string reasonWire(const std::optional<SessionReason>& reason);

// A reason in today's spelling; an unknown name, a missing or unexpected detail or a character
// outside [a-z0-9-] is an error naming what is wrong.
Result<SessionReason, std::string> parseSessionReason(std::string_view wire);

// A "failure_reason" as stored in the log, in today's spelling or one written before the table
// existed (mapped using the row's outcome, see failure_reason.cpp); nullopt for "" (no reason).
// Text that matches neither is an error: the caller reports it.
Result<std::optional<SessionReason>, std::string> readStoredReason(std::string_view stored,
                                                                   SessionOutcome outcome);

inline std::ostream& operator<<(std::ostream& out, const SessionReason& reason) {
    return out << reason.wire();
}

}  // namespace uketsuke::terminal
