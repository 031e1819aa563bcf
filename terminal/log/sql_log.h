// SqlConfirmationLog: what the SQLite and PostgreSQL stores share, written once (internal to
// terminal/log). The tables, the row layout, the chain head, the steps of an append, the
// publication journal, queries and the chain scan are plain SQL run through a small connection
// interface (sql::Connection), so the two stores cannot drift apart. Each store keeps only what
// really differs: its dialect (column types, parameter markers), opening and configuring the
// connection, its transactions and append lock, and (PostgreSQL) reconnecting after a lost
// connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "terminal/log/confirmation_log.h"

namespace uketsuke::terminal::sql {

inline constexpr int kSchemaVersion = 1;

// What differs in the SQL text of the two stores.
struct Dialect {
    const char* parameterPrefix;  // parameter n is written <prefix><n>: "?1" (SQLite), "$1"
    const char* int64Type;        // sequence
    const char* realType;         // match_distance
    const char* timeType;         // started_at, ended_at, updated_at (must sort as bytes)
};

// The script that creates the log's tables when they are missing.
std::string createTablesScript(const Dialect& dialect);

// A statement parameter: NULL, an integer, a double (only match distances, which the stores
// keep rounded to 1e-6; see formatDistance()) or text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// One row of a statement's result, read by column index.
class ResultRow {
  public:
    virtual ~ResultRow() = default;
    virtual std::string text(int column) const = 0;
    virtual bool isNull(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
};

// Receives each result row; returning false stops reading.
using RowHandler = std::function<bool(const ResultRow&)>;

// A store's open connection, as the shared statements use it. Errors carry `what` and the
// database's message, with kBusy for lock timeouts and kUnavailable for a lost connection.
class Connection {
  public:
    virtual ~Connection() = default;
    virtual const Dialect& dialect() const = 0;
    // Runs statements without parameters or results (several, separated by ';').
    virtual LogStatus script(const std::string& sql, const std::string& what) = 0;
    // Runs one statement; each result row goes to onRow (when set) until it returns false.
    virtual LogStatus run(const std::string& sql, const std::vector<Value>& params,
                          const std::string& what, const RowHandler& onRow) = 0;
};

// Inside a write transaction: creates the tables if needed, checks the schema version
// (`unsupported` is the error's text) and gives a new log its id.
LogStatus createTables(Connection& db, const std::string& unsupported);
// Fails with kUnavailable and `unsupported` unless the stored schema version is this one.
LogStatus checkSchemaVersion(Connection& db, const std::string& unsupported);

}  // namespace uketsuke::terminal::sql

namespace uketsuke::terminal {

class SqlConfirmationLog : public ConfirmationLog {
  public:
    // Writes a marker into the metadata table and touches the journal table in one write
    // transaction: missing privileges, a read-only database or a full disk show here.
    LogStatus checkWritable() override;

  protected:
    explicit SqlConfirmationLog(ChainHasher hasher) : ConfirmationLog(std::move(hasher)) {}

    enum class Transaction {
        kAppend,    // writes after taking the append lock that serialises all writers
        kWrite,     // writes
        kSnapshot,  // reads several statements from one snapshot; never retried (rows were
                    // already handed out)
        kNone,      // one statement on its own
    };
    // Runs `work` in a transaction of that kind; commits when it succeeds, else rolls back.
    // A store may run `work` again (from the start) after a lost connection, except kSnapshot.
    using Work = std::function<LogStatus(sql::Connection& db)>;
    virtual LogStatus transact(Transaction kind, const Work& work) = 0;

    LogResult<AppendResult> appendLocked(LogRow row, const Sealer& seal,
                                         const std::optional<Publication>& publication) override;
    LogStatus upsertPublication(const Publication& publication) override;
    LogResult<std::vector<Publication>> readPublications(
        const std::optional<std::string>& terminalId) override;
    LogResult<std::vector<LogRow>> queryRows(const LogQuery& query) override;
    LogStatus scanChain(ChainMeta& meta, const std::function<bool(const LogRow&)>& onRow) override;

    // Rows of the chain scan per statement; nullopt reads them with one statement.
    virtual std::optional<std::int64_t> scanPageRows() const { return std::nullopt; }

  private:
    // transact() for work that produces a value.
    template <typename T>
    LogResult<T> transactValue(Transaction kind,
                               const std::function<LogResult<T>(sql::Connection&)>& work);
};

}  // namespace uketsuke::terminal
