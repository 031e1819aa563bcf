// SQLite store of the confirmation log (see sqlite_log.h).
#include "terminal/log/sqlite_log.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "terminal/log/log_schema.h"

namespace uketsuke::terminal {
namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS confirmation_log (
    sequence        INTEGER PRIMARY KEY CHECK (sequence >= 1),
    session_id      TEXT NOT NULL UNIQUE,
    terminal_id     TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    ended_at        TEXT NOT NULL,
    card_class      TEXT NOT NULL,
    identity_method TEXT NOT NULL,
    attempts        TEXT NOT NULL,
    match_distance  REAL,
    staff_id        TEXT,
    consent         TEXT NOT NULL,
    result_code     TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    failure_reason  TEXT NOT NULL,
    phase_ms        TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    row_hash        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmation_log_started_at ON confirmation_log (started_at);
CREATE TABLE IF NOT EXISTS confirmation_log_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO confirmation_log_meta (key, value) VALUES ('schema_version', '1');
CREATE TABLE IF NOT EXISTS result_publication (
    session_id  TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    staged_name TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    note        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
)sql";

// The log's tables, as a read-only open expects them.
constexpr const char* kExpectedTables =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('confirmation_log', 'confirmation_log_meta')";

// Owns a prepared statement; finalised on scope exit.
class Statement {
  public:
    Statement(sqlite3* db, const std::string& sql)
        : rc_(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr)) {}
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool prepared() const { return rc_ == SQLITE_OK; }
    void bind(int index, const std::string& text) {
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
    }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
    void bind(int index, const std::optional<std::string>& text) {
        if (text) {
            bind(index, *text);
        } else {
            sqlite3_bind_null(stmt_, index);
        }
    }
    void bind(int index, const std::optional<double>& value) {
        if (value) {
            sqlite3_bind_double(stmt_, index, *value);
        } else {
            sqlite3_bind_null(stmt_, index);
        }
    }
    int step() { return rc_ = sqlite3_step(stmt_); }
    std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                 : std::string();
    }
    bool isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const { return sqlite3_column_double(stmt_, column); }

    // Reads the 17 columns of schema::kColumns.
    LogRow row() const {
        LogRow r;
        r.sequence = int64(0);
        r.sessionId = text(1);
        r.terminalId = text(2);
        r.startedAt = text(3);
        r.endedAt = text(4);
        r.cardClass = text(5);
        r.identityMethod = text(6);
        r.attempts = text(7);
        if (!isNull(8))
            r.matchDistance = real(8);
        if (!isNull(9))
            r.staffId = text(9);
        r.consent = text(10);
        r.resultCode = text(11);
        r.outcome = text(12);
        r.failureReason = text(13);
        r.phaseMs = text(14);
        r.prevHash = text(15);
        r.rowHash = text(16);
        return r;
    }

  private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

Failure<LogError> dbFail(sqlite3* db, const std::string& what) {
    const int rc = sqlite3_errcode(db);
    const auto code =
        (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? LogErrorCode::kBusy : LogErrorCode::kDatabase;
    return logFail(code, what + ": " + sqlite3_errmsg(db));
}

LogStatus exec(sqlite3* db, const char* sql, const std::string& what) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return dbFail(db, what);
    return Unit{};
}

// Rolls back on scope exit unless committed, so every early return leaves no open transaction.
class Transaction {
  public:
    explicit Transaction(sqlite3* db) : db_(db) {}
    ~Transaction() {
        if (open_)
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    LogStatus begin(const char* sql) {
        if (auto s = exec(db_, sql, "begin transaction"); !s)
            return s;
        open_ = true;
        return Unit{};
    }
    LogStatus commit() {
        if (auto s = exec(db_, "COMMIT", "commit"); !s)
            return s;
        open_ = false;
        return Unit{};
    }

  private:
    sqlite3* db_;
    bool open_ = false;
};

LogResult<std::optional<std::string>> readMeta(sqlite3* db, const std::string& key) {
    Statement st(db, "SELECT value FROM confirmation_log_meta WHERE key = ?1");
    if (!st.prepared())
        return dbFail(db, "read log metadata");
    st.bind(1, key);
    const int rc = st.step();
    if (rc == SQLITE_ROW)
        return std::optional<std::string>(st.text(0));
    if (rc == SQLITE_DONE)
        return std::optional<std::string>();
    return dbFail(db, "read log metadata");
}

struct ChainState {
    std::optional<ChainMode> mode;
    ChainHead head;
};

LogResult<ChainState> readChainState(sqlite3* db, std::string* logId = nullptr) {
    Statement st(db,
                 "SELECT key, value FROM confirmation_log_meta "
                 "WHERE key IN ('chain_mode', 'head_sequence', 'head_hash', 'log_id')");
    if (!st.prepared())
        return dbFail(db, "read the chain head");
    ChainState state;
    std::optional<std::string> sequence, hash;
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) {
        const std::string key = st.text(0);
        if (key == "chain_mode") {
            state.mode = chainModeFromString(st.text(1));
            if (!state.mode)
                return logFail(LogErrorCode::kCorruptRow, "unknown chain mode in the log");
        } else if (key == "head_sequence") {
            sequence = st.text(1);
        } else if (key == "log_id") {
            if (logId)
                *logId = st.text(1);
        } else {
            hash = st.text(1);
        }
    }
    if (rc != SQLITE_DONE)
        return dbFail(db, "read the chain head");
    if (sequence && hash) {
        char* end = nullptr;
        state.head.sequence = std::strtoll(sequence->c_str(), &end, 10);
        if (end == sequence->c_str() || *end != '\0')
            return logFail(LogErrorCode::kCorruptRow, "chain head sequence is not a number");
        state.head.hash = *hash;
    }
    return state;
}

// Records the chain mode (first append) and moves the head, in one statement.
LogStatus insertPublication(sqlite3* db, const Publication& p, bool replace) {
    Statement st(db, std::string(replace ? "INSERT OR REPLACE" : "INSERT OR IGNORE") +
                         " INTO result_publication (session_id, terminal_id, state, staged_name,"
                         " file_name, note, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st.prepared())
        return dbFail(db, "record the result file's publication");
    st.bind(1, p.sessionId);
    st.bind(2, p.terminalId);
    st.bind(3, std::string(toString(p.state)));
    st.bind(4, p.stagedName);
    st.bind(5, p.fileName);
    st.bind(6, p.note);
    st.bind(7, p.updatedAt);
    if (st.step() != SQLITE_DONE)
        return dbFail(db, "record the result file's publication");
    return Unit{};
}

LogStatus writeChainState(sqlite3* db, ChainMode mode, const LogRow& row) {
    Statement st(db,
                 "INSERT INTO confirmation_log_meta (key, value) VALUES "
                 "('chain_mode', ?1), ('head_sequence', ?2), ('head_hash', ?3) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!st.prepared())
        return dbFail(db, "move the chain head");
    st.bind(1, std::string(toString(mode)));
    st.bind(2, std::to_string(row.sequence));
    st.bind(3, row.rowHash);
    if (st.step() != SQLITE_DONE)
        return dbFail(db, "move the chain head");
    return Unit{};
}

}  // namespace

SqliteConfirmationLog::SqliteConfirmationLog(std::filesystem::path file, sqlite3* db,
                                             ChainHasher hasher)
    : ConfirmationLog(std::move(hasher)), file_(std::move(file)), db_(db) {}

SqliteConfirmationLog::~SqliteConfirmationLog() {
    sqlite3_close_v2(db_);
}

LogResult<std::unique_ptr<SqliteConfirmationLog>> SqliteConfirmationLog::open(
    const std::filesystem::path& file, ChainHasher hasher, int busyTimeoutMs, OpenMode mode) {
    const bool readOnly = mode == OpenMode::kReadOnly;
    if (!readOnly) {
        // A new log is created 0640 (owner writes, the audit group reads); SQLite gives its
        // -wal and -shm files the database file's mode.
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd >= 0) {
            ::fchmod(fd, 0640);  // whatever the umask
            ::close(fd);
        }
        // An existing log (and its -wal/-shm) that others may read, or the group may write, is
        // tightened to at most 0640; when it cannot be (another owner), the terminal refuses.
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const std::string path = file.string() + suffix;
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0137) == 0)
                continue;
            if (::chmod(path.c_str(), st.st_mode & 0640) != 0) {
                char mode[8];
                std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
                return logFail(LogErrorCode::kUnavailable,
                               "confirmation log " + path + " has mode " + mode +
                                   " (readable by others or writable by the group) and cannot be "
                                   "tightened to 0640: " +
                                   std::strerror(errno));
            }
        }
    }
    sqlite3* db = nullptr;
    const int flags =
        (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    // From here the object owns `db` (sqlite3_open_v2 allocates a handle even on failure).
    std::unique_ptr<SqliteConfirmationLog> log(
        new SqliteConfirmationLog(file, db, std::move(hasher)));
    if (rc != SQLITE_OK) {
        return logFail(LogErrorCode::kUnavailable,
                       "cannot open " + file.string() + ": " + sqlite3_errmsg(db));
    }
    sqlite3_busy_timeout(db, busyTimeoutMs);
    sqlite3_extended_result_codes(db, 0);
    if (readOnly) {
        // Nothing is created or migrated: the file must already be a confirmation log.
        Statement st(db, kExpectedTables);
        if (!st.prepared() || st.step() != SQLITE_ROW) {
            return logFail(
                LogErrorCode::kUnavailable,
                file.string() + " is not a readable SQLite database: " + sqlite3_errmsg(db));
        }
        if (st.int64(0) != 2) {
            return logFail(
                LogErrorCode::kUnavailable,
                file.string() + " is not an Uketsuke confirmation log (its tables are missing)");
        }
        auto version = readMeta(db, "schema_version");
        if (!version)
            return version.failure();
        if (version.value() != std::to_string(schema::kSchemaVersion)) {
            return logFail(LogErrorCode::kUnavailable,
                           file.string() + " has no or an unsupported log schema version");
        }
        return log;
    }
    // WAL lets verify/export read while terminals append; FULL syncs every commit because a
    // session reported as logged must survive a power cut.
    if (auto s = exec(db, "PRAGMA journal_mode=WAL", "enable WAL"); !s) {
        return logFail(LogErrorCode::kUnavailable, s.error().context + " (" + file.string() + ")");
    }
    if (auto s = exec(db, "PRAGMA synchronous=FULL", "set synchronous"); !s)
        return s.failure();
    Transaction tx(db);
    if (auto s = tx.begin("BEGIN IMMEDIATE"); !s)
        return s.failure();
    if (auto s = exec(db, kCreateSchema, "create log tables"); !s)
        return s.failure();
    auto version = readMeta(db, "schema_version");
    if (!version)
        return version.failure();
    if (version.value() != std::to_string(schema::kSchemaVersion)) {
        return logFail(LogErrorCode::kUnavailable,
                       file.string() + " has an unsupported log schema version");
    }
    {
        Statement st(db,
                     "INSERT OR IGNORE INTO confirmation_log_meta (key, value) "
                     "VALUES ('log_id', ?1)");
        if (!st.prepared())
            return dbFail(db, "name the log");
        auto logId = newSessionId();
        if (!logId)
            return logId.failure();
        st.bind(1, logId.value());
        if (st.step() != SQLITE_DONE)
            return dbFail(db, "name the log");
    }
    if (auto s = tx.commit(); !s)
        return s.failure();
    return log;
}

LogStatus SqliteConfirmationLog::checkWritable() {
    Transaction tx(db_);
    if (auto s = tx.begin("BEGIN IMMEDIATE"); !s)
        return s;
    Statement st(db_,
                 "INSERT OR REPLACE INTO confirmation_log_meta (key, value) "
                 "VALUES ('last_write_check', ?1)");
    if (!st.prepared())
        return dbFail(db_, "write check");
    st.bind(1, formatTimestamp(nowUtc()));
    if (st.step() != SQLITE_DONE)
        return dbFail(db_, "write check");
    return tx.commit();
}

LogStatus SqliteConfirmationLog::upsertPublication(const Publication& publication) {
    Transaction tx(db_);
    if (auto s = tx.begin("BEGIN IMMEDIATE"); !s)
        return s;
    if (auto s = insertPublication(db_, publication, true); !s)
        return s;
    return tx.commit();
}

LogResult<std::vector<Publication>> SqliteConfirmationLog::readPublications(
    const std::optional<std::string>& terminalId) {
    Statement st(db_, std::string("SELECT session_id, terminal_id, state, staged_name, file_name, "
                                  "note, updated_at FROM result_publication") +
                          (terminalId ? " WHERE terminal_id = ?1" : "") + " ORDER BY updated_at");
    if (!st.prepared())
        return dbFail(db_, "read the publication journal");
    if (terminalId)
        st.bind(1, *terminalId);
    std::vector<Publication> out;
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) {
        Publication p;
        p.sessionId = st.text(0);
        p.terminalId = st.text(1);
        auto state = publicationStateFromString(st.text(2));
        if (!state)
            return logFail(LogErrorCode::kCorruptRow, "unknown publication state");
        p.state = *state;
        p.stagedName = st.text(3);
        p.fileName = st.text(4);
        p.note = st.text(5);
        p.updatedAt = st.text(6);
        out.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE)
        return dbFail(db_, "read the publication journal");
    return out;
}

LogResult<AppendResult> SqliteConfirmationLog::appendLocked(
    LogRow row, const Sealer& seal, const std::optional<Publication>& publication) {
    Transaction tx(db_);
    // IMMEDIATE takes the database's write lock now (waiting up to the busy timeout), before the
    // head is read: the head cannot move until COMMIT.
    if (auto s = tx.begin("BEGIN IMMEDIATE"); !s)
        return s.failure();

    auto state = readChainState(db_);
    if (!state)
        return state.failure();
    if (state.value().mode && *state.value().mode != hasher().mode()) {
        return logFail(LogErrorCode::kChainKey, "the log is chained with " +
                                                    std::string(toString(*state.value().mode)) +
                                                    " but this terminal is configured for " +
                                                    std::string(toString(hasher().mode())));
    }

    {
        Statement st(db_, std::string("SELECT ") + schema::kColumns +
                              " FROM confirmation_log WHERE session_id = ?1");
        if (!st.prepared())
            return dbFail(db_, "look up session");
        st.bind(1, row.sessionId);
        const int rc = st.step();
        if (rc == SQLITE_ROW) {
            const LogRow existing = st.row();
            if (!sameContent(existing, row)) {
                return logFail(LogErrorCode::kDuplicateSession,
                               "session " + row.sessionId + " is already logged as row " +
                                   std::to_string(existing.sequence) + " with other content");
            }
            if (publication) {
                if (auto s = insertPublication(db_, *publication, false); !s)
                    return s.failure();
                if (auto s = tx.commit(); !s)
                    return s.failure();
            }
            return AppendResult{existing.sequence, existing.rowHash, true};
        }
        if (rc != SQLITE_DONE)
            return dbFail(db_, "look up session");
    }

    seal(row, state.value().head);

    {
        Statement st(db_, std::string("INSERT INTO confirmation_log (") + schema::kColumns +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                              "?13, ?14, ?15, ?16, ?17)");
        if (!st.prepared())
            return dbFail(db_, "insert row");
        st.bind(1, row.sequence);
        st.bind(2, row.sessionId);
        st.bind(3, row.terminalId);
        st.bind(4, row.startedAt);
        st.bind(5, row.endedAt);
        st.bind(6, row.cardClass);
        st.bind(7, row.identityMethod);
        st.bind(8, row.attempts);
        st.bind(9, row.matchDistance);
        st.bind(10, row.staffId);
        st.bind(11, row.consent);
        st.bind(12, row.resultCode);
        st.bind(13, row.outcome);
        st.bind(14, row.failureReason);
        st.bind(15, row.phaseMs);
        st.bind(16, row.prevHash);
        st.bind(17, row.rowHash);
        if (st.step() != SQLITE_DONE)
            return dbFail(db_, "insert row");
    }
    if (auto s = writeChainState(db_, hasher().mode(), row); !s)
        return s.failure();
    if (publication) {
        if (auto s = insertPublication(db_, *publication, false); !s)
            return s.failure();
    }
    if (auto s = tx.commit(); !s)
        return s.failure();
    return AppendResult{row.sequence, row.rowHash, false};
}

LogResult<std::vector<LogRow>> SqliteConfirmationLog::queryRows(const LogQuery& q) {
    const auto filter = schema::buildFilter(q, "?");
    std::string sql = std::string("SELECT ") + schema::kColumns + " FROM confirmation_log" +
                      filter.where + " ORDER BY sequence";
    if (q.limit)
        sql += " LIMIT " + std::to_string(*q.limit);
    Statement st(db_, sql);
    if (!st.prepared())
        return dbFail(db_, "query log");
    for (std::size_t i = 0; i < filter.params.size(); ++i) {
        st.bind(static_cast<int>(i + 1), filter.params[i]);
    }
    std::vector<LogRow> rows;
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW)
        rows.push_back(st.row());
    if (rc != SQLITE_DONE)
        return dbFail(db_, "query log");
    return rows;
}

LogStatus SqliteConfirmationLog::scanChain(ChainMeta& meta,
                                           const std::function<bool(const LogRow&)>& onRow) {
    // One read transaction: in WAL mode it sees one snapshot, so a concurrent append cannot
    // make the head and the rows disagree.
    Transaction tx(db_);
    if (auto s = tx.begin("BEGIN"); !s)
        return s;
    auto state = readChainState(db_, &meta.logId);
    if (!state)
        return state.failure();
    meta.mode = state.value().mode;
    meta.head = state.value().head;
    Statement st(db_, std::string("SELECT ") + schema::kColumns +
                          " FROM confirmation_log ORDER BY sequence");
    if (!st.prepared())
        return dbFail(db_, "read log");
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) {
        if (!onRow(st.row()))
            return Unit{};
    }
    if (rc != SQLITE_DONE)
        return dbFail(db_, "read log");
    return Unit{};
}

}  // namespace uketsuke::terminal
