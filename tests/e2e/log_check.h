// The confirmation log as the e2e tests read it, through the log's own store API (SQLite or
// PostgreSQL, from a configuration's "log" section).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace uketsuke::e2e {

struct LoggedSession {
    std::string outcome;
    std::string identityMethod;
    std::string failureReason;
    std::string resultCode;
    int pinAttempts = 0;
    int faceAttempts = 0;
    int staffAttempts = 0;
};

// The PostgreSQL server of scripts/postgres.sh (postgres_server fixture) of the build tree
// `buildDir`; with a schema, the connection's search_path is that schema.
std::string fixturePgConnection(const std::filesystem::path& buildDir,
                                const std::string& schema = "");
// Runs SQL with psql on that server; psql's exit code.
int fixturePsql(const std::filesystem::path& buildDir, const std::string& sql);

// `logSection` is the configuration's "log" section (SQLite or PostgreSQL).
std::optional<LoggedSession> findLoggedSession(const nlohmann::json& logSection,
                                               const std::string& sessionId);
// Every row of the log as (session id, terminal id), in log order; nullopt when unreadable.
std::optional<std::vector<std::pair<std::string, std::string>>> loggedSessionTerminals(
    const nlohmann::json& logSection);
// Empty when the whole hash chain verifies; otherwise why not.
std::string verifyLog(const nlohmann::json& logSection);

}  // namespace uketsuke::e2e
