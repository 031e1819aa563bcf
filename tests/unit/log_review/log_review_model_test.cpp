// The log-review model (qml/log/log_review_model.h) over a real SQLite confirmation log: day
// filters in local time, method and outcome filters, session search, details, CSV export that
// reads back as the same rows, daily statistics, and clear error codes for bad input.

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "qml/log/log_review_model.h"
#include "terminal/log/confirmation_log.h"
#include "terminal/log/log_config.h"
#include "terminal/log/log_export.h"
#include "tests/unit/terminal/log/test_records.h"

namespace {

namespace fs = std::filesystem;
using uketsuke::qml::LogReviewModel;
using namespace uketsuke::terminal;
using uketsuke::terminal::testing::makeRecord;

class LogReviewModelTest : public ::testing::Test {
  protected:
    void SetUp() override {
        // Days are local: pin the zone (POSIX form, no tzdata needed) so 2025-03-01 JST is
        // [2025-02-28T15:00Z, 2025-03-01T15:00Z).
        ::setenv("TZ", "JST-9", 1);
        ::tzset();
        dir_ = fs::temp_directory_path() / ("uketsuke-log-review-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        config_ = dir_ / "terminal.json";
        std::ofstream(config_) << nlohmann::json{
            {"log",
             {{"backend", "sqlite"},
              {"path", "log.sqlite3"},
              {"terminal_id", "t1"}}}}.dump();
        auto cfg = LogConfig::fromJson({{"backend", "sqlite"},
                                        {"path", (dir_ / "log.sqlite3").string()},
                                        {"terminal_id", "t1"}});
        ASSERT_TRUE(cfg.ok());
        auto log = openConfirmationLog(cfg.value());
        ASSERT_TRUE(log.ok());
        // makeRecord's times are day0 (2025-03-01T00:00Z = 09:00 JST) + offset.
        using std::chrono::hours;
        const ConfirmationRecord records[] = {
            makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed, hours(1), 1000),
            makeRecord(IdentityMethod::kPin, SessionOutcome::kConfirmed, hours(2), 3000),
            makeRecord(IdentityMethod::kStaff, SessionOutcome::kConfirmed, hours(3), 5000),
            makeRecord(IdentityMethod::kNone, SessionOutcome::kAborted, hours(4), 500),
            // 2025-03-02 00:30 JST: the next local day.
            makeRecord(IdentityMethod::kFace, SessionOutcome::kRefused,
                       hours(15) + std::chrono::minutes(30), 2000),
        };
        for (const auto& r : records) {
            ASSERT_TRUE(log.value()->append(r).ok());
            ids_.push_back(r.sessionId);
        }
    }
    void TearDown() override {
        fs::remove_all(dir_);
        ::unsetenv("TZ");
        ::tzset();
    }

    // A model over the test log, filtered to [from, to].
    std::unique_ptr<LogReviewModel> make(const char* from, const char* to) {
        auto m = std::make_unique<LogReviewModel>();
        m->setConfigFile(QString::fromStdString(config_.string()));
        m->setFromDate(from);
        m->setToDate(to);
        return m;
    }

    fs::path dir_, config_;
    std::vector<std::string> ids_;
};

TEST_F(LogReviewModelTest, LocalDayHoldsItsSessionsNewestFirst) {
    auto owner = make("2025-03-01", "2025-03-01");
    LogReviewModel& m = *owner;
    ASSERT_TRUE(m.refresh()) << m.error().toStdString();
    ASSERT_EQ(m.count(), 4);
    EXPECT_EQ(m.data(m.index(0), LogReviewModel::kSessionIdRole).toString().toStdString(), ids_[3]);
    EXPECT_EQ(m.data(m.index(3), LogReviewModel::kStartedRole).toString(), "2025-03-01 10:00:00");
    EXPECT_EQ(m.data(m.index(3), LogReviewModel::kDurationMsRole).toLongLong(), 1000);
    m.setToDate("2025-03-02");
    ASSERT_TRUE(m.refresh());
    EXPECT_EQ(m.count(), 5);
}

TEST_F(LogReviewModelTest, FiltersByMethodOutcomeAndSession) {
    auto owner = make("2025-03-01", "2025-03-02");
    LogReviewModel& m = *owner;
    m.setMethod("face");
    ASSERT_TRUE(m.refresh());
    EXPECT_EQ(m.count(), 2);
    m.setOutcome("refused");
    ASSERT_TRUE(m.refresh());
    ASSERT_EQ(m.count(), 1);
    EXPECT_EQ(m.data(m.index(0), LogReviewModel::kSessionIdRole).toString().toStdString(), ids_[4]);
    m.setMethod("");
    m.setOutcome("");
    m.setSessionSearch(QString::fromStdString(ids_[2].substr(0, 8)).toUpper());
    ASSERT_TRUE(m.refresh());
    ASSERT_EQ(m.count(), 1);
    EXPECT_EQ(m.data(m.index(0), LogReviewModel::kMethodRole).toString(), "staff");
}

TEST_F(LogReviewModelTest, DetailShowsEveryLoggedField) {
    auto owner = make("2025-03-01", "2025-03-01");
    LogReviewModel& m = *owner;
    m.setMethod("staff");
    ASSERT_TRUE(m.refresh());
    ASSERT_EQ(m.count(), 1);
    const QVariantMap d = m.detail(0);
    EXPECT_EQ(d["staffId"].toString(), "staff-07");
    EXPECT_EQ(d["staffAttempts"].toInt(), 1);
    EXPECT_EQ(d["durationMs"].toLongLong(), 5000);
    EXPECT_EQ(d["consent"].toList().size(), 2);
    EXPECT_EQ(d["phases"].toList().size(), 3);
    EXPECT_EQ(d["rowHash"].toString().size(), 64);
    EXPECT_TRUE(m.detail(1).isEmpty());
    EXPECT_TRUE(m.detail(-1).isEmpty());
}

TEST_F(LogReviewModelTest, CsvExportReadsBackAsTheShownRows) {
    auto owner = make("2025-03-01", "2025-03-01");
    LogReviewModel& m = *owner;
    ASSERT_TRUE(m.refresh());
    const QString path = m.defaultExportPath();
    EXPECT_TRUE(path.endsWith("exports/uketsuke-log-2025-03-01_2025-03-01.csv"))
        << path.toStdString();
    ASSERT_TRUE(m.exportCsv(path));
    std::ifstream in(path.toStdString());
    auto rows = readCsv(in);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 4u);
    EXPECT_EQ((*rows)[0].sessionId, ids_[0]);  // log order in the file
    EXPECT_FALSE(m.exportCsv(QString::fromStdString((dir_ / "terminal.json" / "x.csv").string())));
    EXPECT_EQ(m.error(), "log-export-failed");
}

// The manager's export (issue 17): a BOM, JST times, flat columns, on a chosen removable medium.
TEST_F(LogReviewModelTest, SpreadsheetExportOnRemovableMediumIsJstWithBomAndFlat) {
    auto owner = make("2025-03-01", "2025-03-01");
    LogReviewModel& m = *owner;
    ASSERT_TRUE(m.refresh());
    const fs::path stick = dir_ / "usb-stick";
    fs::create_directories(stick);
    ::setenv("UKETSUKE_REMOVABLE_ROOTS", stick.c_str(), 1);
    const QVariantList media = m.removableMedia();
    ::unsetenv("UKETSUKE_REMOVABLE_ROOTS");
    ASSERT_FALSE(media.isEmpty());
    const QString medium = media.back().toMap()["path"].toString();
    EXPECT_EQ(medium.toStdString(), stick.string());
    const QString path = m.exportPathOn(medium);
    ASSERT_TRUE(m.exportSpreadsheet(path)) << m.error().toStdString();
    std::ifstream in(path.toStdString(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    ASSERT_GE(text.size(), 3u);
    EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    const std::string header = text.substr(3, text.find("\r\n") - 3);
    EXPECT_NE(header.find("started_jst,ended_jst,duration_s"), std::string::npos) << header;
    EXPECT_NE(header.find("face_attempts,pin_attempts,staff_attempts"), std::string::npos);
    EXPECT_EQ(header.find("attempts,"), header.find("face_attempts,") + 5) << "no JSON column";
    // The first session started at 2025-03-01T01:00Z = 10:00 JST, in log order.
    EXPECT_NE(text.find("2025-03-01 10:00:00"), std::string::npos);
    EXPECT_EQ(text.find("T01:00:00"), std::string::npos) << "no UTC timestamp left";
    EXPECT_EQ(text.find('{'), std::string::npos) << "no JSON cell";
    // 4 rows + header, CRLF each.
    std::size_t lines = 0;
    for (std::size_t at = text.find("\r\n"); at != std::string::npos;
         at = text.find("\r\n", at + 2))
        ++lines;
    EXPECT_EQ(lines, 5u);
}

TEST_F(LogReviewModelTest, DayStatistics) {
    auto owner = make("2025-03-01", "2025-03-01");
    LogReviewModel& m = *owner;
    const QVariantMap s = m.dayStats("2025-03-01");
    ASSERT_FALSE(s.isEmpty()) << m.error().toStdString();
    EXPECT_EQ(s["sessions"].toLongLong(), 4);
    EXPECT_EQ(s["byMethod"].toMap()["staff"].toLongLong(), 1);
    EXPECT_EQ(s["byOutcome"].toMap()["aborted"].toLongLong(), 1);
    EXPECT_EQ(s["medianSessionMs"].toLongLong(), 2000);  // (1000 + 3000) / 2 of 500,1000,3000,5000
    EXPECT_NEAR(s["staffRate"].toDouble(), 1.0 / 3.0, 1e-9);
    EXPECT_EQ(m.dayStats("2025-03-05")["sessions"].toLongLong(), 0);
}

TEST_F(LogReviewModelTest, BadInputsGiveErrorCodes) {
    auto owner = make("2025-03-02", "2025-03-01");
    LogReviewModel& m = *owner;
    EXPECT_FALSE(m.refresh());
    EXPECT_EQ(m.error(), "log-bad-dates");
    m.setToDate("2025-02-30");
    EXPECT_FALSE(m.refresh());
    EXPECT_EQ(m.error(), "log-bad-dates");
    m.setToDate("2025-03-02");
    m.setMethod("fingerprint");
    EXPECT_FALSE(m.refresh());
    EXPECT_EQ(m.error(), "log-bad-filter");
    LogReviewModel missing;
    missing.setConfigFile(QString::fromStdString((dir_ / "absent.json").string()));
    EXPECT_FALSE(missing.refresh());
    EXPECT_EQ(missing.error(), "log-config-missing");
    std::ofstream(dir_ / "nolog.json") << "{}";
    LogReviewModel noLog;
    noLog.setConfigFile(QString::fromStdString((dir_ / "nolog.json").string()));
    EXPECT_FALSE(noLog.refresh());
    EXPECT_EQ(noLog.error(), "log-config-invalid");
}

}  // namespace
