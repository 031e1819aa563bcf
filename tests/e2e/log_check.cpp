#include "tests/e2e/log_check.h"

#include "terminal/log/confirmation_log.h"

namespace uketsuke::e2e {
namespace {

std::unique_ptr<terminal::ConfirmationLog> open(const std::filesystem::path& sqlite) {
    auto config = terminal::LogConfig::fromJson(
        {{"backend", "sqlite"}, {"path", sqlite.string()}, {"terminal_id", "e2e-check"}});
    if (!config)
        return nullptr;
    auto log = terminal::openConfirmationLog(config.value());
    if (!log)
        return nullptr;
    return std::move(log).takeValue();
}

}  // namespace

std::optional<LoggedSession> findLoggedSession(const std::filesystem::path& sqlite,
                                               const std::string& sessionId) {
    auto log = open(sqlite);
    if (!log)
        return std::nullopt;
    terminal::LogQuery query;
    query.sessionId = sessionId;
    auto rows = log->query(query);
    if (!rows || rows->size() != 1)
        return std::nullopt;
    const auto& r = rows->front();
    const auto attempts = nlohmann::json::parse(r.attempts);
    LoggedSession s;
    s.outcome = r.outcome;
    s.identityMethod = r.identityMethod;
    s.failureReason = r.failureReason;
    s.resultCode = r.resultCode;
    s.pinAttempts = attempts.value("pin", 0);
    s.faceAttempts = attempts.value("face", 0);
    s.staffAttempts = attempts.value("staff", 0);
    return s;
}

std::string verifyLog(const std::filesystem::path& sqlite) {
    auto log = open(sqlite);
    if (!log)
        return "cannot open the log";
    auto report = log->verify();
    if (!report)
        return "verify failed: " + report.error().toString();
    if (!report->ok())
        return "chain broken";
    return "";
}

}  // namespace uketsuke::e2e
