// Parsing of the "log" configuration section (see log_config.h).
#include "terminal/log/log_config.h"

#include <array>

#include "terminal/log/confirmation_record.h"

namespace uketsuke::terminal {
namespace {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    std::filesystem::path p(value);
    return (p.is_absolute() || base.empty()) ? p : base / p;
}

}  // namespace

LogResult<LogConfig> LogConfig::fromJson(const nlohmann::json& j,
                                         const std::filesystem::path& baseDir) {
    using E = LogErrorCode;
    if (!j.is_object())
        return logFail(E::kConfiguration, "log: must be an object");
    static constexpr std::array<std::string_view, 9> kKeys{"backend",         "path",
                                                           "connection",      "chain_key_file",
                                                           "terminal_id",     "busy_timeout_ms",
                                                           "checkpoint_dir",  "checkpoint_key_file",
                                                           "checkpoint_every"};
    for (const auto& [key, _] : j.items()) {
        bool known = false;
        for (auto k : kKeys)
            known = known || key == k;
        if (!known)
            return logFail(E::kConfiguration, "unknown key log." + key);
    }
    LogConfig c;
    try {
        const std::string backend = j.value("backend", "sqlite");
        if (backend == "sqlite") {
            c.backend = LogBackend::kSqlite;
            if (j.contains("connection"))
                return logFail(E::kConfiguration, "log.connection is for backend postgresql");
            const std::string path = j.value("path", "");
            if (path.empty())
                return logFail(E::kConfiguration, "log.path is required for sqlite");
            c.path = resolve(baseDir, path);
        } else if (backend == "postgresql") {
            c.backend = LogBackend::kPostgresql;
            if (j.contains("path"))
                return logFail(E::kConfiguration, "log.path is for sqlite");
            c.connection = j.value("connection", "");
            if (c.connection.empty())
                return logFail(E::kConfiguration, "log.connection is required for postgresql");
        } else {
            return logFail(E::kConfiguration, "log.backend must be \"sqlite\" or \"postgresql\"");
        }
        if (const std::string key = j.value("chain_key_file", ""); !key.empty()) {
            c.chainKeyFile = resolve(baseDir, key);
        }
        c.terminalId = j.value("terminal_id", "");
        if (!c.terminalId.empty()) {
            // The same rule the log applies to every row: refused here, at start-up, instead of
            // on every session's row.
            ConfirmationRecord probe;
            auto id = newSessionId();
            if (!id)
                return id.failure();
            probe.sessionId = id.value();
            probe.terminalId = c.terminalId;
            if (auto valid = validateRecord(probe); !valid)
                return logFail(E::kConfiguration, "log.terminal_id: " + valid.error().context);
        }
        c.busyTimeoutMs = j.value("busy_timeout_ms", c.busyTimeoutMs);
        if (c.busyTimeoutMs < 0 || c.busyTimeoutMs > 600000)
            return logFail(E::kConfiguration, "log.busy_timeout_ms must be 0..600000");
        if (const std::string dir = j.value("checkpoint_dir", ""); !dir.empty())
            c.checkpointDir = resolve(baseDir, dir);
        if (const std::string key = j.value("checkpoint_key_file", ""); !key.empty())
            c.checkpointKeyFile = resolve(baseDir, key);
        c.checkpointEvery = j.value("checkpoint_every", c.checkpointEvery);
        if (c.checkpointEvery < 1 || c.checkpointEvery > 100000)
            return logFail(E::kConfiguration, "log.checkpoint_every must be 1..100000");
        if (!c.checkpointDir.empty() && c.checkpointKeyFile.empty() && c.chainKeyFile.empty())
            return logFail(E::kConfiguration,
                           "log.checkpoint_dir needs log.checkpoint_key_file or log.chain_key_file "
                           "(an unsigned checkpoint can be forged)");
    } catch (const nlohmann::json::exception& e) {
        return logFail(E::kConfiguration, std::string("log: ") + e.what());
    }
    return c;
}

}  // namespace uketsuke::terminal
