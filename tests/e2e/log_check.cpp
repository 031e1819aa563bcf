#include "tests/e2e/log_check.h"

#include <cstdlib>

#include "terminal/log/confirmation_log.h"

namespace uketsuke::e2e {
namespace {

std::unique_ptr<terminal::ConfirmationLog> open(nlohmann::json logSection) {
    logSection["terminal_id"] = "e2e-check";
    auto config = terminal::LogConfig::fromJson(logSection);
    if (!config)
        return nullptr;
    auto log = terminal::openConfirmationLog(config.value());
    if (!log)
        return nullptr;
    return std::move(log).takeValue();
}

}  // namespace

std::string fixturePgConnection(const std::filesystem::path& buildDir, const std::string& schema) {
    std::string c = "host=" + (buildDir / "run" / "pgsock").string() +
                    " port=55432 dbname=uketsuke_test user=postgres connect_timeout=5";
    if (!schema.empty())
        c += " options='-c search_path=" + schema + "'";
    return c;
}

int fixturePsql(const std::filesystem::path& buildDir, const std::string& sql) {
    const std::string command =
        "psql -q -v ON_ERROR_STOP=1 \"" + fixturePgConnection(buildDir) + "\" -c \"" + sql + "\"";
    return std::system(command.c_str());
}

std::optional<LoggedSession> findLoggedSession(const nlohmann::json& logSection,
                                               const std::string& sessionId) {
    auto log = open(logSection);
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

std::optional<std::vector<std::pair<std::string, std::string>>> loggedSessionTerminals(
    const nlohmann::json& logSection) {
    auto log = open(logSection);
    if (!log)
        return std::nullopt;
    std::vector<std::pair<std::string, std::string>> out;
    terminal::LogQuery query;
    query.limit = 1000;
    for (;;) {
        auto rows = log->query(query);
        if (!rows)
            return std::nullopt;
        if (rows->empty())
            break;
        for (const auto& r : *rows)
            out.emplace_back(r.sessionId, r.terminalId);
        query.afterSequence = rows->back().sequence;
    }
    return out;
}

std::string verifyLog(const nlohmann::json& logSection) {
    auto log = open(logSection);
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
