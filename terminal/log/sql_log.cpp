// The SQL both confirmation-log stores run (see sql_log.h). Every field is stored as text exactly
// as toRow() produced it (timestamps included) so that the hash chain covers the stored bytes;
// started_at sorts as text because the format is fixed-width UTC.
#include "terminal/log/sql_log.h"

#include <array>
#include <cstdlib>
#include <limits>
#include <utility>

namespace uketsuke::terminal::sql {
namespace {

// {int64}, {real} and {time} stand for the dialect's types. The CREATE TABLE texts are kept
// byte for byte as the first release wrote them (SQLite stores them in sqlite_master).
constexpr const char* kCreateTables = R"sql(
CREATE TABLE IF NOT EXISTS confirmation_log (
    sequence        {int64} PRIMARY KEY CHECK (sequence >= 1),
    session_id      TEXT NOT NULL UNIQUE,
    terminal_id     TEXT NOT NULL,
    started_at      {time} NOT NULL,
    ended_at        {time} NOT NULL,
    card_class      TEXT NOT NULL,
    identity_method TEXT NOT NULL,
    attempts        TEXT NOT NULL,
    match_distance  {real},
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
    updated_at  {time} NOT NULL
);
)sql";

// Column order of every SELECT and INSERT of rows; readRow() and rowValues() follow it.
constexpr const char* kColumns =
    "sequence, session_id, terminal_id, started_at, ended_at, card_class, identity_method, "
    "attempts, match_distance, staff_id, consent, result_code, outcome, failure_reason, phase_ms, "
    "prev_hash, row_hash";
constexpr std::size_t kColumnCount = 17;

constexpr const char* kPublicationColumns =
    "session_id, terminal_id, state, staged_name, file_name, note, updated_at";

void replaceAll(std::string& text, const std::string& token, const std::string& by) {
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
        text.replace(at, token.size(), by);
        at += by.size();
    }
}

std::string parameter(const Connection& db, std::size_t n) {
    return db.dialect().parameterPrefix + std::to_string(n);
}

// "(<p>1, <p>2, ... <p>count)"
std::string parameterList(const Connection& db, std::size_t count) {
    std::string list = "(";
    for (std::size_t n = 1; n <= count; ++n)
        list += (n > 1 ? ", " : "") + parameter(db, n);
    return list + ")";
}

// The text columns of a row by their index in kColumns; the others are sequence (0),
// match_distance (8, a nullable double) and staff_id (9, nullable text).
using TextColumn = std::pair<int, std::string LogRow::*>;
constexpr std::array<TextColumn, 14> kTextColumns{{
    {1, &LogRow::sessionId},
    {2, &LogRow::terminalId},
    {3, &LogRow::startedAt},
    {4, &LogRow::endedAt},
    {5, &LogRow::cardClass},
    {6, &LogRow::identityMethod},
    {7, &LogRow::attempts},
    {10, &LogRow::consent},
    {11, &LogRow::resultCode},
    {12, &LogRow::outcome},
    {13, &LogRow::failureReason},
    {14, &LogRow::phaseMs},
    {15, &LogRow::prevHash},
    {16, &LogRow::rowHash},
}};

LogRow readRow(const ResultRow& r) {
    LogRow row;
    row.sequence = r.int64(0);
    for (const auto& [column, field] : kTextColumns)
        row.*field = r.text(column);
    if (!r.isNull(8))
        row.matchDistance = r.real(8);
    if (!r.isNull(9))
        row.staffId = r.text(9);
    return row;
}

std::vector<Value> rowValues(const LogRow& row) {
    std::vector<Value> values(kColumnCount);
    values[0] = row.sequence;
    for (const auto& [column, field] : kTextColumns)
        values[static_cast<std::size_t>(column)] = row.*field;
    if (row.matchDistance)
        values[8] = *row.matchDistance;
    if (row.staffId)
        values[9] = *row.staffId;
    return values;
}

// Runs a statement and collects its rows through `read`.
template <typename T>
LogResult<std::vector<T>> collect(Connection& db, const std::string& sql,
                                  const std::vector<Value>& params, const std::string& what,
                                  const std::function<LogResult<T>(const ResultRow&)>& read) {
    std::vector<T> out;
    std::optional<LogError> bad;
    auto s = db.run(sql, params, what, [&](const ResultRow& r) {
        auto item = read(r);
        if (!item) {
            bad = item.error();
            return false;
        }
        out.push_back(std::move(item).takeValue());
        return true;
    });
    if (!s)
        return s.failure();
    if (bad)
        return fail(std::move(*bad));
    return out;
}

LogResult<std::vector<LogRow>> selectRows(Connection& db, const std::string& sql,
                                          const std::vector<Value>& params,
                                          const std::string& what) {
    return collect<LogRow>(db, sql, params, what,
                           [](const ResultRow& r) -> LogResult<LogRow> { return readRow(r); });
}

LogResult<std::optional<std::string>> readMeta(Connection& db, const std::string& key) {
    std::optional<std::string> value;
    auto s = db.run("SELECT value FROM confirmation_log_meta WHERE key = " + parameter(db, 1),
                    {key}, "read log metadata", [&](const ResultRow& r) {
                        value = r.text(0);
                        return false;
                    });
    if (!s)
        return s.failure();
    return value;
}

// The stored chain mode, head and log id, read in one round trip (an append holds the lock
// while it waits).
LogResult<ChainMeta> readChainMeta(Connection& db) {
    auto entries = collect<std::pair<std::string, std::string>>(
        db,
        "SELECT key, value FROM confirmation_log_meta "
        "WHERE key IN ('chain_mode', 'head_sequence', 'head_hash', 'log_id')",
        {}, "read the chain head",
        [](const ResultRow& r) -> LogResult<std::pair<std::string, std::string>> {
            return std::pair(r.text(0), r.text(1));
        });
    if (!entries)
        return entries.failure();
    ChainMeta meta;
    std::optional<std::string> sequence, hash;
    for (const auto& [key, value] : entries.value()) {
        if (key == "chain_mode") {
            meta.mode = chainModeFromString(value);
            if (!meta.mode)
                return logFail(LogErrorCode::kCorruptRow, "unknown chain mode in the log");
        } else if (key == "head_sequence") {
            sequence = value;
        } else if (key == "log_id") {
            meta.logId = value;
        } else {
            hash = value;
        }
    }
    if (sequence && hash) {
        char* end = nullptr;
        meta.head.sequence = std::strtoll(sequence->c_str(), &end, 10);
        if (end == sequence->c_str() || *end != '\0')
            return logFail(LogErrorCode::kCorruptRow, "chain head sequence is not a number");
        meta.head.hash = *hash;
    }
    return meta;
}

// Records the chain mode (first append) and moves the head, in one statement.
LogStatus writeHead(Connection& db, ChainMode mode, const LogRow& row) {
    return db.run("INSERT INTO confirmation_log_meta (key, value) VALUES ('chain_mode', " +
                      parameter(db, 1) + "), ('head_sequence', " + parameter(db, 2) +
                      "), ('head_hash', " + parameter(db, 3) +
                      ") ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  {std::string(toString(mode)), std::to_string(row.sequence), row.rowHash},
                  "move the chain head", {});
}

// Inserts a journal entry; an existing entry of the session is replaced, or kept as it is.
LogStatus insertPublication(Connection& db, const Publication& p, bool replace) {
    return db.run(std::string("INSERT INTO result_publication (") + kPublicationColumns +
                      ") VALUES " + parameterList(db, 7) + " ON CONFLICT (session_id) DO " +
                      (replace ? "UPDATE SET terminal_id = excluded.terminal_id, state = "
                                 "excluded.state, staged_name = excluded.staged_name, file_name = "
                                 "excluded.file_name, note = excluded.note, updated_at = "
                                 "excluded.updated_at"
                               : "NOTHING"),
                  {p.sessionId, p.terminalId, std::string(toString(p.state)), p.stagedName,
                   p.fileName, p.note, p.updatedAt},
                  "record the result file's publication", {});
}

LogResult<Publication> readPublication(const ResultRow& r) {
    Publication p;
    p.sessionId = r.text(0);
    p.terminalId = r.text(1);
    auto state = publicationStateFromString(r.text(2));
    if (!state)
        return logFail(LogErrorCode::kCorruptRow, "unknown publication state");
    p.state = *state;
    p.stagedName = r.text(3);
    p.fileName = r.text(4);
    p.note = r.text(5);
    p.updatedAt = r.text(6);
    return p;
}

// A WHERE clause (with leading " WHERE" when not empty) over the query's filters, and its
// parameters.
struct Filter {
    std::string where;
    std::vector<Value> params;
};

Filter buildFilter(const Connection& db, const LogQuery& q) {
    Filter f;
    auto add = [&](const std::string& clause, std::string value) {
        f.params.emplace_back(std::move(value));
        f.where += f.where.empty() ? " WHERE " : " AND ";
        f.where += clause + parameter(db, f.params.size());
    };
    if (q.from)
        add("started_at >= ", formatTimestamp(*q.from));
    if (q.to)
        add("started_at < ", formatTimestamp(*q.to));
    if (q.method)
        add("identity_method = ", std::string(toString(*q.method)));
    if (q.outcome)
        add("outcome = ", std::string(toString(*q.outcome)));
    if (q.sessionId)
        add("session_id = ", *q.sessionId);
    if (q.terminalId)
        add("terminal_id = ", *q.terminalId);
    if (q.afterSequence > 0)
        add("sequence > ", std::to_string(q.afterSequence));
    return f;
}

LogResult<std::vector<Publication>> selectPublications(
    Connection& db, const std::optional<std::string>& terminalId) {
    std::vector<Value> params;
    if (terminalId)
        params.emplace_back(*terminalId);
    return collect<Publication>(
        db,
        std::string("SELECT ") + kPublicationColumns + " FROM result_publication" +
            (terminalId ? " WHERE terminal_id = " + parameter(db, 1) : "") + " ORDER BY updated_at",
        params, "read the publication journal", readPublication);
}

LogResult<std::vector<LogRow>> selectQuery(Connection& db, const LogQuery& q) {
    const auto filter = buildFilter(db, q);
    std::string sql = std::string("SELECT ") + kColumns + " FROM confirmation_log" + filter.where +
                      " ORDER BY sequence";
    if (q.limit)
        sql += " LIMIT " + std::to_string(*q.limit);
    return selectRows(db, sql, filter.params, "query log");
}

// The steps of an append, inside the store's append transaction (see appendLocked()).
LogResult<AppendResult> appendRow(Connection& db, ChainMode mode, LogRow row,
                                  const std::function<void(LogRow&, const ChainHead&)>& seal,
                                  const std::optional<Publication>& publication) {
    auto meta = readChainMeta(db);
    if (!meta)
        return meta.failure();
    if (meta.value().mode && *meta.value().mode != mode) {
        return logFail(LogErrorCode::kChainKey,
                       "the log is chained with " + std::string(toString(*meta.value().mode)) +
                           " but this terminal is configured for " + std::string(toString(mode)));
    }
    auto existing = selectRows(db,
                               std::string("SELECT ") + kColumns +
                                   " FROM confirmation_log WHERE session_id = " + parameter(db, 1),
                               {row.sessionId}, "look up session");
    if (!existing)
        return existing.failure();
    if (!existing.value().empty()) {
        const LogRow& stored = existing.value().front();
        if (!sameContent(stored, row)) {
            return logFail(LogErrorCode::kDuplicateSession,
                           "session " + row.sessionId + " is already logged as row " +
                               std::to_string(stored.sequence) + " with other content");
        }
        if (publication) {
            if (auto s = insertPublication(db, *publication, false); !s)
                return s.failure();
        }
        return AppendResult{stored.sequence, stored.rowHash, true};
    }

    seal(row, meta.value().head);

    if (auto s = db.run(std::string("INSERT INTO confirmation_log (") + kColumns + ") VALUES " +
                            parameterList(db, kColumnCount),
                        rowValues(row), "insert row", {});
        !s) {
        return s.failure();
    }
    if (auto s = writeHead(db, mode, row); !s)
        return s.failure();
    if (publication) {
        if (auto s = insertPublication(db, *publication, false); !s)
            return s.failure();
    }
    return AppendResult{row.sequence, row.rowHash, false};
}

}  // namespace

std::string createTablesScript(const Dialect& dialect) {
    std::string sql = kCreateTables;
    replaceAll(sql, "{int64}", dialect.int64Type);
    replaceAll(sql, "{real}", dialect.realType);
    replaceAll(sql, "{time}", dialect.timeType);
    return sql;
}

LogStatus checkSchemaVersion(Connection& db, const std::string& unsupported) {
    auto version = readMeta(db, "schema_version");
    if (!version)
        return version.failure();
    if (version.value() != std::to_string(kSchemaVersion))
        return logFail(LogErrorCode::kUnavailable, unsupported);
    return Unit{};
}

LogStatus createTables(Connection& db, const std::string& unsupported) {
    if (auto s = db.script(createTablesScript(db.dialect()), "create log tables"); !s)
        return s;
    if (auto s = checkSchemaVersion(db, unsupported); !s)
        return s;
    auto logId = newSessionId();
    if (!logId)
        return logId.failure();
    return db.run("INSERT INTO confirmation_log_meta (key, value) VALUES ('log_id', " +
                      parameter(db, 1) + ") ON CONFLICT (key) DO NOTHING",
                  {logId.value()}, "name the log", {});
}

}  // namespace uketsuke::terminal::sql

namespace uketsuke::terminal {

LogStatus SqlConfirmationLog::checkWritable() {
    return transact(Transaction::kWrite, [](sql::Connection& db) -> LogStatus {
        if (auto s = db.run("INSERT INTO confirmation_log_meta (key, value) VALUES "
                            "('last_write_check', " +
                                sql::parameter(db, 1) +
                                ") ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            {formatTimestamp(nowUtc())}, "write check", {});
            !s) {
            return s;
        }
        return db.run("SELECT 1 FROM result_publication LIMIT 0", {}, "write check", {});
    });
}

template <typename T>
LogResult<T> SqlConfirmationLog::transactValue(
    Transaction kind, const std::function<LogResult<T>(sql::Connection&)>& work) {
    std::optional<T> value;
    auto s = transact(kind, [&](sql::Connection& db) -> LogStatus {
        auto r = work(db);
        if (!r)
            return r.failure();
        value = std::move(r).takeValue();
        return Unit{};
    });
    if (!s)
        return s.failure();
    return std::move(*value);
}

LogResult<AppendResult> SqlConfirmationLog::appendLocked(
    LogRow row, const Sealer& seal, const std::optional<Publication>& publication) {
    // Each run starts from the unsealed row: a retry after a lost connection seals it again
    // after the head it then finds (or finds the row, when the lost answer was COMMIT's).
    return transactValue<AppendResult>(Transaction::kAppend, [&](sql::Connection& db) {
        return sql::appendRow(db, chainMode(), row, seal, publication);
    });
}

LogStatus SqlConfirmationLog::upsertPublication(const Publication& publication) {
    return transact(Transaction::kWrite, [&](sql::Connection& db) {
        return sql::insertPublication(db, publication, true);
    });
}

LogResult<std::vector<Publication>> SqlConfirmationLog::readPublications(
    const std::optional<std::string>& terminalId) {
    return transactValue<std::vector<Publication>>(Transaction::kNone, [&](sql::Connection& db) {
        return sql::selectPublications(db, terminalId);
    });
}

LogResult<std::vector<LogRow>> SqlConfirmationLog::queryRows(const LogQuery& q) {
    return transactValue<std::vector<LogRow>>(
        Transaction::kNone, [&](sql::Connection& db) { return sql::selectQuery(db, q); });
}

LogStatus SqlConfirmationLog::scanChain(ChainMeta& meta,
                                        const std::function<bool(const LogRow&)>& onRow) {
    // One snapshot: a concurrent append cannot make the head and the rows disagree.
    const auto pageRows = scanPageRows();
    return transact(Transaction::kSnapshot, [&](sql::Connection& db) -> LogStatus {
        auto stored = sql::readChainMeta(db);
        if (!stored)
            return stored.failure();
        meta = stored.value();
        const std::string select =
            std::string("SELECT ") + sql::kColumns + " FROM confirmation_log";
        bool more = true;
        auto feed = [&](const sql::ResultRow& r) {
            more = onRow(sql::readRow(r));
            return more;
        };
        if (!pageRows)
            return db.run(select + " ORDER BY sequence", {}, "read log", feed);
        // Pages by sequence, from below any value so that a row whose sequence was tampered
        // with is still read.
        std::int64_t after = std::numeric_limits<std::int64_t>::min();
        for (;;) {
            std::int64_t n = 0;
            auto s = db.run(select + " WHERE sequence > " + sql::parameter(db, 1) +
                                " ORDER BY sequence LIMIT " + std::to_string(*pageRows),
                            {std::to_string(after)}, "read log", [&](const sql::ResultRow& r) {
                                ++n;
                                after = r.int64(0);
                                return feed(r);
                            });
            if (!s || !more || n < *pageRows)
                return s;
        }
    });
}

}  // namespace uketsuke::terminal
