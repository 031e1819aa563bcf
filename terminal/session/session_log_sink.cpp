#include "terminal/session/session_log_sink.h"

#include <algorithm>

#include "terminal/log/confirmation_log.h"
#include "terminal/log/confirmation_record.h"

namespace uketsuke::terminal {
namespace {

Timestamp toTimestamp(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

class ConfirmationLogSink final : public LogSink {
  public:
    ConfirmationLogSink(std::unique_ptr<ConfirmationLog> log, std::string terminalId)
        : log_(std::move(log)), terminalId_(std::move(terminalId)) {}

    Status<std::string> append(const SessionSummary& s) override {
        ConfirmationRecord r;
        r.sessionId = s.sessionId;
        r.terminalId = terminalId_;
        r.startedAt = toTimestamp(s.startedAt);
        r.endedAt = std::max(toTimestamp(s.endedAt), r.startedAt);
        r.cardClass = s.cardClass;
        r.identityMethod =
            identityMethodFromString(s.identityMethod).value_or(IdentityMethod::kNone);
        r.attempts = MethodAttempts{s.faceAttempts, s.pinAttempts, s.staffAttempts};
        r.matchDistance = s.matchDistance;
        r.staffId = s.staffId;
        r.consent = s.consent;
        r.resultCode = s.resultCode;
        r.outcome = sessionOutcomeFromString(s.outcome).value_or(SessionOutcome::kError);
        r.failureReason = s.failureReason;
        r.phaseMs = s.phaseMs;
        auto appended = log_->append(r);
        if (!appended)
            return fail(appended.error().toString());
        return Unit{};
    }

  private:
    std::unique_ptr<ConfirmationLog> log_;
    std::string terminalId_;
};

}  // namespace

Result<std::unique_ptr<LogSink>, std::string> openLogSink(const nlohmann::json& section,
                                                          const std::filesystem::path& baseDir) {
    auto config = LogConfig::fromJson(section, baseDir);
    if (!config)
        return fail("log configuration: " + config.error().toString());
    auto log = openConfirmationLog(config.value());
    if (!log)
        return fail("cannot open the confirmation log: " + log.error().toString());
    std::unique_ptr<LogSink> sink = std::make_unique<ConfirmationLogSink>(
        std::move(log).takeValue(), config->terminalId.empty() ? "terminal" : config->terminalId);
    return sink;
}

}  // namespace uketsuke::terminal
