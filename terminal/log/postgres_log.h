// PostgresConfirmationLog: the store for sites where several terminals share one log (libpq).
// Appends run in a transaction that first takes pg_advisory_xact_lock(kAppendLockKey), so all
// terminals queue on one lock before reading the chain head; sequence numbers are computed from
// the head (not from a SEQUENCE, which leaves gaps on rollback). A lost connection is reset and
// the operation retried; because appends are idempotent on the session id, a retry after a
// COMMIT whose answer was lost finds the row and does not write it twice.
// The connection string is never logged or put into an error (it may hold a password).
#pragma once

#include <memory>
#include <string>

#include "terminal/log/sql_log.h"

struct pg_conn;

namespace uketsuke::terminal {

class PostgresConfirmationLog final : public SqlConfirmationLog {
  public:
    // Key of the advisory lock that serialises appends ("uketsuke" in ASCII). It is database
    // wide: every log in one database shares it.
    static constexpr long long kAppendLockKey = 0x756b657473756b65LL;

    // Connects and creates the tables if needed. `lockTimeoutMs` bounds the wait for the append
    // lock (PostgreSQL lock_timeout); 0 waits forever.
    // kReadOnly: no table is created, the session is read-only, missing tables are an error.
    static LogResult<std::unique_ptr<PostgresConfirmationLog>> open(
        const std::string& connection, ChainHasher hasher, int lockTimeoutMs = 10000,
        OpenMode mode = OpenMode::kReadWrite);
    ~PostgresConfirmationLog() override;
    PostgresConfirmationLog(const PostgresConfirmationLog&) = delete;
    PostgresConfirmationLog& operator=(const PostgresConfirmationLog&) = delete;

    std::string describe() const override { return "postgresql"; }

  protected:
    LogStatus transact(Transaction kind, const Work& work) override;
    // libpq holds a whole result in memory: the chain is read in pages of this many rows.
    std::optional<std::int64_t> scanPageRows() const override { return 5000; }

  private:
    PostgresConfirmationLog(pg_conn* conn, ChainHasher hasher, int lockTimeoutMs, bool readOnly);
    LogStatus ensureConnected();
    LogStatus configureSession();
    // Runs `op` and, when it failed because the connection was lost, resets the connection and
    // runs it again (up to kMaxAttempts in all).
    LogStatus withReconnect(const std::function<LogStatus()>& op);

    pg_conn* conn_;
    int lockTimeoutMs_;
    bool readOnly_ = false;
};

}  // namespace uketsuke::terminal
