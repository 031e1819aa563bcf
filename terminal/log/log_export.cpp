// CSV and JSON export and import of confirmation-log rows (see log_export.h).
#include "terminal/log/log_export.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
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

std::string jstTime(std::string_view utcTimestamp) {
    const auto t = parseTimestamp(utcTimestamp);
    if (!t)
        return {};
    const auto jst = std::chrono::floor<std::chrono::seconds>(*t) + std::chrono::hours(9);
    const auto day = std::chrono::floor<std::chrono::days>(jst);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{jst - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return text;
}

LogStatus writeSpreadsheetCsv(std::ostream& out, const std::vector<LogRow>& rows) {
    struct Flat {
        nlohmann::json attempts, consent, phases;
    };
    std::vector<Flat> flat;
    std::vector<std::string> consentIds, phaseNames;
    auto remember = [](std::vector<std::string>& names, const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    };
    for (const auto& r : rows) {
        Flat f{nlohmann::json::parse(r.attempts.empty() ? "{}" : r.attempts, nullptr, false),
               nlohmann::json::parse(r.consent.empty() ? "{}" : r.consent, nullptr, false),
               nlohmann::json::parse(r.phaseMs.empty() ? "{}" : r.phaseMs, nullptr, false)};
        if (!f.attempts.is_object() || f.consent.is_discarded() || !f.phases.is_object())
            return logFail(LogErrorCode::kCorruptRow,
                           "row " + std::to_string(r.sequence) + ": a JSON column does not parse");
        if (f.consent.is_object() && f.consent.contains("items") &&
            f.consent.at("items").is_array()) {
            for (const auto& item : f.consent.at("items"))
                remember(consentIds, item.value("id", ""));
        }
        for (const auto& [phase, _] : f.phases.items())
            remember(phaseNames, phase);
        flat.push_back(std::move(f));
    }
    out << "\xEF\xBB\xBF";  // UTF-8 BOM: spreadsheets on Japanese Windows read UTF-8 then
    std::vector<std::string> header{
        "sequence",      "session_id",   "terminal_id",    "started_jst",
        "ended_jst",     "duration_s",   "card_class",     "identity_method",
        "face_attempts", "pin_attempts", "staff_attempts", "match_distance",
        "staff_id",      "result_code",  "outcome",        "failure_reason"};
    for (const auto& id : consentIds)
        header.push_back("consent:" + id);
    for (const auto& phase : phaseNames)
        header.push_back(phase + "_ms");
    for (std::size_t i = 0; i < header.size(); ++i)
        out << (i ? "," : "") << csvField(header[i]);
    out << "\r\n";
    for (std::size_t n = 0; n < rows.size(); ++n) {
        const LogRow& r = rows[n];
        const Flat& f = flat[n];
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", durationMs(r) / 1000.0);
        std::vector<std::string> fields{std::to_string(r.sequence),
                                        r.sessionId,
                                        r.terminalId,
                                        jstTime(r.startedAt),
                                        jstTime(r.endedAt),
                                        seconds,
                                        r.cardClass,
                                        r.identityMethod,
                                        std::to_string(f.attempts.value("face", 0)),
                                        std::to_string(f.attempts.value("pin", 0)),
                                        std::to_string(f.attempts.value("staff", 0)),
                                        r.matchDistance ? formatDistance(*r.matchDistance) : "",
                                        r.staffId.value_or(""),
                                        r.resultCode,
                                        r.outcome,
                                        r.failureReason};
        for (const auto& id : consentIds) {
            std::string cell;
            if (f.consent.is_object() && f.consent.contains("items") &&
                f.consent.at("items").is_array()) {
                for (const auto& item : f.consent.at("items")) {
                    if (item.value("id", "") == id)
                        cell = item.value("agreed", false) ? "1" : "0";
                }
            }
            fields.push_back(cell);
        }
        for (const auto& phase : phaseNames)
            fields.push_back(f.phases.contains(phase) ? f.phases.at(phase).dump() : "");
        for (std::size_t i = 0; i < fields.size(); ++i)
            out << (i ? "," : "") << csvField(fields[i]);
        out << "\r\n";
    }
    return Unit{};
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
