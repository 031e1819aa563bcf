// Daily statistics on a known data set stored in a real SQLite log: counts by method and outcome,
// failure reasons, median session time and 目視 rate, all worked out by hand below.
#include "terminal/log/log_stats.h"

#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "terminal/log/sqlite_log.h"
#include "tests/unit/terminal/log/temp_dir.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

using std::chrono::hours;
using M = IdentityMethod;
using O = SessionOutcome;

// The day's data set (durations in ms):
//   face confirmed 1800, 2200, 2600 | face refused 5000, 3500 (face-mismatch twice)
//   pin confirmed 4000               | pin refused 6000 (pin-blocked)
//   staff confirmed 9000, 11000      | none aborted 700 (card-removed), none error 1500
//   (service-down)
// plus one session on the next day that must not be counted. 11 sessions; 9 used a method.
std::vector<ConfirmationRecord> dataSet() {
    struct Spec {
        M method;
        O outcome;
        int hour;
        std::int64_t ms;
        const char* reason;
    };
    const std::vector<Spec> specs{
        {M::kFace, O::kConfirmed, 1, 1800, ""},
        {M::kFace, O::kConfirmed, 2, 2200, ""},
        {M::kFace, O::kConfirmed, 3, 2600, ""},
        {M::kFace, O::kRefused, 4, 5000, "face-mismatch"},
        {M::kPin, O::kConfirmed, 5, 4000, ""},
        {M::kPin, O::kRefused, 6, 6000, "pin-blocked"},
        {M::kStaff, O::kConfirmed, 7, 9000, ""},
        {M::kStaff, O::kConfirmed, 8, 11000, ""},
        {M::kNone, O::kAborted, 9, 700, "card-removed"},
        {M::kNone, O::kError, 10, 1500, "service-down"},
        {M::kFace, O::kRefused, 30, 3000, "face-mismatch"},  // next day
    };
    std::vector<ConfirmationRecord> out;
    for (const auto& s : specs) {
        auto r = makeRecord(s.method, s.outcome, hours(s.hour), s.ms);
        r.failureReason = s.reason;
        out.push_back(r);
    }
    // A second face mismatch on the day, so that reasons are ordered by count.
    auto extra = makeRecord(M::kFace, O::kRefused, hours(11), 3500);
    extra.failureReason = "face-mismatch";
    out.push_back(extra);
    return out;
}

// Stats for the day count exactly that day's sessions, by method, outcome and reason.
TEST(DayStats, CountsKnownDataSet) {
    // Arrange
    TempDir dir;
    auto log = SqliteConfirmationLog::open(dir.path() / "log.sqlite3", ChainHasher());
    ASSERT_TRUE(log.ok());
    for (const auto& r : dataSet())
        ASSERT_TRUE(log.value()->append(r).ok());
    LogQuery day;
    day.from = day0();
    day.to = day0() + hours(24);
    auto rows = log.value()->query(day);
    ASSERT_TRUE(rows.ok());
    // Act
    auto stats = computeDayStats(rows.value(), "2025-03-01");
    // Assert
    ASSERT_TRUE(stats.ok()) << stats.error().toString();
    const DayStats& s = stats.value();
    EXPECT_EQ(s.sessions, 11);
    EXPECT_EQ(s.byMethod.at("face"), 5);
    EXPECT_EQ(s.byMethod.at("pin"), 2);
    EXPECT_EQ(s.byMethod.at("staff"), 2);
    EXPECT_EQ(s.byMethod.at("none"), 2);
    EXPECT_EQ(s.byOutcome.at("confirmed"), 6);
    EXPECT_EQ(s.byOutcome.at("refused"), 3);
    EXPECT_EQ(s.byOutcome.at("aborted"), 1);
    EXPECT_EQ(s.byOutcome.at("error"), 1);
    EXPECT_EQ(s.byMethodAndOutcome.at("face").at("refused"), 2);
    EXPECT_EQ(s.byMethodAndOutcome.at("staff").at("confirmed"), 2);
    ASSERT_EQ(s.failureReasons.size(), 4u);
    EXPECT_EQ(s.failureReasons[0], (std::pair<std::string, std::int64_t>{"face-mismatch", 2}));
    EXPECT_EQ(s.failureReasons[1].second, 1);
    // Sorted: 700 1500 1800 2200 2600 | 3500 | 4000 5000 6000 9000 11000 -> 11 values, middle 3500.
    ASSERT_TRUE(s.medianSessionMs.has_value());
    EXPECT_EQ(*s.medianSessionMs, 3500);
    EXPECT_EQ(s.sessionsWithMethod, 9);
    EXPECT_EQ(s.staffSessions, 2);
    ASSERT_TRUE(s.staffRate.has_value());
    EXPECT_DOUBLE_EQ(*s.staffRate, 2.0 / 9.0);
}

// With an even number of sessions the median is the mean of the two middle durations.
TEST(DayStats, MedianOfEvenCountAveragesMiddlePair) {
    // Arrange
    std::vector<LogRow> rows;
    for (std::int64_t ms : {1000, 4000, 2000, 3001}) {
        rows.push_back(toRow(makeRecord(M::kFace, O::kConfirmed, hours(1), ms)));
    }
    // Act
    auto s = computeDayStats(rows, "d");
    // Assert
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s.value().medianSessionMs, 2500);  // (2000 + 3001) / 2, rounded down
}

// An empty day has zero counts, no median and no 目視 rate; text and JSON say so.
TEST(DayStats, EmptyDay) {
    // Arrange, Act
    auto s = computeDayStats({}, "2025-03-02");
    // Assert
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value().sessions, 0);
    EXPECT_FALSE(s.value().medianSessionMs);
    EXPECT_FALSE(s.value().staffRate);
    EXPECT_TRUE(s.value().toJson()["staff_rate"].is_null());
    EXPECT_EQ(s.value().toJson()["by_method"]["face"], 0);
    EXPECT_NE(s.value().toText().find("no session with an identity check"), std::string::npos);
}

// The text report shows the numbers a clinic reads.
TEST(DayStats, TextReportShowsRateAndMedian) {
    // Arrange
    std::vector<LogRow> rows{toRow(makeRecord(M::kStaff, O::kConfirmed, hours(1), 5000)),
                             toRow(makeRecord(M::kFace, O::kConfirmed, hours(2), 1000)),
                             toRow(makeRecord(M::kFace, O::kConfirmed, hours(3), 3000)),
                             toRow(makeRecord(M::kPin, O::kConfirmed, hours(4), 2000))};
    // Act
    auto s = computeDayStats(rows, "2025-03-01");
    ASSERT_TRUE(s.ok());
    const std::string text = s.value().toText();
    // Assert
    EXPECT_NE(text.find("25.0% (1 of 4 sessions"), std::string::npos) << text;
    EXPECT_NE(text.find("2500 ms"), std::string::npos) << text;
    EXPECT_NE(text.find("face 2, pin 1, staff 1"), std::string::npos) << text;
}

// Purpose: a local calendar day maps to [midnight, next midnight) in UTC; non-dates are refused.
TEST(LocalDayRange, LocalMidnightsAndInvalidDates) {
    const char* savedTz = std::getenv("TZ");
    const std::string saved = savedTz ? savedTz : "";
    ::setenv("TZ", "JST-9", 1);  // POSIX form: no tzdata needed
    ::tzset();
    const auto r = localDayRange("2025-03-01");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(formatTimestamp(r->from), "2025-02-28T15:00:00.000Z");
    EXPECT_EQ(formatTimestamp(r->to), "2025-03-01T15:00:00.000Z");
    const auto leap = localDayRange("2024-02-29");
    ASSERT_TRUE(leap.has_value());
    EXPECT_EQ(formatTimestamp(leap->to), "2024-02-29T15:00:00.000Z");
    for (const char* bad : {"2025-02-29", "2025-13-01", "2025-3-1", "2025-03-01x", "", "today"})
        EXPECT_FALSE(localDayRange(bad).has_value()) << bad;
    if (savedTz)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
}

}  // namespace
}  // namespace uketsuke::terminal::testing
