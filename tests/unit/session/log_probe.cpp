#include "tests/unit/session/log_probe.h"

#include "terminal/log/confirmation_log.h"

namespace uketsuke::terminal::test {

LogProbe probeLog(const nlohmann::json& section, const std::filesystem::path& baseDir) {
    LogProbe probe;
    auto config = LogConfig::fromJson(section, baseDir);
    if (!config) {
        probe.error = config.error().toString();
        return probe;
    }
    auto log = openConfirmationLog(config.value(), OpenMode::kReadOnly);
    if (!log) {
        probe.error = log.error().toString();
        return probe;
    }
    auto rows = log.value()->query(LogQuery{});
    auto journal = log.value()->publications();
    auto verify = log.value()->verify();
    if (!rows || !journal || !verify) {
        probe.error = "cannot read the log";
        return probe;
    }
    probe.verified = verify->ok();
    for (const auto& r : rows.value())
        probe.outcomeBySession[r.sessionId] = r.outcome;
    for (const auto& p : journal.value())
        probe.journal.push_back({p.sessionId, std::string(toString(p.state)), p.fileName});
    return probe;
}

}  // namespace uketsuke::terminal::test
