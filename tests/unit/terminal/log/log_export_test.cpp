// CSV and JSON export: quoting, and a round trip through a real SQLite store that gives back the
// identical rows (hashes included, so the exported chain still verifies).
#include "terminal/log/log_export.h"

#include <gtest/gtest.h>

#include <sstream>

#include "terminal/log/sqlite_log.h"
#include "tests/unit/terminal/log/temp_dir.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

// Rows with awkward text: commas, quotes, line breaks, Japanese, NULL columns.
std::vector<LogRow> awkwardRowsFromStore(const TempDir& dir) {
    auto log = SqliteConfirmationLog::open(dir.path() / "log.sqlite3", ChainHasher());
    EXPECT_TRUE(log.ok());
    auto a = makeRecord(IdentityMethod::kFace, SessionOutcome::kRefused);
    a.failureReason = "face, then \"PIN\"\r\nthen staff";
    auto b = makeRecord(IdentityMethod::kStaff, SessionOutcome::kConfirmed);
    b.consent["items"][0]["label"] = "包括同意, 薬剤情報";
    auto c = makeRecord(IdentityMethod::kNone, SessionOutcome::kAborted);
    c.consent = nullptr;
    c.cardClass.clear();
    c.phaseMs.clear();
    for (const auto& r : {a, b, c})
        EXPECT_TRUE(log.value()->append(r).ok());
    auto rows = log.value()->query({});
    EXPECT_TRUE(rows.ok());
    return rows.value();
}

bool chainVerifies(const std::vector<LogRow>& rows) {
    const ChainHasher hasher;
    ChainVerifier verifier(hasher);
    for (const auto& r : rows)
        verifier.feed(r);
    verifier.finish(ChainHead{rows.back().sequence, rows.back().rowHash});
    return verifier.report().ok();
}

// Fields are quoted only when they must be, with quotes doubled.
TEST(CsvField, QuotesPerRfc4180) {
    // Arrange, Act, Assert
    EXPECT_EQ(csvField("plain"), "plain");
    EXPECT_EQ(csvField(""), "");
    EXPECT_EQ(csvField("a,b"), "\"a,b\"");
    EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvField("{\"face\":1}"), "\"{\"\"face\"\":1}\"");
}

// CSV export reads back to identical rows, and the re-read chain still verifies.
TEST(CsvExport, RoundTripsThroughStore) {
    // Arrange
    TempDir dir;
    const auto rows = awkwardRowsFromStore(dir);
    ASSERT_EQ(rows.size(), 3u);
    std::stringstream csv;
    // Act
    writeCsv(csv, rows);
    auto back = readCsv(csv);
    // Assert
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back.value(), rows);
    EXPECT_TRUE(chainVerifies(back.value()));
    EXPECT_EQ(
        csv.str().rfind("sequence,session_id,terminal_id,started_at,ended_at,duration_ms,", 0), 0u);
    EXPECT_NE(csv.str().find(",2000,"), std::string::npos);  // duration column
}

// JSON export reads back to identical rows; JSON columns are nested objects, not strings.
TEST(JsonExport, RoundTripsThroughStore) {
    // Arrange
    TempDir dir;
    const auto rows = awkwardRowsFromStore(dir);
    std::stringstream json;
    // Act
    ASSERT_TRUE(writeJson(json, rows, ChainMode::kSha256).ok());
    const auto doc = nlohmann::json::parse(json.str());
    json.seekg(0);
    auto back = readJson(json);
    // Assert
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back.value(), rows);
    EXPECT_TRUE(chainVerifies(back.value()));
    EXPECT_EQ(doc["chain_mode"], "sha256");
    EXPECT_TRUE(doc["rows"][0]["attempts"].is_object());
    EXPECT_EQ(doc["rows"][0]["duration_ms"], 2000);
    EXPECT_TRUE(doc["rows"][2]["consent"].is_null());
    EXPECT_TRUE(doc["rows"][2]["match_distance"].is_null());
}

// Broken CSV input is a format error, not a crash.
TEST(CsvExport, RefusesMalformedInput) {
    // Arrange
    const std::vector<std::string> bad{
        "",
        "sequence,session_id\r\n1,x\r\n",
        "\"unterminated",
    };
    for (const auto& text : bad) {
        std::istringstream in(text);
        // Act
        auto rows = readCsv(in);
        // Assert
        ASSERT_FALSE(rows.ok()) << text;
        EXPECT_EQ(rows.error().code, LogErrorCode::kFormat);
    }
}

// A row whose JSON column was broken in the database is reported by the JSON exporter.
TEST(JsonExport, ReportsCorruptRow) {
    // Arrange
    LogRow row = toRow(makeRecord());
    row.sequence = 1;
    row.consent = "{not json";
    std::stringstream out;
    // Act
    auto s = writeJson(out, {row}, ChainMode::kSha256);
    // Assert
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, LogErrorCode::kCorruptRow);
}

}  // namespace
}  // namespace uketsuke::terminal::testing
