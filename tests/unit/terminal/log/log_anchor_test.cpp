// The anchored chain (issue 14): `uketsuke log verify` is read-only and, with --checkpoints DIR,
// detects what the hash chain alone cannot: the newest rows deleted together with the stored head
// (truncation), rows replaced after that (rollback), an emptied log, dropped tables and a deleted
// file. The log is written through the terminal's own log sink (which writes the signed
// checkpoints), tampered with through SQLite directly, then checked with the real command.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "terminal/log/confirmation_record.h"
#include "terminal/log/log_chain.h"
#include "terminal/log/log_checkpoint.h"
#include "terminal/session/session_log_sink.h"
#include "tests/unit/terminal/log/temp_dir.h"

namespace uketsuke::terminal {
namespace {

namespace fs = std::filesystem;
const fs::path kUketsuke = fs::path(UKETSUKE_BUILD_DIR) / "terminal" / "uketsuke";

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

struct CliRun {
    int exitCode = -1;
    std::string out;
};

class LogAnchorTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(kUketsuke))
            GTEST_SKIP() << "the uketsuke command is not built";
        root_ = tmp_.path();
        fs::create_directories(root_ / "anchor");
        std::ofstream(root_ / "chain.key") << "00112233445566778899aabbccddeeff00112233\n";
        fs::permissions(root_ / "chain.key", fs::perms::owner_read | fs::perms::owner_write);
        section_ = {{"backend", "sqlite"},
                    {"path", (root_ / "log.sqlite3").string()},
                    {"terminal_id", "anchor-1"},
                    {"chain_key_file", (root_ / "chain.key").string()},
                    {"checkpoint_dir", (root_ / "anchor").string()}};
        std::ofstream(root_ / "uketsuke.json") << nlohmann::json{{"log", section_}}.dump(2);
    }

    // n sessions through the terminal's log sink (a checkpoint after each).
    void writeSessions(int n) {
        auto sink = openLogSink(section_, root_);
        ASSERT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.error());
        for (int i = 0; i < n; ++i) {
            SessionSummary s;
            s.sessionId = newSessionId().value();
            s.startedAt = s.endedAt = std::chrono::system_clock::now();
            s.identityMethod = IdentityMethod::kNone;
            s.outcome = SessionOutcome::kAborted;
            s.failureReason = SessionReason(FailureReason::kCancelled);
            ASSERT_TRUE(sink.value()->append(s).ok());
        }
    }

    CliRun verify(const std::string& extra = "") {
        const fs::path out = root_ / "verify.out";
        const std::string cmd = kUketsuke.string() + " --config " +
                                (root_ / "uketsuke.json").string() + " log verify " + extra + " >" +
                                out.string() + " 2>&1";
        const int status = std::system(cmd.c_str());
        CliRun r;
        r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        r.out = readAll(out);
        return r;
    }
    CliRun verifyAnchored() { return verify("--checkpoints " + (root_ / "anchor").string()); }

    void sql(const std::string& statements) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open((root_ / "log.sqlite3").c_str(), &db), SQLITE_OK);
        char* error = nullptr;
        const int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &error);
        const std::string message = error ? error : "";
        sqlite3_free(error);
        sqlite3_close(db);
        ASSERT_EQ(rc, SQLITE_OK) << message;
    }

    // Deletes rows after `keep` and rewinds the stored head to row `keep`: the chain is then
    // consistent in itself, exactly what an attacker hiding the newest sessions would do.
    void truncateTo(int keep) {
        sql("DELETE FROM confirmation_log WHERE sequence > " + std::to_string(keep) +
            "; UPDATE confirmation_log_meta SET value = '" + std::to_string(keep) +
            "' WHERE key = 'head_sequence'; UPDATE confirmation_log_meta SET value = (SELECT "
            "row_hash FROM confirmation_log WHERE sequence = " +
            std::to_string(keep) + ") WHERE key = 'head_hash';");
    }

    testing::TempDir tmp_;
    fs::path root_;
    nlohmann::json section_;
};

TEST_F(LogAnchorTest, IntactLogVerifiesAndStaysByteIdentical) {
    writeSessions(5);
    const std::string before = readAll(root_ / "log.sqlite3");
    const std::string walBefore = readAll(root_ / "log.sqlite3-wal");
    const auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("OK, 5 rows"), std::string::npos) << r.out;
    EXPECT_EQ(readAll(root_ / "log.sqlite3"), before);
    EXPECT_EQ(readAll(root_ / "log.sqlite3-wal"), walBefore);
    // The checkpoint is signed and names the last row.
    auto key = loadChainKey(root_ / "chain.key");
    ASSERT_TRUE(key.ok());
    auto checkpoint = readCheckpoint(root_ / "anchor", key.value());
    ASSERT_TRUE(checkpoint.ok());
    EXPECT_EQ(checkpoint->sequence, 5);
    // Log files are created 0640, the checkpoint 0600.
    EXPECT_EQ(fs::status(root_ / "log.sqlite3").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    EXPECT_EQ(fs::status(root_ / "anchor" / kCheckpointFileName).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(LogAnchorTest, TruncationIsDetected) {
    writeSessions(5);
    truncateTo(3);
    EXPECT_EQ(verify().exitCode, 0) << "the chain alone cannot see a truncation";
    const auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("behind checkpoint"), std::string::npos) << r.out;
}

TEST_F(LogAnchorTest, RollbackIsDetected) {
    writeSessions(5);
    truncateTo(3);
    // The terminal goes on: rows 4 and 5 exist again, with other content.
    section_.erase("checkpoint_dir");
    writeSessions(2);
    EXPECT_EQ(verify().exitCode, 0);
    const auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("checkpoint mismatch"), std::string::npos) << r.out;
}

TEST_F(LogAnchorTest, EmptyingIsDetected) {
    writeSessions(3);
    sql("DELETE FROM confirmation_log; DELETE FROM confirmation_log_meta WHERE key IN "
        "('head_sequence', 'head_hash', 'chain_mode');");
    auto r = verify();
    EXPECT_EQ(r.exitCode, 1) << r.out;  // an empty log is not "OK, 0 rows"
    EXPECT_EQ(verify("--allow-empty").exitCode, 0);
    r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("behind checkpoint"), std::string::npos) << r.out;
}

TEST_F(LogAnchorTest, DroppedTablesAreDetectedAndNotRecreated) {
    writeSessions(3);
    sql("DROP TABLE confirmation_log;");
    const auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("not an Uketsuke confirmation log"), std::string::npos) << r.out;
    EXPECT_EQ(verify("--allow-empty").exitCode, 1);
    // verify did not re-create the table.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((root_ / "log.sqlite3").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'confirmation_log'", -1,
                       &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST_F(LogAnchorTest, DeletedOrEmptiedFileIsDetectedAndNotRecreated) {
    writeSessions(3);
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(root_ / (std::string("log.sqlite3") + suffix));
    auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_FALSE(fs::exists(root_ / "log.sqlite3")) << "verify created the log";
    EXPECT_EQ(verify("--allow-empty").exitCode, 1);
    std::ofstream(root_ / "log.sqlite3").close();  // a 0-byte file
    r = verify("--allow-empty");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(fs::file_size(root_ / "log.sqlite3"), 0u);
}

TEST_F(LogAnchorTest, ForgedOrForeignCheckpointIsRefused) {
    writeSessions(2);
    // Another log (re-created file): its id differs from the checkpoint's.
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(root_ / (std::string("log.sqlite3") + suffix));
    section_.erase("checkpoint_dir");
    writeSessions(3);
    auto r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("replaced or re-created"), std::string::npos) << r.out;
    // A checkpoint edited without the key.
    auto text = readAll(root_ / "anchor" / kCheckpointFileName);
    const auto pos = text.find("\"sequence\": 2");
    ASSERT_NE(pos, std::string::npos) << text;
    text.replace(pos, 13, "\"sequence\": 1");
    std::ofstream(root_ / "anchor" / kCheckpointFileName) << text;
    r = verifyAnchored();
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("signature"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace uketsuke::terminal
