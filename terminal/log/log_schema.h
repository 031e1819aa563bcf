// SQL shared by the SQLite and PostgreSQL stores: column order and the query filter. Internal to
// terminal/log. Both stores keep every field as text exactly as toRow() produced it (timestamps
// included) so that the hash chain covers the stored bytes; started_at sorts as text because the
// format is fixed-width UTC.
#pragma once

#include <string>
#include <vector>

#include "terminal/log/confirmation_log.h"

namespace uketsuke::terminal::schema {

inline constexpr int kSchemaVersion = 1;

// Column order of every SELECT and INSERT; index constants below follow it.
inline constexpr const char* kColumns =
    "sequence, session_id, terminal_id, started_at, ended_at, card_class, identity_method, "
    "attempts, match_distance, staff_id, consent, result_code, outcome, failure_reason, phase_ms, "
    "prev_hash, row_hash";
inline constexpr int kColumnCount = 17;

// A WHERE clause (with leading " WHERE" when not empty) and its text parameters, numbered from
// 1 and written as `<prefix><n>` ("?1" for SQLite, "$1" for PostgreSQL).
struct Filter {
    std::string where;
    std::vector<std::string> params;
};

inline Filter buildFilter(const LogQuery& q, const char* prefix) {
    Filter f;
    auto add = [&](const std::string& clause, std::string value) {
        f.params.push_back(std::move(value));
        f.where += f.where.empty() ? " WHERE " : " AND ";
        f.where += clause + prefix + std::to_string(f.params.size());
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
    if (q.afterSequence > 0) {
        f.params.push_back(std::to_string(q.afterSequence));
        f.where += f.where.empty() ? " WHERE " : " AND ";
        f.where += std::string("sequence > ") + prefix + std::to_string(f.params.size());
    }
    return f;
}

}  // namespace uketsuke::terminal::schema
