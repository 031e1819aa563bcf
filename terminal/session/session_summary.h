// SessionSummary and LogSink: what one session leaves in the confirmation log (issue 4 point 4),
// in the terminal's own vocabulary (identity_method.h, session_outcome.h, failure_reason.h: one
// table each, issue 15). Includes neither terminal/log nor terminal/qualification; the log adapter
// (session_log_sink.cpp) turns a summary into the log's ConfirmationRecord.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/identity_method.h"
#include "terminal/session/failure_reason.h"
#include "terminal/session/session_outcome.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

// What one session leaves in the confirmation log (see the file comment).
struct SessionSummary {
    std::string sessionId;
    std::chrono::system_clock::time_point startedAt{};
    std::chrono::system_clock::time_point endedAt{};
    std::string cardClass;  // empty when no card was read
    IdentityMethod identityMethod = IdentityMethod::kNone;
    int faceAttempts = 0;
    int pinAttempts = 0;
    int staffAttempts = 0;
    std::optional<double> matchDistance;
    std::optional<std::string> staffId;
    nlohmann::json consent;  // null, or {"version", "items": [{"id", "agreed", "at"}]}
    std::string resultCode;  // validity code ("1".."6") or an error name
    SessionOutcome outcome = SessionOutcome::kAborted;
    std::optional<SessionReason> failureReason;  // none when confirmed
    std::map<std::string, std::int64_t> phaseMs;
    std::map<std::string, std::int64_t> phaseUs;  // the same, unrounded (bench); not logged
};

// A result file staged (written, fsynced, hidden) in the res folder but not yet published
// (issue 14): the session's row is committed first, naming it, then the file is renamed.
struct StagedResultRef {
    std::string stagedName;  // ".uketsuke-<session id>.tmp"
    std::string baseName;    // the final name it will be published under (or a "_n" variant)
};

// What start-up reconciliation of the log and the res folder found and repaired (issue 14).
struct ReconcileReport {
    int publishedAtStartup = 0;  // staged file with a committed row: renamed into place
    int markedPublished = 0;     // file already in place, journal entry still pending: marked
    int filesLost = 0;           // row committed, neither staged nor final file: recorded
    int filesWithoutRow = 0;     // result file with no row: a row recording it was appended
    int staleTempsRemoved = 0;   // temp files of sessions that never reached the log
    int resultFiles = 0;         // result files of this log in the res folder afterwards
    int journalPublished = 0;    // journal entries in state published afterwards
    int logRows = 0;             // rows in the log afterwards
    nlohmann::json toJson() const {
        return {{"published_at_startup", publishedAtStartup},
                {"marked_published", markedPublished},
                {"files_lost", filesLost},
                {"files_without_row", filesWithoutRow},
                {"stale_temps_removed", staleTempsRemoved},
                {"result_files", resultFiles},
                {"journal_published", journalPublished},
                {"log_rows", logRows}};
    }
};

class LogSink {
  public:
    virtual ~LogSink() = default;
    // Error text when the row could not be stored.
    virtual Status<std::string> append(const SessionSummary& summary) = 0;
    // The row and a pending-publication entry for `staged`, in one transaction.
    virtual Status<std::string> appendPending(const SessionSummary& summary,
                                              const StagedResultRef& staged) {
        (void)staged;
        return append(summary);
    }
    // The staged file is now in the res folder as `fileName`.
    virtual Status<std::string> markPublished(const std::string& sessionId,
                                              const StagedResultRef& staged,
                                              const std::string& fileName) {
        (void)sessionId;
        (void)staged;
        (void)fileName;
        return Unit{};
    }
    // Start-up reconciliation with the res folder (see ReconcileReport).
    virtual Result<ReconcileReport, std::string> reconcile(const std::filesystem::path& resFolder) {
        (void)resFolder;
        return ReconcileReport{};
    }
};

}  // namespace uketsuke::terminal
