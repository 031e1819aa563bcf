// PostgreSQL store of the confirmation log (see postgres_log.h).
#include "terminal/log/postgres_log.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <thread>

#include "terminal/log/log_schema.h"

namespace uketsuke::terminal {
namespace {

constexpr int kMaxAttempts = 3;
constexpr std::int64_t kScanPageRows = 5000;

// started_at and ended_at use the "C" collation so that text order is byte order (= time order
// for the fixed-width UTC format) whatever the database's locale.
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS confirmation_log (
    sequence        BIGINT PRIMARY KEY CHECK (sequence >= 1),
    session_id      TEXT NOT NULL UNIQUE,
    terminal_id     TEXT NOT NULL,
    started_at      TEXT COLLATE "C" NOT NULL,
    ended_at        TEXT COLLATE "C" NOT NULL,
    card_class      TEXT NOT NULL,
    identity_method TEXT NOT NULL,
    attempts        TEXT NOT NULL,
    match_distance  DOUBLE PRECISION,
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
INSERT INTO confirmation_log_meta (key, value) VALUES ('schema_version', '1')
    ON CONFLICT (key) DO NOTHING;
CREATE TABLE IF NOT EXISTS result_publication (
    session_id  TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    staged_name TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    note        TEXT NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
);
)sql";

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;
using Params = std::vector<std::optional<std::string>>;

std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

LogResult<PgResult> run(pg_conn* conn, const std::string& sql, const Params& params,
                        const std::string& what) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    // PQexec (no parameters) accepts several statements in one string; PQexecParams does not.
    PgResult res(values.empty() ? PQexec(conn, sql.c_str())
                                : PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()),
                                               nullptr, values.data(), nullptr, nullptr, 0),
                 &PQclear);
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return res;
    if (PQstatus(conn) == CONNECTION_BAD) {
        return logFail(LogErrorCode::kUnavailable, what + ": connection to PostgreSQL lost");
    }
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlState = state ? state : "";
    // 55P03 lock_not_available (lock_timeout), 57014 query_canceled (statement_timeout).
    const auto code = (sqlState == "55P03" || sqlState == "57014") ? LogErrorCode::kBusy
                                                                   : LogErrorCode::kDatabase;
    return logFail(
        code, what + ": " + trimmed(res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn)));
}

LogStatus runCommand(pg_conn* conn, const std::string& sql, const std::string& what) {
    auto r = run(conn, sql, {}, what);
    if (!r)
        return r.failure();
    return Unit{};
}

// Rolls back on scope exit unless committed. `begin` may carry more statements after BEGIN (the
// lock): if one of them fails the transaction is open but aborted, and must still be rolled back.
class Transaction {
  public:
    explicit Transaction(pg_conn* conn) : conn_(conn) {}
    ~Transaction() {
        if (open_ && PQstatus(conn_) == CONNECTION_OK &&
            PQtransactionStatus(conn_) != PQTRANS_IDLE) {
            PQclear(PQexec(conn_, "ROLLBACK"));
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    LogStatus begin(const char* sql) {
        open_ = true;
        return runCommand(conn_, sql, "begin transaction");
    }
    LogStatus commit() {
        open_ = false;
        return runCommand(conn_, "COMMIT", "commit");
    }

  private:
    pg_conn* conn_;
    bool open_ = false;
};

LogRow rowAt(const PGresult* res, int i) {
    auto text = [&](int c) { return std::string(PQgetvalue(res, i, c), PQgetlength(res, i, c)); };
    LogRow r;
    r.sequence = std::strtoll(PQgetvalue(res, i, 0), nullptr, 10);
    r.sessionId = text(1);
    r.terminalId = text(2);
    r.startedAt = text(3);
    r.endedAt = text(4);
    r.cardClass = text(5);
    r.identityMethod = text(6);
    r.attempts = text(7);
    if (!PQgetisnull(res, i, 8))
        r.matchDistance = std::strtod(PQgetvalue(res, i, 8), nullptr);
    if (!PQgetisnull(res, i, 9))
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

LogResult<std::optional<std::string>> readMeta(pg_conn* conn, const std::string& key) {
    auto r = run(conn, "SELECT value FROM confirmation_log_meta WHERE key = $1", {key},
                 "read log metadata");
    if (!r)
        return r.failure();
    if (PQntuples(r.value().get()) == 0)
        return std::optional<std::string>();
    return std::optional<std::string>(PQgetvalue(r.value().get(), 0, 0));
}

// The chain mode and head, read in one round trip (the append holds the lock while it waits).
struct ChainState {
    std::optional<ChainMode> mode;
    ChainHead head;
};

LogResult<ChainState> readChainState(pg_conn* conn, std::string* logId = nullptr) {
    auto r = run(conn,
                 "SELECT key, value FROM confirmation_log_meta "
                 "WHERE key IN ('chain_mode', 'head_sequence', 'head_hash', 'log_id')",
                 {}, "read the chain head");
    if (!r)
        return r.failure();
    ChainState state;
    std::optional<std::string> sequence, hash;
    for (int i = 0; i < PQntuples(r.value().get()); ++i) {
        const std::string key = PQgetvalue(r.value().get(), i, 0);
        const std::string value = PQgetvalue(r.value().get(), i, 1);
        if (key == "chain_mode") {
            state.mode = chainModeFromString(value);
            if (!state.mode)
                return logFail(LogErrorCode::kCorruptRow, "unknown chain mode in the log");
        } else if (key == "head_sequence") {
            sequence = value;
        } else if (key == "log_id") {
            if (logId)
                *logId = value;
        } else {
            hash = value;
        }
    }
    if (sequence && hash) {
        char* end = nullptr;
        state.head.sequence = std::strtoll(sequence->c_str(), &end, 10);
        if (end == sequence->c_str() || *end != '\0')
            return logFail(LogErrorCode::kCorruptRow, "chain head sequence is not a number");
        state.head.hash = *hash;
    }
    return state;
}

LogStatus insertPublication(pg_conn* conn, const Publication& p, bool replace) {
    auto r = run(conn,
                 std::string("INSERT INTO result_publication (session_id, terminal_id, state, "
                             "staged_name, file_name, note, updated_at) VALUES ($1, $2, $3, $4, "
                             "$5, $6, $7) ON CONFLICT (session_id) DO ") +
                     (replace ? "UPDATE SET terminal_id = EXCLUDED.terminal_id, state = "
                                "EXCLUDED.state, staged_name = EXCLUDED.staged_name, file_name = "
                                "EXCLUDED.file_name, note = EXCLUDED.note, updated_at = "
                                "EXCLUDED.updated_at"
                              : "NOTHING"),
                 {p.sessionId, p.terminalId, std::string(toString(p.state)), p.stagedName,
                  p.fileName, p.note, p.updatedAt},
                 "record the result file's publication");
    if (!r)
        return r.failure();
    return Unit{};
}

// Records the chain mode (first append) and moves the head, in one statement.
LogStatus writeChainState(pg_conn* conn, ChainMode mode, const LogRow& row) {
    auto r = run(conn,
                 "INSERT INTO confirmation_log_meta (key, value) VALUES "
                 "('chain_mode', $1), ('head_sequence', $2), ('head_hash', $3) "
                 "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                 {std::string(toString(mode)), std::to_string(row.sequence), row.rowHash},
                 "move the chain head");
    if (!r)
        return r.failure();
    return Unit{};
}

}  // namespace

PostgresConfirmationLog::PostgresConfirmationLog(pg_conn* conn, ChainHasher hasher,
                                                 int lockTimeoutMs, bool readOnly)
    : ConfirmationLog(std::move(hasher)),
      conn_(conn),
      lockTimeoutMs_(lockTimeoutMs),
      readOnly_(readOnly) {}

PostgresConfirmationLog::~PostgresConfirmationLog() {
    PQfinish(conn_);
}

LogStatus PostgresConfirmationLog::configureSession() {
    // UTF-8 for Japanese text; lock_timeout bounds the wait for the append lock;
    // extra_float_digits=1 makes double precision output round-trip exactly; NOTICEs such as
    // "relation already exists, skipping" would otherwise go to the terminal's stderr.
    const std::string sql =
        "SET client_encoding = 'UTF8'; SET lock_timeout = " + std::to_string(lockTimeoutMs_) +
        "; SET extra_float_digits = 1; SET client_min_messages = warning" +
        (readOnly_ ? "; SET default_transaction_read_only = on" : "");
    return runCommand(conn_, sql, "configure session");
}

LogStatus PostgresConfirmationLog::ensureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK)
        return Unit{};
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
        return logFail(LogErrorCode::kUnavailable,
                       "cannot reconnect to PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
    }
    return configureSession();
}

template <typename T>
LogResult<T> PostgresConfirmationLog::withReconnect(const std::function<LogResult<T>()>& op) {
    for (int attempt = 1;; ++attempt) {
        if (auto s = ensureConnected(); !s) {
            if (attempt >= kMaxAttempts)
                return s.failure();
        } else {
            auto r = op();
            if (r || r.error().code != LogErrorCode::kUnavailable || attempt >= kMaxAttempts) {
                return r;
            }
        }
        // Back off briefly: a restarting server or a flapping network needs a moment.
        std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    }
}

LogResult<std::unique_ptr<PostgresConfirmationLog>> PostgresConfirmationLog::open(
    const std::string& connection, ChainHasher hasher, int lockTimeoutMs, OpenMode mode) {
    pg_conn* conn = PQconnectdb(connection.c_str());
    if (!conn)
        return logFail(LogErrorCode::kUnavailable, "libpq could not allocate a connection");
    const bool readOnly = mode == OpenMode::kReadOnly;
    std::unique_ptr<PostgresConfirmationLog> log(
        new PostgresConfirmationLog(conn, std::move(hasher), lockTimeoutMs, readOnly));
    if (PQstatus(conn) != CONNECTION_OK) {
        return logFail(LogErrorCode::kUnavailable,
                       "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn)));
    }
    if (auto s = log->configureSession(); !s)
        return s.failure();
    if (readOnly) {
        // Nothing is created or migrated: the tables must exist already.
        auto r = run(conn,
                     "SELECT to_regclass('confirmation_log') IS NOT NULL AND "
                     "to_regclass('confirmation_log_meta') IS NOT NULL",
                     {}, "look for the log's tables");
        if (!r)
            return r.failure();
        if (std::string(PQgetvalue(r.value().get(), 0, 0)) != "t") {
            return logFail(LogErrorCode::kUnavailable,
                           "the database holds no Uketsuke confirmation log (its tables are "
                           "missing)");
        }
        auto version = readMeta(conn, "schema_version");
        if (!version)
            return version.failure();
        if (version.value() != std::to_string(schema::kSchemaVersion))
            return logFail(LogErrorCode::kUnavailable, "no or an unsupported log schema version");
        return log;
    }
    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the append lock
    // makes terminals that start together create the tables one after the other.
    Transaction tx(conn);
    if (auto s = tx.begin("BEGIN"); !s)
        return s.failure();
    if (auto s =
            runCommand(conn, "SELECT pg_advisory_xact_lock(" + std::to_string(kAppendLockKey) + ")",
                       "take the log lock");
        !s) {
        return s.failure();
    }
    if (auto s = runCommand(conn, kCreateSchema, "create log tables"); !s)
        return s.failure();
    auto version = readMeta(conn, "schema_version");
    if (!version)
        return version.failure();
    if (version.value() != std::to_string(schema::kSchemaVersion)) {
        return logFail(LogErrorCode::kUnavailable, "unsupported log schema version");
    }
    auto logId = newSessionId();
    if (!logId)
        return logId.failure();
    if (auto r = run(conn,
                     "INSERT INTO confirmation_log_meta (key, value) VALUES ('log_id', $1) "
                     "ON CONFLICT (key) DO NOTHING",
                     {logId.value()}, "name the log");
        !r) {
        return r.failure();
    }
    if (auto s = tx.commit(); !s)
        return s.failure();
    return log;
}

LogStatus PostgresConfirmationLog::checkWritable() {
    return withReconnect<Unit>([&]() -> LogResult<Unit> {
        Transaction tx(conn_);
        if (auto s = tx.begin("BEGIN"); !s)
            return s.failure();
        // Privileges and a read-only server show on the tables the terminal writes.
        if (auto r = run(conn_,
                         "INSERT INTO confirmation_log_meta (key, value) VALUES "
                         "('last_write_check', $1) ON CONFLICT (key) DO UPDATE SET value = "
                         "EXCLUDED.value",
                         {formatTimestamp(nowUtc())}, "write check");
            !r) {
            return r.failure();
        }
        if (auto r = run(conn_, "SELECT 1 FROM result_publication LIMIT 0", {}, "write check");
            !r) {
            return r.failure();
        }
        if (auto s = tx.commit(); !s)
            return s.failure();
        return Unit{};
    });
}

LogStatus PostgresConfirmationLog::upsertPublication(const Publication& publication) {
    return withReconnect<Unit>([&]() -> LogResult<Unit> {
        if (auto s = insertPublication(conn_, publication, true); !s)
            return s.failure();
        return Unit{};
    });
}

LogResult<std::vector<Publication>> PostgresConfirmationLog::readPublications(
    const std::optional<std::string>& terminalId) {
    return withReconnect<std::vector<Publication>>([&]() -> LogResult<std::vector<Publication>> {
        Params params;
        if (terminalId)
            params.push_back(*terminalId);
        auto r = run(conn_,
                     std::string("SELECT session_id, terminal_id, state, staged_name, file_name, "
                                 "note, updated_at FROM result_publication") +
                         (terminalId ? " WHERE terminal_id = $1" : "") + " ORDER BY updated_at",
                     params, "read the publication journal");
        if (!r)
            return r.failure();
        std::vector<Publication> out;
        const PGresult* res = r.value().get();
        for (int i = 0; i < PQntuples(res); ++i) {
            Publication p;
            p.sessionId = PQgetvalue(res, i, 0);
            p.terminalId = PQgetvalue(res, i, 1);
            auto state = publicationStateFromString(PQgetvalue(res, i, 2));
            if (!state)
                return logFail(LogErrorCode::kCorruptRow, "unknown publication state");
            p.state = *state;
            p.stagedName = PQgetvalue(res, i, 3);
            p.fileName = PQgetvalue(res, i, 4);
            p.note = PQgetvalue(res, i, 5);
            p.updatedAt = PQgetvalue(res, i, 6);
            out.push_back(std::move(p));
        }
        return out;
    });
}

LogResult<AppendResult> PostgresConfirmationLog::appendOnce(
    const LogRow& input, const Sealer& seal, const std::optional<Publication>& publication) {
    LogRow row = input;
    Transaction tx(conn_);
    // Every terminal queues on the lock before it reads the head; the lock is released by
    // COMMIT or ROLLBACK (or by the server when the connection drops). One round trip for both.
    const std::string begin =
        "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kAppendLockKey) + ")";
    if (auto s = tx.begin(begin.c_str()); !s)
        return s.failure();
    auto state = readChainState(conn_);
    if (!state)
        return state.failure();
    if (state.value().mode && *state.value().mode != hasher().mode()) {
        return logFail(LogErrorCode::kChainKey, "the log is chained with " +
                                                    std::string(toString(*state.value().mode)) +
                                                    " but this terminal is configured for " +
                                                    std::string(toString(hasher().mode())));
    }

    auto existing = run(
        conn_,
        std::string("SELECT ") + schema::kColumns + " FROM confirmation_log WHERE session_id = $1",
        {row.sessionId}, "look up session");
    if (!existing)
        return existing.failure();
    if (PQntuples(existing.value().get()) > 0) {
        const LogRow stored = rowAt(existing.value().get(), 0);
        if (!sameContent(stored, row)) {
            return logFail(LogErrorCode::kDuplicateSession,
                           "session " + row.sessionId + " is already logged as row " +
                               std::to_string(stored.sequence) + " with other content");
        }
        if (publication) {
            if (auto s = insertPublication(conn_, *publication, false); !s)
                return s.failure();
            if (auto s = tx.commit(); !s)
                return s.failure();
        }
        return AppendResult{stored.sequence, stored.rowHash, true};
    }

    seal(row, state.value().head);

    auto inserted =
        run(conn_,
            std::string("INSERT INTO confirmation_log (") + schema::kColumns +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                "$17)",
            {std::to_string(row.sequence), row.sessionId, row.terminalId, row.startedAt,
             row.endedAt, row.cardClass, row.identityMethod, row.attempts,
             row.matchDistance ? std::optional<std::string>(formatDistance(*row.matchDistance))
                               : std::nullopt,
             row.staffId, row.consent, row.resultCode, row.outcome, row.failureReason, row.phaseMs,
             row.prevHash, row.rowHash},
            "insert row");
    if (!inserted)
        return inserted.failure();
    if (auto s = writeChainState(conn_, hasher().mode(), row); !s)
        return s.failure();
    if (publication) {
        if (auto s = insertPublication(conn_, *publication, false); !s)
            return s.failure();
    }
    if (auto s = tx.commit(); !s)
        return s.failure();
    return AppendResult{row.sequence, row.rowHash, false};
}

LogResult<AppendResult> PostgresConfirmationLog::appendLocked(
    LogRow row, const Sealer& seal, const std::optional<Publication>& publication) {
    return withReconnect<AppendResult>([&] { return appendOnce(row, seal, publication); });
}

LogResult<std::vector<LogRow>> PostgresConfirmationLog::queryRows(const LogQuery& q) {
    return withReconnect<std::vector<LogRow>>([&]() -> LogResult<std::vector<LogRow>> {
        const auto filter = schema::buildFilter(q, "$");
        std::string sql = std::string("SELECT ") + schema::kColumns + " FROM confirmation_log" +
                          filter.where + " ORDER BY sequence";
        if (q.limit)
            sql += " LIMIT " + std::to_string(*q.limit);
        Params params(filter.params.begin(), filter.params.end());
        auto r = run(conn_, sql, params, "query log");
        if (!r)
            return r.failure();
        std::vector<LogRow> rows;
        const int n = PQntuples(r.value().get());
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            rows.push_back(rowAt(r.value().get(), i));
        return rows;
    });
}

LogStatus PostgresConfirmationLog::scanChain(ChainMeta& meta,
                                             const std::function<bool(const LogRow&)>& onRow) {
    // No retry once rows have been handed to the verifier: a second pass would feed them twice.
    if (auto s = ensureConnected(); !s)
        return s;
    return scanOnce(meta, onRow);
}

LogStatus PostgresConfirmationLog::scanOnce(ChainMeta& meta,
                                            const std::function<bool(const LogRow&)>& onRow) {
    // REPEATABLE READ: the head and every page of rows come from one snapshot.
    Transaction tx(conn_);
    if (auto s = tx.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s)
        return s;
    auto state = readChainState(conn_, &meta.logId);
    if (!state)
        return state.failure();
    meta.mode = state.value().mode;
    meta.head = state.value().head;
    // Start below any value so that a row whose sequence was tampered with is still read.
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        auto page = run(conn_,
                        std::string("SELECT ") + schema::kColumns +
                            " FROM confirmation_log WHERE sequence > $1 ORDER BY sequence LIMIT " +
                            std::to_string(kScanPageRows),
                        {std::to_string(after)}, "read log");
        if (!page)
            return page.failure();
        const int n = PQntuples(page.value().get());
        for (int i = 0; i < n; ++i) {
            const LogRow row = rowAt(page.value().get(), i);
            after = row.sequence;
            if (!onRow(row))
                return tx.commit();
        }
        if (n < kScanPageRows)
            break;
    }
    return tx.commit();
}

}  // namespace uketsuke::terminal
