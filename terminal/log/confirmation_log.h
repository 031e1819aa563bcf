// ConfirmationLog: the append-only, hash-chained record of confirmation sessions (issue 4,
// point 4). Two stores implement it: SqliteConfirmationLog (embedded default, one file in WAL
// mode) and PostgresConfirmationLog (sites where several terminals share one log).
//
// Guarantees every store gives:
//  - appends are serialised across processes and machines (SQLite BEGIN IMMEDIATE, PostgreSQL
//    pg_advisory_xact_lock), so the chain never forks and sequence numbers have no gaps;
//  - an append is idempotent on the session id: appending the same record again (a retry after a
//    lost connection, say) returns the existing row; a different record with the same session
//    id is refused (kDuplicateSession);
//  - records are validated (validateRecord, privacy check included) before anything is written.
//
// Threading: one store object may be shared by threads (calls are serialised by a mutex); for
// parallel writers open one object per thread or process, as separate terminals do.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "terminal/log/log_chain.h"
#include "terminal/log/log_config.h"

namespace uketsuke::terminal {

struct AppendResult {
    std::int64_t sequence = 0;
    std::string rowHash;
    bool alreadyPresent = false;  // the session was logged before (a retried append)
};

// Filters for query(); every set filter must match. Times compare against started_at.
struct LogQuery {
    std::optional<Timestamp> from;  // inclusive
    std::optional<Timestamp> to;    // exclusive
    std::optional<IdentityMethod> method;
    std::optional<SessionOutcome> outcome;
    std::optional<std::string> sessionId;
    std::optional<std::string> terminalId;
    std::int64_t afterSequence = 0;  // paging: rows with sequence > afterSequence
    std::optional<std::int64_t> limit;
};

class ConfirmationLog {
  public:
    virtual ~ConfirmationLog() = default;
    ConfirmationLog(const ConfirmationLog&) = delete;
    ConfirmationLog& operator=(const ConfirmationLog&) = delete;

    LogResult<AppendResult> append(const ConfirmationRecord& record);
    // Rows in sequence order.
    LogResult<std::vector<LogRow>> query(const LogQuery& query);
    // Walks the whole chain in one consistent snapshot. A broken chain is a successful call whose
    // report names the first broken row; an error means the walk itself could not be done.
    LogResult<VerifyReport> verify();

    ChainMode chainMode() const { return hasher_.mode(); }
    // "sqlite:/var/lib/uketsuke/log.sqlite3" or "postgresql" (never a password).
    virtual std::string describe() const = 0;

  protected:
    explicit ConfirmationLog(ChainHasher hasher) : hasher_(std::move(hasher)) {}

    // Runs in one write transaction holding the cross-process append lock: checks the chain mode,
    // returns the existing row for the session id if there is one, else inserts `row` after the
    // head (the store fills sequence and hashes through `seal`) and moves the head.
    using Sealer = std::function<void(LogRow& row, const ChainHead& head)>;
    virtual LogResult<AppendResult> appendLocked(LogRow row, const Sealer& seal) = 0;
    virtual LogResult<std::vector<LogRow>> queryRows(const LogQuery& query) = 0;
    // Reads the stored chain mode, the head and every row in sequence order, all in one snapshot.
    virtual LogStatus scanChain(std::optional<ChainMode>& storedMode, ChainHead& head,
                                const std::function<bool(const LogRow&)>& onRow) = 0;

    const ChainHasher& hasher() const { return hasher_; }

  private:
    ChainHasher hasher_;
    std::mutex mutex_;
};

// Opens the store named by the configuration (and loads its chain key, if any).
LogResult<std::unique_ptr<ConfirmationLog>> openConfirmationLog(const LogConfig& config);

}  // namespace uketsuke::terminal
