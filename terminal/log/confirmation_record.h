// ConfirmationRecord: what one confirmation session leaves in the confirmation log (issue 4,
// point 4; qualification-domain.md §5 "logs clinics actually review" and §8 "Ops & logs": time,
// method, result code, staff ID for 目視, failure reasons, session time).
//
// Privacy by construction: the record has no field for a face image, an embedding, a PIN, a
// password or a My Number, so no caller can log one by filling in a field. Free text can still
// carry a number typed or copied by mistake, so validateRecord() also refuses any text field that
// looks like a My Number (defence in depth, see looksLikeMyNumber()).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "terminal/identity_method.h"
#include "terminal/log/log_error.h"
#include "terminal/session/session_outcome.h"

namespace uketsuke::terminal {

// How the session ended: SessionOutcome and its one table are in
// terminal/session/session_outcome.h.
std::string_view toString(IdentityMethod method);   // "none", "face", "pin", "staff"
std::string_view toString(SessionOutcome outcome);  // sessionOutcomeName()
// sessionOutcomeFromName(): nullopt for a name outside the table (a corrupt row).
std::optional<SessionOutcome> sessionOutcomeFromString(std::string_view text);

// Timestamps are UTC with millisecond precision, written as "2025-03-01T09:15:02.345Z".
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
Timestamp nowUtc();
std::string formatTimestamp(Timestamp t);
// Accepts exactly the format above (the log never stores anything else); nullopt otherwise.
std::optional<Timestamp> parseTimestamp(std::string_view text);

// Attempts per identity method in this session (e.g. two face attempts, then one PIN).
struct MethodAttempts {
    int face = 0;
    int pin = 0;
    int staff = 0;
    bool operator==(const MethodAttempts&) const = default;
};

struct ConfirmationRecord {
    std::string sessionId;   // newSessionId(): random UUID (version 4), lower-case
    std::string terminalId;  // the "log.terminal_id" of the terminal that ran the session
    Timestamp startedAt{};
    Timestamp endedAt{};
    std::string cardClass;  // e.g. "mynumber", "mynumber-face-only"; empty when no card was read
    IdentityMethod identityMethod = IdentityMethod::kNone;  // the method that decided the session
    MethodAttempts attempts;
    std::optional<double> matchDistance;  // best face distance (lower = same face); stored to 1e-6
    std::optional<std::string> staffId;   // who did the 目視 check (required for kStaff)
    // Consent answers: {"version": "...", "items": [{"id": "...", "agreed": true, "at": "..."}]},
    // or null when the session ended before the consent screens.
    nlohmann::json consent;
    std::string resultCode;  // qualification validity code (e.g. "1" 有効) or error code name
    SessionOutcome outcome = SessionOutcome::kAborted;
    std::string failureReason;                    // code or short text; empty when confirmed
    std::map<std::string, std::int64_t> phaseMs;  // milliseconds per phase, e.g. {"card_read": 412}

    std::int64_t durationMs() const { return (endedAt - startedAt).count(); }
    bool operator==(const ConfirmationRecord&) const = default;
};

// A fresh random session id (UUID version 4 from OpenSSL's RAND_bytes): the tree's one UUID
// source. A failing random generator is an error (unavailable), never a fixed or zero id.
LogResult<std::string> newSessionId();

// True when `text` holds a run of 12 or more digits, where the digits may be ASCII or full-width
// (０-９) and may be split by single spaces or hyphens ("1234 5678 9012", "1234-5678-9012", the way
// the number is printed and typed). This over-matches on purpose: a 12-digit file sequence number
// is refused too, and callers put such values in structured fields or leave them out. Dates and
// times in ISO form ("2025-03-01T09:15") never reach 12 digits in one run.
bool looksLikeMyNumber(std::string_view text);

// Checks a record before it is stored:
//  - session id is a lower-case UUID; terminal id, card class, staff id, result code and phase
//    names use [A-Za-z0-9._:-] (no spaces, no formula characters at the start) and are short;
//  - timestamps are ordered, counts and durations are not negative, the match distance is finite
//    and only present after a face attempt, a 目視 session names its staff ID, a confirmed session
//    names its method, consent is null or {version, items[]};
//  - no free text (terminal id, card class, staff id, result code, failure reason, phase names,
//    every string in the consent JSON) looksLikeMyNumber(). The session id is exempt because its
//    format is checked exactly and it comes from newSessionId().
// Errors name the field but never repeat its value.
LogStatus validateRecord(const ConfirmationRecord& record);

}  // namespace uketsuke::terminal
