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

// Publication journal (issue 14): a result file is staged (hidden temp file, fsynced) before its
// session's row is appended; the row and a kPending entry naming the staged file are committed in
// one transaction, the file is then renamed into place and the entry marked kPublished. Start-up
// reconciliation (terminal/result_file/reconcile.h) finishes or records what a crash left.
// The journal is operational state beside the chain, not part of it: the chain row is the record.
enum class PublicationState {
    kPending,         // row committed, file staged but not yet renamed into place
    kPublished,       // the file is in the res folder under file_name
    kFileLost,        // reconciliation found neither the staged nor the final file
    kFileWithoutRow,  // reconciliation found a result file whose session had no row (repaired)
};
std::string_view toString(PublicationState state);
std::optional<PublicationState> publicationStateFromString(std::string_view text);

struct Publication {
    std::string sessionId;
    std::string terminalId;
    PublicationState state = PublicationState::kPending;
    std::string stagedName;  // the hidden temp file in the res folder
    std::string fileName;    // the published name (empty while pending)
    std::string note;        // what reconciliation did, e.g. "published-at-startup"
    std::string updatedAt;   // formatTimestamp(); filled by the store
};

// How a store is opened. kReadOnly (log verify): nothing is created or migrated, a missing file,
// a database without the log's tables or with another schema version is an error.
enum class OpenMode { kReadWrite, kReadOnly };

// The stored metadata verify() reads beside the rows.
struct ChainMeta {
    std::optional<ChainMode> mode;
    ChainHead head;
    std::string logId;  // random UUID written when the log was created (checkpoints name it)
};

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

    // With `publication`, its journal entry is committed in the same transaction as the row.
    LogResult<AppendResult> append(const ConfirmationRecord& record,
                                   const std::optional<Publication>& publication = std::nullopt);
    // Inserts or replaces the journal entry of publication.sessionId.
    LogStatus recordPublication(const Publication& publication);
    // Journal entries, all or those of one terminal.
    LogResult<std::vector<Publication>> publications(
        const std::optional<std::string>& terminalId = std::nullopt);
    // Writes (and rolls back) a change: a log that refuses writes (full disk, read-only file,
    // revoked privilege) is found at start-up, not after the first confirmation.
    virtual LogStatus checkWritable() = 0;
    // Rows in sequence order.
    LogResult<std::vector<LogRow>> query(const LogQuery& query);
    // Walks the whole chain in one consistent snapshot. A broken chain is a successful call whose
    // report names the first broken row; an error means the walk itself could not be done.
    // With `anchor` (a checkpoint), also checks that row anchor.sequence exists with that hash.
    LogResult<VerifyReport> verify(const std::optional<ChainHead>& anchor = std::nullopt);
    // The log's id and current head (for checkpoints).
    LogResult<ChainMeta> meta();

    ChainMode chainMode() const { return hasher_.mode(); }
    // "sqlite:/var/lib/uketsuke/log.sqlite3" or "postgresql" (never a password).
    virtual std::string describe() const = 0;

  protected:
    explicit ConfirmationLog(ChainHasher hasher) : hasher_(std::move(hasher)) {}

    // Runs in one write transaction holding the cross-process append lock: checks the chain mode,
    // returns the existing row for the session id if there is one, else inserts `row` after the
    // head (the store fills sequence and hashes through `seal`) and moves the head.
    using Sealer = std::function<void(LogRow& row, const ChainHead& head)>;
    virtual LogResult<AppendResult> appendLocked(LogRow row, const Sealer& seal,
                                                 const std::optional<Publication>& publication) = 0;
    virtual LogStatus upsertPublication(const Publication& publication) = 0;
    virtual LogResult<std::vector<Publication>> readPublications(
        const std::optional<std::string>& terminalId) = 0;
    virtual LogResult<std::vector<LogRow>> queryRows(const LogQuery& query) = 0;
    // Reads the stored chain mode, the head and every row in sequence order, all in one snapshot.
    virtual LogStatus scanChain(ChainMeta& meta,
                                const std::function<bool(const LogRow&)>& onRow) = 0;

    const ChainHasher& hasher() const { return hasher_; }

  private:
    ChainHasher hasher_;
    std::mutex mutex_;
};

// Opens the store named by the configuration (and loads its chain key, if any).
LogResult<std::unique_ptr<ConfirmationLog>> openConfirmationLog(
    const LogConfig& config, OpenMode mode = OpenMode::kReadWrite);

}  // namespace uketsuke::terminal
