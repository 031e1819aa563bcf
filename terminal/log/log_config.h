// The "log" section of the terminal configuration:
//   {"backend": "sqlite" | "postgresql",
//    "path": "log.sqlite3",                     (sqlite: the database file)
//    "connection": "host=... dbname=...",       (postgresql: a libpq connection string; put the
//                                                password in ~/.pgpass, not here)
//    "chain_key_file": "chain.key",             (optional: hex key, turns on HMAC chaining)
//    "terminal_id": "reception-1",              (this terminal's name in the log)
//    "busy_timeout_ms": 10000,                  (optional: how long an append waits for the lock)
//    "checkpoint_dir": "/mnt/audit/uketsuke",   (optional: signed checkpoints go here, see
//                                                log_checkpoint.h; needs a key)
//    "checkpoint_key_file": "checkpoint.key",   (optional: hex HMAC key; default chain_key_file)
//    "checkpoint_every": 1}                     (optional: a checkpoint every n appends)
// Unknown keys, and keys of the other backend, are errors: a typo must not silently fall back
// to a default log.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/log/log_error.h"

namespace uketsuke::terminal {

enum class LogBackend { kSqlite, kPostgresql };

struct LogConfig {
    LogBackend backend = LogBackend::kSqlite;
    std::filesystem::path path;
    std::string connection;
    std::filesystem::path chainKeyFile;  // empty: SHA-256 chain without a key
    std::string terminalId;
    int busyTimeoutMs = 10000;
    std::filesystem::path checkpointDir;      // empty: no checkpoints
    std::filesystem::path checkpointKeyFile;  // empty: chainKeyFile
    int checkpointEvery = 1;

    // Relative paths are resolved against `baseDir` (the configuration file's folder).
    static LogResult<LogConfig> fromJson(const nlohmann::json& section,
                                         const std::filesystem::path& baseDir = {});
};

}  // namespace uketsuke::terminal
