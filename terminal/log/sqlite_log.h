// SqliteConfirmationLog: the embedded default store. One database file in WAL mode (readers such
// as `uketsuke log verify` never block the terminal's appends), synchronous=FULL (an audit row
// that the session reported as written survives a power cut), and a busy timeout so that
// processes sharing the file queue for the write lock instead of failing.
// Appends run in BEGIN IMMEDIATE transactions: the write lock is taken before the chain head is
// read, so two processes can never both append after the same head.
#pragma once

#include <filesystem>
#include <memory>

#include "terminal/log/sql_log.h"

struct sqlite3;

namespace uketsuke::terminal {

class SqliteConfirmationLog final : public SqlConfirmationLog {
  public:
    // Opens (creating if needed, mode 0640) the database file and its tables; kReadOnly opens an
    // existing log without changing anything.
    static LogResult<std::unique_ptr<SqliteConfirmationLog>> open(
        const std::filesystem::path& file, ChainHasher hasher, int busyTimeoutMs = 10000,
        OpenMode mode = OpenMode::kReadWrite);
    ~SqliteConfirmationLog() override;
    SqliteConfirmationLog(const SqliteConfirmationLog&) = delete;
    SqliteConfirmationLog& operator=(const SqliteConfirmationLog&) = delete;

    std::string describe() const override { return "sqlite:" + file_.string(); }

  protected:
    LogStatus transact(Transaction kind, const Work& work) override;

  private:
    SqliteConfirmationLog(std::filesystem::path file, sqlite3* db, ChainHasher hasher);

    std::filesystem::path file_;
    sqlite3* db_;
};

}  // namespace uketsuke::terminal
