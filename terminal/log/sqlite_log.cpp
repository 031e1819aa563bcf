// SQLite store of the confirmation log (see sqlite_log.h).
#include "terminal/log/sqlite_log.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <variant>

#include "terminal/log/sql_log.h"

namespace uketsuke::terminal {
namespace {

// The log's tables, as a read-only open expects them.
constexpr const char* kExpectedTables =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('confirmation_log', 'confirmation_log_meta')";

constexpr sql::Dialect kDialect{"?", "INTEGER", "REAL", "TEXT"};

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

// Owns a prepared statement; finalised on scope exit.
class Statement final : public sql::ResultRow {
  public:
    Statement(sqlite3* db, const std::string& sql)
        : rc_(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr)) {}
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool prepared() const { return rc_ == SQLITE_OK; }
    void bind(int index, const sql::Value& value) {
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::string>) {
                    sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()),
                                      SQLITE_TRANSIENT);
                } else if constexpr (std::is_same_v<V, std::int64_t>) {
                    sqlite3_bind_int64(stmt_, index, v);
                } else if constexpr (std::is_same_v<V, double>) {
                    sqlite3_bind_double(stmt_, index, v);
                } else {
                    sqlite3_bind_null(stmt_, index);
                }
            },
            value);
    }
    int step() { return rc_ = sqlite3_step(stmt_); }
    std::string text(int column) const override {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                 : std::string();
    }
    bool isNull(int column) const override {
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
    }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const override { return sqlite3_column_double(stmt_, column); }

  private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

class SqliteConnection final : public sql::Connection {
  public:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    const sql::Dialect& dialect() const override { return kDialect; }
    LogStatus script(const std::string& sql, const std::string& what) override {
        return exec(db_, sql.c_str(), what);
    }
    LogStatus run(const std::string& sql, const std::vector<sql::Value>& params,
                  const std::string& what, const sql::RowHandler& onRow) override {
        Statement st(db_, sql);
        if (!st.prepared())
            return dbFail(db_, what);
        for (std::size_t i = 0; i < params.size(); ++i)
            st.bind(static_cast<int>(i + 1), params[i]);
        int rc = SQLITE_OK;
        while ((rc = st.step()) == SQLITE_ROW) {
            if (onRow && !onRow(st))
                return Unit{};
        }
        if (rc != SQLITE_DONE)
            return dbFail(db_, what);
        return Unit{};
    }

  private:
    sqlite3* db_;
};

// Rolls back on scope exit unless committed, so every early return leaves no open transaction.
class TransactionGuard {
  public:
    explicit TransactionGuard(sqlite3* db) : db_(db) {}
    ~TransactionGuard() {
        if (open_)
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    TransactionGuard(const TransactionGuard&) = delete;
    TransactionGuard& operator=(const TransactionGuard&) = delete;
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

}  // namespace

SqliteConfirmationLog::SqliteConfirmationLog(std::filesystem::path file, sqlite3* db,
                                             ChainHasher hasher)
    : SqlConfirmationLog(std::move(hasher)), file_(std::move(file)), db_(db) {}

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
        SqliteConnection conn(db);
        if (auto s = sql::checkSchemaVersion(
                conn, file.string() + " has no or an unsupported log schema version");
            !s) {
            return s.failure();
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
    if (auto s = log->transact(Transaction::kWrite,
                               [&](sql::Connection& conn) {
                                   return sql::createTables(
                                       conn,
                                       file.string() + " has an unsupported log schema version");
                               });
        !s) {
        return s.failure();
    }
    return log;
}

LogStatus SqliteConfirmationLog::transact(Transaction kind, const Work& work) {
    SqliteConnection db(db_);
    if (kind == Transaction::kNone)
        return work(db);
    TransactionGuard tx(db_);
    // IMMEDIATE takes the database's write lock now (waiting up to the busy timeout): an append
    // reads the head only once no other process can move it until COMMIT. A plain BEGIN reads
    // one snapshot in WAL mode.
    if (auto s = tx.begin(kind == Transaction::kSnapshot ? "BEGIN" : "BEGIN IMMEDIATE"); !s)
        return s;
    if (auto s = work(db); !s)
        return s;
    return tx.commit();
}

}  // namespace uketsuke::terminal
