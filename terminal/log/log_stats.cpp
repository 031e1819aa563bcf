// Daily statistics of the confirmation log (see log_stats.h for the definitions).
#include "terminal/log/log_stats.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace uketsuke::terminal {
namespace {

constexpr std::array kMethods{IdentityMethod::kFace, IdentityMethod::kPin, IdentityMethod::kStaff,
                              IdentityMethod::kNone};
// Every outcome, in the table's order (terminal/session/session_outcome.h).
constexpr auto kOutcomes = [] {
    std::array<SessionOutcome, kSessionOutcomes.size()> all{};
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = kSessionOutcomes[i].code;
    return all;
}();

std::string joinCounts(const std::map<std::string, std::int64_t>& counts, auto order) {
    std::string out;
    for (auto key : order) {
        const std::string name(toString(key));
        const auto it = counts.find(name);
        if (it == counts.end() || it->second == 0)
            continue;
        if (!out.empty())
            out += ", ";
        out += name + " " + std::to_string(it->second);
    }
    return out.empty() ? "-" : out;
}

// The UTC instant of the local midnight that starts `ymd`.
std::optional<Timestamp> localMidnight(std::chrono::year_month_day ymd) {
    std::tm tm{};
    tm.tm_year = static_cast<int>(ymd.year()) - 1900;
    tm.tm_mon = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
    tm.tm_mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1))
        return std::nullopt;
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::from_time_t(t));
}

}  // namespace

std::optional<DayRange> localDayRange(const std::string& day) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (day.size() != 10 || std::sscanf(day.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok())
        return std::nullopt;
    const auto from = localMidnight(ymd);
    const auto to = localMidnight(std::chrono::sys_days{ymd} + std::chrono::days{1});
    if (!from || !to)
        return std::nullopt;
    return DayRange{*from, *to};
}

LogResult<DayStats> computeDayStats(const std::vector<LogRow>& rows, std::string day) {
    DayStats s;
    s.day = std::move(day);
    for (auto m : kMethods)
        s.byMethod[std::string(toString(m))] = 0;
    for (auto o : kOutcomes)
        s.byOutcome[std::string(toString(o))] = 0;
    std::map<std::string, std::int64_t> reasons;
    std::vector<std::int64_t> durations;
    for (const auto& row : rows) {
        auto decoded = fromRow(row);
        if (!decoded)
            return decoded.failure();
        const ConfirmationRecord& r = decoded.value();
        const std::string method(toString(r.identityMethod));
        const std::string outcome(toString(r.outcome));
        ++s.sessions;
        ++s.byMethod[method];
        ++s.byOutcome[outcome];
        ++s.byMethodAndOutcome[method][outcome];
        if (!r.failureReason.empty())
            ++reasons[r.failureReason];
        durations.push_back(r.durationMs());
        if (r.identityMethod != IdentityMethod::kNone)
            ++s.sessionsWithMethod;
        if (r.identityMethod == IdentityMethod::kStaff)
            ++s.staffSessions;
    }
    s.failureReasons.assign(reasons.begin(), reasons.end());
    std::stable_sort(s.failureReasons.begin(), s.failureReasons.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (!durations.empty()) {
        std::sort(durations.begin(), durations.end());
        const std::size_t n = durations.size();
        s.medianSessionMs =
            n % 2 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
    }
    if (s.sessionsWithMethod > 0) {
        s.staffRate =
            static_cast<double>(s.staffSessions) / static_cast<double>(s.sessionsWithMethod);
    }
    return s;
}

nlohmann::json DayStats::toJson() const {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& [reason, count] : failureReasons) {
        reasons.push_back({{"reason", reason}, {"count", count}});
    }
    return {
        {"day", day},
        {"sessions", sessions},
        {"by_method", byMethod},
        {"by_outcome", byOutcome},
        {"by_method_and_outcome", byMethodAndOutcome},
        {"failure_reasons", reasons},
        {"median_session_ms",
         medianSessionMs ? nlohmann::json(*medianSessionMs) : nlohmann::json(nullptr)},
        {"sessions_with_method", sessionsWithMethod},
        {"staff_sessions", staffSessions},
        {"staff_rate", staffRate ? nlohmann::json(*staffRate) : nlohmann::json(nullptr)},
    };
}

std::string DayStats::toText() const {
    std::ostringstream out;
    out << "confirmation log, " << day << "\n";
    out << "  sessions:            " << sessions << "\n";
    out << "  by method:           " << joinCounts(byMethod, kMethods) << "\n";
    out << "  by outcome:          " << joinCounts(byOutcome, kOutcomes) << "\n";
    for (auto m : kMethods) {
        const auto it = byMethodAndOutcome.find(std::string(toString(m)));
        if (it == byMethodAndOutcome.end())
            continue;
        char label[32];
        std::snprintf(label, sizeof label, "    %-18s", (std::string(toString(m)) + ":").c_str());
        out << label << " " << joinCounts(it->second, kOutcomes) << "\n";
    }
    out << "  failure reasons:" << (failureReasons.empty() ? "     -" : "") << "\n";
    for (const auto& [reason, count] : failureReasons) {
        out << "    " << reason << ": " << count << "\n";
    }
    out << "  median session time: "
        << (medianSessionMs ? std::to_string(*medianSessionMs) + " ms" : std::string("-")) << "\n";
    out << "  目視 (staff) rate:    ";
    if (staffRate) {
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%", *staffRate * 100.0);
        out << pct << " (" << staffSessions << " of " << sessionsWithMethod
            << " sessions with an identity check)\n";
    } else {
        out << "- (no session with an identity check)\n";
    }
    return out.str();
}

}  // namespace uketsuke::terminal
