// SQLite store: runs the store-conformance suite on a temp file, plus what is specific to the
// embedded store (WAL mode, several processes on one file, an unusable path).
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "terminal/log/sqlite_log.h"
#include "tests/unit/terminal/log/store_conformance.h"
#include "tests/unit/terminal/log/temp_dir.h"
#include "tests/unit/terminal/log/test_records.h"
#include "uketsuke/encoding.h"

namespace uketsuke::terminal::testing {
namespace {

ChainHasher testHasher(bool key) {
    return key ? ChainHasher(SecretBytes(*fromHex(kTestChainKeyHex))) : ChainHasher();
}

class SqliteHarness final : public StoreHarness {
  public:
    LogResult<std::unique_ptr<ConfirmationLog>> open(bool key) override {
        auto log = SqliteConfirmationLog::open(file(), testHasher(key));
        if (!log)
            return log.failure();
        return std::unique_ptr<ConfirmationLog>(std::move(log).takeValue());
    }
    void execRaw(const std::string& sql) override {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
        char* error = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        const std::string message = error ? error : "";
        sqlite3_free(error);
        sqlite3_close(db);
        ASSERT_EQ(rc, SQLITE_OK) << message;
    }
    std::filesystem::path file() const { return dir_.path() / "log.sqlite3"; }

  private:
    TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance,
                         ::testing::Values(HarnessFactory{
                             "sqlite", [] { return std::make_unique<SqliteHarness>(); }}),
                         [](const auto& info) { return info.param.name; });

// A new log gets, byte for byte, the tables the first release created (SQLite keeps the CREATE
// texts in sqlite_master): both stores generate their tables from one template, and a log
// written before must stay the same as a new one. The digest is the SHA-256 of those texts,
// ordered by name and joined by "\n", read from a log that the code before the template wrote.
TEST(SqliteStore, CreatesTheFirstReleaseTables) {
    // Arrange
    SqliteHarness harness;
    ASSERT_TRUE(harness.open(false).ok());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(harness.file().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    std::string schema;
    auto append = [](void* out, int, char** values, char**) {
        auto& text = *static_cast<std::string*>(out);
        text += (text.empty() ? "" : "\n") + std::string(values[0]);
        return 0;
    };
    // Act
    const int rc =
        sqlite3_exec(db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name",
                     append, &schema, nullptr);
    sqlite3_close(db);
    // Assert
    ASSERT_EQ(rc, SQLITE_OK);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(schema.data());
    EXPECT_EQ(lowerHex(sha256(ByteView(bytes, schema.size()))),
              "728678cbdb2d3cde8bb55a4dffaedafece9db39e9b3e0a7ad7e6f8d4c6b6487a")
        << schema;
}

// The database is in WAL mode, so verify and export can read while a terminal appends.
TEST(SqliteStore, UsesWriteAheadLogging) {
    // Arrange
    SqliteHarness harness;
    auto log = harness.open(false);
    ASSERT_TRUE(log.ok());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(harness.file().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
    // Act
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    const std::string mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    // Assert
    EXPECT_EQ(mode, "wal");
}

// Four processes append to one file at the same time: BEGIN IMMEDIATE keeps one chain.
TEST(SqliteStore, SeveralProcessesShareOneChain) {
    // Arrange
    SqliteHarness harness;
    constexpr int kProcesses = 4;
    constexpr int kPerProcess = 40;
    ASSERT_TRUE(harness.open(false).ok());  // create the tables before forking
    // Act
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            auto log = SqliteConfirmationLog::open(harness.file(), ChainHasher());
            int failures = log ? 0 : 1;
            for (int i = 0; log && i < kPerProcess; ++i) {
                if (!log.value()->append(makeRecord()))
                    ++failures;
            }
            _exit(failures == 0 ? 0 : 1);
        }
        children.push_back(pid);
    }
    int failedChildren = 0;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ++failedChildren;
    }
    auto log = harness.open(false);
    ASSERT_TRUE(log.ok());
    auto report = log.value()->verify();
    // Assert
    EXPECT_EQ(failedChildren, 0);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report.value().ok());
    EXPECT_EQ(report.value().rowsChecked, kProcesses * kPerProcess);
}

// A database path that cannot be created is a clear "unavailable" error, not a crash.
TEST(SqliteStore, UnusablePathIsUnavailable) {
    // Arrange
    TempDir dir;
    const auto file = dir.path() / "missing-folder" / "log.sqlite3";
    // Act
    auto log = SqliteConfirmationLog::open(file, ChainHasher());
    // Assert
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.error().code, LogErrorCode::kUnavailable);
}

// A file that is not an SQLite database is refused with an error.
TEST(SqliteStore, ForeignFileIsRefused) {
    // Arrange
    TempDir dir;
    const auto file = dir.path() / "log.sqlite3";
    std::ofstream(file) << "this is not a database, just some text that is long enough\n";
    // Act
    auto log = SqliteConfirmationLog::open(file, ChainHasher());
    // Assert
    ASSERT_FALSE(log.ok());
}

mode_t fileMode(const std::filesystem::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 07777) : 07777;
}

// An existing log others can read (0644, 0666) is tightened to 0640 when a terminal opens it,
// -wal included; `log verify` (read-only) changes nothing.
TEST(SqliteStore, ExistingLogReadableByOthersIsTightened) {
    for (const mode_t loose : {mode_t{0644}, mode_t{0666}, mode_t{0604}}) {
        // Arrange
        SqliteHarness harness;
        {
            auto log = harness.open(false);
            ASSERT_TRUE(log.ok());
        }
        const auto wal = std::filesystem::path(harness.file().string() + "-wal");
        ASSERT_EQ(::chmod(harness.file().c_str(), loose), 0);
        const bool haveWal = std::filesystem::exists(wal);
        if (haveWal) {
            ASSERT_EQ(::chmod(wal.c_str(), loose), 0);
        }
        // Act
        {
            auto readOnly = SqliteConfirmationLog::open(harness.file(), ChainHasher(), 5000,
                                                        OpenMode::kReadOnly);
            ASSERT_TRUE(readOnly.ok());
        }
        const mode_t afterVerify = fileMode(harness.file());
        auto log = harness.open(false);
        // Assert
        ASSERT_TRUE(log.ok()) << log.error().toString();
        EXPECT_EQ(afterVerify, loose) << "the read-only open changed the mode";
        EXPECT_EQ(fileMode(harness.file()), loose & 0640) << std::oct << loose;
        EXPECT_EQ(fileMode(harness.file()) & 07, 0u);
        if (haveWal) {
            EXPECT_EQ(fileMode(wal) & 07, 0u);
        }
    }
}

// openConfirmationLog follows the configuration: SQLite file plus a chain key file.
TEST(SqliteStore, OpensFromConfigurationWithKeyFile) {
    // Arrange
    TempDir dir;
    std::ofstream(dir.path() / "chain.key") << kTestChainKeyHex << "\n";
    std::filesystem::permissions(dir.path() / "chain.key", std::filesystem::perms::owner_read |
                                                               std::filesystem::perms::owner_write);
    auto config = LogConfig::fromJson(
        {{"backend", "sqlite"}, {"path", "log.sqlite3"}, {"chain_key_file", "chain.key"}},
        dir.path());
    ASSERT_TRUE(config.ok()) << config.error().toString();
    // Act
    auto log = openConfirmationLog(config.value());
    ASSERT_TRUE(log.ok()) << log.error().toString();
    auto appended = log.value()->append(makeRecord());
    // Assert
    ASSERT_TRUE(appended.ok());
    EXPECT_EQ(log.value()->chainMode(), ChainMode::kHmacSha256);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "log.sqlite3"));
    EXPECT_EQ(log.value()->describe(), "sqlite:" + (dir.path() / "log.sqlite3").string());
}

}  // namespace
}  // namespace uketsuke::terminal::testing
