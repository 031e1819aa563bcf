// The "log" configuration section: backends, path resolution, strict keys.
#include "terminal/log/log_config.h"

#include <gtest/gtest.h>

namespace uketsuke::terminal::testing {
namespace {

// A SQLite section resolves its relative paths against the configuration's folder.
TEST(LogConfig, ParsesSqliteSection) {
    // Arrange
    const nlohmann::json j{{"backend", "sqlite"},
                           {"path", "log/uketsuke.sqlite3"},
                           {"chain_key_file", "/etc/uketsuke/chain.key"},
                           {"terminal_id", "reception-1"}};
    // Act
    auto c = LogConfig::fromJson(j, "/etc/uketsuke");
    // Assert
    ASSERT_TRUE(c.ok()) << c.error().toString();
    EXPECT_EQ(c.value().backend, LogBackend::kSqlite);
    EXPECT_EQ(c.value().path, "/etc/uketsuke/log/uketsuke.sqlite3");
    EXPECT_EQ(c.value().chainKeyFile, "/etc/uketsuke/chain.key");
    EXPECT_EQ(c.value().terminalId, "reception-1");
    EXPECT_EQ(c.value().busyTimeoutMs, 10000);
}

// A PostgreSQL section keeps its connection string as given.
TEST(LogConfig, ParsesPostgresqlSection) {
    // Arrange
    const nlohmann::json j{{"backend", "postgresql"},
                           {"connection", "host=db.clinic.local dbname=uketsuke"},
                           {"terminal_id", "reception-2"},
                           {"busy_timeout_ms", 2500}};
    // Act
    auto c = LogConfig::fromJson(j);
    // Assert
    ASSERT_TRUE(c.ok()) << c.error().toString();
    EXPECT_EQ(c.value().backend, LogBackend::kPostgresql);
    EXPECT_EQ(c.value().connection, "host=db.clinic.local dbname=uketsuke");
    EXPECT_TRUE(c.value().chainKeyFile.empty());
    EXPECT_EQ(c.value().busyTimeoutMs, 2500);
}

// Typos, keys of the other backend, missing essentials and wrong types are errors.
TEST(LogConfig, RefusesBadSections) {
    // Arrange
    const std::vector<nlohmann::json> bad{
        {{"backend", "sqlite"}, {"pth", "x.sqlite3"}},
        {{"backend", "sqlite"}},
        {{"backend", "sqlite"}, {"path", "x"}, {"connection", "host=x"}},
        {{"backend", "postgresql"}},
        {{"backend", "postgresql"}, {"connection", "host=x"}, {"path", "x"}},
        {{"backend", "mysql"}, {"path", "x"}},
        {{"backend", "sqlite"}, {"path", 5}},
        {{"backend", "sqlite"}, {"path", "x"}, {"busy_timeout_ms", -1}},
        nlohmann::json::array(),
    };
    for (const auto& j : bad) {
        // Act
        auto c = LogConfig::fromJson(j);
        // Assert
        ASSERT_FALSE(c.ok()) << j.dump();
        EXPECT_EQ(c.error().code, LogErrorCode::kConfiguration) << j.dump();
    }
}

}  // namespace
}  // namespace uketsuke::terminal::testing
