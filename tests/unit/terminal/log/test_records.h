// Record builders shared by the confirmation-log tests.
#pragma once

#include <chrono>
#include <string>

#include "terminal/log/confirmation_record.h"

namespace uketsuke::terminal::testing {

// 2025-03-01T00:00:00.000Z
inline Timestamp day0() {
    using namespace std::chrono;
    return Timestamp{sys_days{year{2025} / March / 1}};
}

// A valid record: started `startOffset` after day0, lasting `durationMs`.
inline ConfirmationRecord makeRecord(IdentityMethod method = IdentityMethod::kFace,
                                     SessionOutcome outcome = SessionOutcome::kConfirmed,
                                     std::chrono::milliseconds startOffset = std::chrono::hours(1),
                                     std::int64_t durationMs = 2000) {
    ConfirmationRecord r;
    r.sessionId = newSessionId().value();
    r.terminalId = "reception-1";
    r.startedAt = day0() + startOffset;
    r.endedAt = r.startedAt + std::chrono::milliseconds(durationMs);
    r.cardClass = "mynumber";
    r.identityMethod = method;
    switch (method) {
        case IdentityMethod::kFace:
            r.attempts.face = 1;
            r.matchDistance = 0.3125;
            break;
        case IdentityMethod::kPin:
            r.attempts.face = 2;
            r.attempts.pin = 1;
            r.matchDistance = 0.71;
            break;
        case IdentityMethod::kStaff:
            r.attempts.staff = 1;
            r.staffId = "staff-07";
            break;
        case IdentityMethod::kNone:
            break;
    }
    r.consent = {{"version", "2025-02"},
                 {"items",
                  {{{"id", "comprehensive"}, {"agreed", true}, {"at", "2025-03-01T01:00:01.500Z"}},
                   {{"id", "medication"}, {"agreed", false}, {"at", "2025-03-01T01:00:02.000Z"}}}}};
    r.resultCode = outcome == SessionOutcome::kConfirmed ? "1" : "";
    r.outcome = outcome;
    if (outcome != SessionOutcome::kConfirmed)
        r.failureReason = "face-mismatch";
    r.phaseMs = {{"card_read", 420}, {"identity", durationMs / 2}, {"qualification", 300}};
    return r;
}

}  // namespace uketsuke::terminal::testing
