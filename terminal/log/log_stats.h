// Daily statistics of the confirmation log (`uketsuke log stats`; qualification-domain.md §8
// "Ops & logs": failure reasons, average time, 目視 rate).
//
// Definitions:
//  - sessions: rows whose started_at falls in the day;
//  - median session time: median of ended_at - started_at over all sessions (for an even count,
//    the mean of the two middle values, rounded down);
//  - 目視 (staff) rate: sessions decided by a staff visual check / sessions that used any
//    identity method (identity_method != none); undefined when no session did.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/log/log_row.h"

namespace uketsuke::terminal {

struct DayStats {
    std::string day;  // the label the caller gave (e.g. "2025-03-01")
    std::int64_t sessions = 0;
    std::map<std::string, std::int64_t> byMethod;   // every method, zeros included
    std::map<std::string, std::int64_t> byOutcome;  // every outcome, zeros included
    std::map<std::string, std::map<std::string, std::int64_t>> byMethodAndOutcome;  // non-zero
    std::vector<std::pair<std::string, std::int64_t>> failureReasons;  // most frequent first
    std::optional<std::int64_t> medianSessionMs;
    std::int64_t sessionsWithMethod = 0;
    std::int64_t staffSessions = 0;
    std::optional<double> staffRate;  // 目視 rate in [0, 1]

    nlohmann::json toJson() const;
    std::string toText() const;
};

// A local calendar day ("2025-03-01", the terminal's time zone) as the UTC instants
// [midnight, next midnight) that LogQuery::from/to take; nullopt when not a real YYYY-MM-DD date.
struct DayRange {
    Timestamp from;
    Timestamp to;
};
std::optional<DayRange> localDayRange(const std::string& day);

// kCorruptRow when a row cannot be decoded (run `uketsuke log verify`).
LogResult<DayStats> computeDayStats(const std::vector<LogRow>& rows, std::string day);

}  // namespace uketsuke::terminal
