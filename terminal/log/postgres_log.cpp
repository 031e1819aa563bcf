// PostgreSQL store of the confirmation log (see postgres_log.h).
#include "terminal/log/postgres_log.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <type_traits>
#include <variant>

#include "terminal/log/sql_log.h"

namespace uketsuke::terminal {
namespace {

constexpr int kMaxAttempts = 3;

// started_at, ended_at and updated_at use the "C" collation so that text order is byte order
// (= time order for the fixed-width UTC format) whatever the database's locale.
constexpr sql::Dialect kDialect{"$", "BIGINT", "DOUBLE PRECISION", "TEXT COLLATE \"C\""};

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;
using Params = std::vector<std::optional<std::string>>;

std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

LogResult<PgResult> runSql(pg_conn* conn, const std::string& sql, const Params& params,
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
    auto r = runSql(conn, sql, {}, what);
    if (!r)
        return r.failure();
    return Unit{};
}

// Rolls back on scope exit unless committed. `begin` may carry more statements after BEGIN (the
// lock): if one of them fails the transaction is open but aborted, and must still be rolled back.
class TransactionGuard {
  public:
    explicit TransactionGuard(pg_conn* conn) : conn_(conn) {}
    ~TransactionGuard() {
        if (open_ && PQstatus(conn_) == CONNECTION_OK &&
            PQtransactionStatus(conn_) != PQTRANS_IDLE) {
            PQclear(PQexec(conn_, "ROLLBACK"));
        }
    }
    TransactionGuard(const TransactionGuard&) = delete;
    TransactionGuard& operator=(const TransactionGuard&) = delete;
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

// One row of a result; numbers arrive as text.
class PgRow final : public sql::ResultRow {
  public:
    PgRow(const PGresult* res, int row) : res_(res), row_(row) {}
    std::string text(int column) const override {
        return {PQgetvalue(res_, row_, column),
                static_cast<std::size_t>(PQgetlength(res_, row_, column))};
    }
    bool isNull(int column) const override { return PQgetisnull(res_, row_, column) != 0; }
    std::int64_t int64(int column) const override {
        return std::strtoll(PQgetvalue(res_, row_, column), nullptr, 10);
    }
    double real(int column) const override {
        return std::strtod(PQgetvalue(res_, row_, column), nullptr);
    }

  private:
    const PGresult* res_;
    int row_;
};

// Parameters go as text; the only double is a match distance, sent as its canonical text.
std::optional<std::string> parameterText(const sql::Value& value) {
    return std::visit(
        [](const auto& v) -> std::optional<std::string> {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) {
                return v;
            } else if constexpr (std::is_same_v<V, std::int64_t>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<V, double>) {
                return formatDistance(v);
            } else {
                return std::nullopt;
            }
        },
        value);
}

class PgConnection final : public sql::Connection {
  public:
    explicit PgConnection(pg_conn* conn) : conn_(conn) {}
    const sql::Dialect& dialect() const override { return kDialect; }
    LogStatus script(const std::string& sql, const std::string& what) override {
        return runCommand(conn_, sql, what);
    }
    LogStatus run(const std::string& sql, const std::vector<sql::Value>& params,
                  const std::string& what, const sql::RowHandler& onRow) override {
        Params texts;
        texts.reserve(params.size());
        for (const auto& p : params)
            texts.push_back(parameterText(p));
        auto r = runSql(conn_, sql, texts, what);
        if (!r)
            return r.failure();
        const PGresult* res = r.value().get();
        for (int i = 0; onRow && i < PQntuples(res); ++i) {
            if (!onRow(PgRow(res, i)))
                break;
        }
        return Unit{};
    }

  private:
    pg_conn* conn_;
};

}  // namespace

PostgresConfirmationLog::PostgresConfirmationLog(pg_conn* conn, ChainHasher hasher,
                                                 int lockTimeoutMs, bool readOnly)
    : SqlConfirmationLog(std::move(hasher)),
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

LogStatus PostgresConfirmationLog::withReconnect(const std::function<LogStatus()>& op) {
    for (int attempt = 1;; ++attempt) {
        if (auto connected = ensureConnected(); !connected) {
            if (attempt >= kMaxAttempts)
                return connected;
        } else {
            auto s = op();
            if (s || s.error().code != LogErrorCode::kUnavailable || attempt >= kMaxAttempts)
                return s;
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
        auto r = runSql(conn,
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
        PgConnection db(conn);
        if (auto s = sql::checkSchemaVersion(db, "no or an unsupported log schema version"); !s)
            return s.failure();
        return log;
    }
    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the append lock
    // makes terminals that start together create the tables one after the other.
    TransactionGuard tx(conn);
    if (auto s = tx.begin("BEGIN"); !s)
        return s.failure();
    if (auto s =
            runCommand(conn, "SELECT pg_advisory_xact_lock(" + std::to_string(kAppendLockKey) + ")",
                       "take the log lock");
        !s) {
        return s.failure();
    }
    PgConnection db(conn);
    if (auto s = sql::createTables(db, "unsupported log schema version"); !s)
        return s.failure();
    if (auto s = tx.commit(); !s)
        return s.failure();
    return log;
}

LogStatus PostgresConfirmationLog::transact(Transaction kind, const Work& work) {
    PgConnection db(conn_);
    auto once = [&]() -> LogStatus {
        if (kind == Transaction::kNone)
            return work(db);
        TransactionGuard tx(conn_);
        // Every terminal queues on the append lock before it reads the head; the lock is
        // released by COMMIT or ROLLBACK (or by the server when the connection drops). One round
        // trip for both. REPEATABLE READ: the head and every page of rows come from one snapshot.
        const std::string begin =
            kind == Transaction::kAppend
                ? "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kAppendLockKey) + ")"
            : kind == Transaction::kSnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                             : "BEGIN";
        if (auto s = tx.begin(begin.c_str()); !s)
            return s;
        if (auto s = work(db); !s)
            return s;
        return tx.commit();
    };
    if (kind == Transaction::kSnapshot) {
        // No retry once rows have been handed to the verifier: a second pass would feed them
        // twice.
        if (auto s = ensureConnected(); !s)
            return s;
        return once();
    }
    return withReconnect(once);
}

}  // namespace uketsuke::terminal
