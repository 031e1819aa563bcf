// Conversions between ConfirmationRecord and its stored form (see log_row.h).
#include "terminal/log/log_row.h"

#include <cmath>
#include <cstdio>

namespace uketsuke::terminal {

double roundDistance(double d) {
    return std::round(d * 1e6) / 1e6;
}

std::string formatDistance(double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", d);
    return buf;
}

LogRow toRow(const ConfirmationRecord& r) {
    LogRow row;
    row.sessionId = r.sessionId;
    row.terminalId = r.terminalId;
    row.startedAt = formatTimestamp(r.startedAt);
    row.endedAt = formatTimestamp(r.endedAt);
    row.cardClass = r.cardClass;
    row.identityMethod = std::string(toString(r.identityMethod));
    // nlohmann::json objects keep their keys sorted, so dump() is a canonical compact form.
    row.attempts =
        nlohmann::json{
            {"face", r.attempts.face}, {"pin", r.attempts.pin}, {"staff", r.attempts.staff}}
            .dump();
    if (r.matchDistance)
        row.matchDistance = roundDistance(*r.matchDistance);
    row.staffId = r.staffId;
    row.consent = r.consent.dump();
    row.resultCode = r.resultCode;
    row.outcome = std::string(toString(r.outcome));
    row.failureReason = r.failureReason;
    nlohmann::json phases = nlohmann::json::object();
    for (const auto& [phase, ms] : r.phaseMs)
        phases[phase] = ms;
    row.phaseMs = phases.dump();
    return row;
}

LogResult<ConfirmationRecord> fromRow(const LogRow& row) {
    const std::string where = "row " + std::to_string(row.sequence) + ": ";
    ConfirmationRecord r;
    r.sessionId = row.sessionId;
    r.terminalId = row.terminalId;
    const auto started = parseTimestamp(row.startedAt);
    const auto ended = parseTimestamp(row.endedAt);
    if (!started || !ended)
        return logFail(LogErrorCode::kCorruptRow, where + "bad timestamp");
    r.startedAt = *started;
    r.endedAt = *ended;
    r.cardClass = row.cardClass;
    const auto method = identityMethodFromString(row.identityMethod);
    const auto outcome = sessionOutcomeFromString(row.outcome);
    if (!method)
        return logFail(LogErrorCode::kCorruptRow, where + "bad identity_method");
    if (!outcome)
        return logFail(LogErrorCode::kCorruptRow, where + "bad outcome");
    r.identityMethod = *method;
    r.outcome = *outcome;
    try {
        const auto attempts = nlohmann::json::parse(row.attempts);
        r.attempts.face = attempts.at("face").get<int>();
        r.attempts.pin = attempts.at("pin").get<int>();
        r.attempts.staff = attempts.at("staff").get<int>();
        r.consent = nlohmann::json::parse(row.consent);
        const auto phases = nlohmann::json::parse(row.phaseMs);
        if (!phases.is_object())
            return logFail(LogErrorCode::kCorruptRow, where + "bad phase_ms");
        for (auto it = phases.begin(); it != phases.end(); ++it) {
            r.phaseMs[it.key()] = it.value().get<std::int64_t>();
        }
    } catch (const nlohmann::json::exception&) {
        return logFail(LogErrorCode::kCorruptRow, where + "bad JSON column");
    }
    r.matchDistance = row.matchDistance;
    r.staffId = row.staffId;
    r.resultCode = row.resultCode;
    r.failureReason = row.failureReason;
    return r;
}

bool sameContent(const LogRow& a, const LogRow& b) {
    LogRow x = a;
    LogRow y = b;
    x.sequence = y.sequence = 0;
    x.prevHash.clear();
    y.prevHash.clear();
    x.rowHash.clear();
    y.rowHash.clear();
    return x == y;
}

}  // namespace uketsuke::terminal
