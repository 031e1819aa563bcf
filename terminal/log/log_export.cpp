// CSV and JSON export and import of confirmation-log rows (see log_export.h).
#include "terminal/log/log_export.h"

#include <array>
#include <cstdlib>
#include <istream>
#include <iterator>
#include <ostream>

namespace uketsuke::terminal {
namespace {

constexpr std::array<std::string_view, 18> kCsvHeader{
    "sequence",    "session_id", "terminal_id",     "started_at", "ended_at",
    "duration_ms", "card_class", "identity_method", "attempts",   "match_distance",
    "staff_id",    "consent",    "result_code",     "outcome",    "failure_reason",
    "phase_ms",    "prev_hash",  "row_hash"};

std::int64_t durationMs(const LogRow& row) {
    const auto a = parseTimestamp(row.startedAt);
    const auto b = parseTimestamp(row.endedAt);
    return (a && b) ? (*b - *a).count() : 0;
}

// Splits CSV text into records of fields (RFC 4180, accepting LF as well as CRLF).
LogResult<std::vector<std::vector<std::string>>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string fieldText;
    bool quoted = false;
    bool fieldStarted = false;
    std::size_t i = 0;
    auto endField = [&] {
        record.push_back(std::move(fieldText));
        fieldText.clear();
        fieldStarted = false;
    };
    while (i < text.size()) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    fieldText.push_back('"');
                    i += 2;
                    continue;
                }
                quoted = false;
                ++i;
                if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                    return logFail(LogErrorCode::kFormat, "CSV: text after a closing quote");
                continue;
            }
            fieldText.push_back(c);
            ++i;
            continue;
        }
        if (c == '"' && !fieldStarted && fieldText.empty()) {
            quoted = true;
            fieldStarted = true;
            ++i;
        } else if (c == ',') {
            endField();
            ++i;
        } else if (c == '\r' || c == '\n') {
            endField();
            records.push_back(std::move(record));
            record.clear();
            i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        } else {
            if (c == '"')
                return logFail(LogErrorCode::kFormat, "CSV: quote inside a bare field");
            fieldText.push_back(c);
            fieldStarted = true;
            ++i;
        }
    }
    if (quoted)
        return logFail(LogErrorCode::kFormat, "CSV: unterminated quoted field");
    if (fieldStarted || !record.empty()) {
        endField();
        records.push_back(std::move(record));
    }
    return records;
}

LogResult<std::int64_t> toInt64(const std::string& s, const std::string& where) {
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0')
        return logFail(LogErrorCode::kFormat, where + ": not a number");
    return static_cast<std::int64_t>(v);
}

LogResult<double> toDouble(const std::string& s, const std::string& where) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0')
        return logFail(LogErrorCode::kFormat, where + ": not a number");
    return v;
}

}  // namespace

std::string csvField(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

void writeCsv(std::ostream& out, const std::vector<LogRow>& rows) {
    for (std::size_t i = 0; i < kCsvHeader.size(); ++i) {
        out << (i ? "," : "") << kCsvHeader[i];
    }
    out << "\r\n";
    for (const auto& r : rows) {
        const std::array<std::string, 18> fields{
            std::to_string(r.sequence),
            r.sessionId,
            r.terminalId,
            r.startedAt,
            r.endedAt,
            std::to_string(durationMs(r)),
            r.cardClass,
            r.identityMethod,
            r.attempts,
            r.matchDistance ? formatDistance(*r.matchDistance) : std::string(),
            r.staffId.value_or(""),
            r.consent,
            r.resultCode,
            r.outcome,
            r.failureReason,
            r.phaseMs,
            r.prevHash,
            r.rowHash};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            out << (i ? "," : "") << csvField(fields[i]);
        }
        out << "\r\n";
    }
}

LogResult<std::vector<LogRow>> readCsv(std::istream& in) {
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = parseCsv(text);
    if (!parsed)
        return parsed.failure();
    const auto& records = parsed.value();
    if (records.empty() || records[0].size() != kCsvHeader.size())
        return logFail(LogErrorCode::kFormat, "CSV: missing or wrong header");
    for (std::size_t i = 0; i < kCsvHeader.size(); ++i) {
        if (records[0][i] != kCsvHeader[i])
            return logFail(LogErrorCode::kFormat, "CSV: unexpected column " + records[0][i]);
    }
    std::vector<LogRow> rows;
    for (std::size_t n = 1; n < records.size(); ++n) {
        const auto& f = records[n];
        const std::string where = "CSV line " + std::to_string(n + 1);
        if (f.size() != kCsvHeader.size())
            return logFail(LogErrorCode::kFormat, where + ": wrong number of fields");
        LogRow r;
        auto seq = toInt64(f[0], where + " sequence");
        if (!seq)
            return seq.failure();
        r.sequence = seq.value();
        r.sessionId = f[1];
        r.terminalId = f[2];
        r.startedAt = f[3];
        r.endedAt = f[4];
        r.cardClass = f[6];
        r.identityMethod = f[7];
        r.attempts = f[8];
        if (!f[9].empty()) {
            auto d = toDouble(f[9], where + " match_distance");
            if (!d)
                return d.failure();
            r.matchDistance = d.value();
        }
        if (!f[10].empty())
            r.staffId = f[10];
        r.consent = f[11];
        r.resultCode = f[12];
        r.outcome = f[13];
        r.failureReason = f[14];
        r.phaseMs = f[15];
        r.prevHash = f[16];
        r.rowHash = f[17];
        rows.push_back(std::move(r));
    }
    return rows;
}

LogStatus writeJson(std::ostream& out, const std::vector<LogRow>& rows, ChainMode mode) {
    nlohmann::json list = nlohmann::json::array();
    // Rows come from the database: one edited by hand may hold broken JSON or bytes that are not
    // UTF-8. That is reported (verify names the row), never thrown out of the exporter.
    try {
        for (const auto& r : rows) {
            list.push_back({
                {"sequence", r.sequence},
                {"session_id", r.sessionId},
                {"terminal_id", r.terminalId},
                {"started_at", r.startedAt},
                {"ended_at", r.endedAt},
                {"duration_ms", durationMs(r)},
                {"card_class", r.cardClass},
                {"identity_method", r.identityMethod},
                {"attempts", nlohmann::json::parse(r.attempts)},
                {"match_distance",
                 r.matchDistance ? nlohmann::json(*r.matchDistance) : nlohmann::json(nullptr)},
                {"staff_id", r.staffId ? nlohmann::json(*r.staffId) : nlohmann::json(nullptr)},
                {"consent", nlohmann::json::parse(r.consent)},
                {"result_code", r.resultCode},
                {"outcome", r.outcome},
                {"failure_reason", r.failureReason},
                {"phase_ms", nlohmann::json::parse(r.phaseMs)},
                {"prev_hash", r.prevHash},
                {"row_hash", r.rowHash},
            });
        }
        const nlohmann::json doc{{"format", "uketsuke-confirmation-log"},
                                 {"version", 1},
                                 {"chain_mode", std::string(toString(mode))},
                                 {"rows", std::move(list)}};
        out << doc.dump(2) << "\n";
    } catch (const nlohmann::json::exception& e) {
        return logFail(LogErrorCode::kCorruptRow, std::string("cannot export a row: ") + e.what());
    }
    return Unit{};
}

LogResult<std::vector<LogRow>> readJson(std::istream& in) {
    std::vector<LogRow> rows;
    try {
        const auto doc = nlohmann::json::parse(in);
        if (doc.value("format", "") != "uketsuke-confirmation-log" || doc.value("version", 0) != 1)
            return logFail(LogErrorCode::kFormat,
                           "JSON: not a confirmation-log export (version 1)");
        for (const auto& j : doc.at("rows")) {
            LogRow r;
            r.sequence = j.at("sequence").get<std::int64_t>();
            r.sessionId = j.at("session_id").get<std::string>();
            r.terminalId = j.at("terminal_id").get<std::string>();
            r.startedAt = j.at("started_at").get<std::string>();
            r.endedAt = j.at("ended_at").get<std::string>();
            r.cardClass = j.at("card_class").get<std::string>();
            r.identityMethod = j.at("identity_method").get<std::string>();
            r.attempts = j.at("attempts").dump();
            if (!j.at("match_distance").is_null())
                r.matchDistance = j.at("match_distance").get<double>();
            if (!j.at("staff_id").is_null())
                r.staffId = j.at("staff_id").get<std::string>();
            r.consent = j.at("consent").dump();
            r.resultCode = j.at("result_code").get<std::string>();
            r.outcome = j.at("outcome").get<std::string>();
            r.failureReason = j.at("failure_reason").get<std::string>();
            r.phaseMs = j.at("phase_ms").dump();
            r.prevHash = j.at("prev_hash").get<std::string>();
            r.rowHash = j.at("row_hash").get<std::string>();
            rows.push_back(std::move(r));
        }
    } catch (const nlohmann::json::exception& e) {
        return logFail(LogErrorCode::kFormat, std::string("JSON: ") + e.what());
    }
    return rows;
}

}  // namespace uketsuke::terminal
