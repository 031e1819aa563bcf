// ConfirmationRecord helpers: enum names, timestamps, session ids and the validation step
// (privacy check included). See confirmation_record.h.
#include "terminal/log/confirmation_record.h"

#include <openssl/rand.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace uketsuke::terminal {
namespace {

// Identifier-like fields end up in CSV files opened by spreadsheet programs; a restricted charset
// with an alphanumeric first character keeps "=cmd|..." style formula injection out of them.
constexpr std::size_t kMaxIdentifierBytes = 64;
constexpr std::size_t kMaxFailureReasonBytes = 500;
constexpr std::size_t kMaxConsentBytes = std::size_t{16} * 1024;

bool isAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isIdentifier(std::string_view s) {
    if (s.empty() || s.size() > kMaxIdentifierBytes || !isAlnum(s.front()))
        return false;
    for (char c : s) {
        if (!isAlnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
            return false;
    }
    return true;
}

bool isSessionId(std::string_view s) {
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-'))
            return false;
        if (!dash && !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

// Length in bytes of the digit starting at s[i] (ASCII 1, full-width ０-９ 3), or 0.
std::size_t digitAt(std::string_view s, std::size_t i) {
    if (s[i] >= '0' && s[i] <= '9')
        return 1;
    // U+FF10..U+FF19 are EF BC 90..99 in UTF-8.
    if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF &&
        static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(s[i + 2]) <= 0x99) {
        return 3;
    }
    return 0;
}

// Length in bytes of a separator allowed inside a number (space, hyphen, ideographic space
// U+3000 = E3 80 80, full-width hyphen-minus U+FF0D = EF BC 8D), or 0.
std::size_t separatorAt(std::string_view s, std::size_t i) {
    if (s[i] == ' ' || s[i] == '-')
        return 1;
    if (i + 2 < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        const auto b2 = static_cast<unsigned char>(s[i + 2]);
        if ((b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) || (b0 == 0xEF && b1 == 0xBC && b2 == 0x8D))
            return 3;
    }
    return 0;
}

// nlohmann::json refuses to serialise invalid UTF-8; checking here keeps a bad byte from failing
// an export long after the row was written.
bool isUtf8(const nlohmann::json& j) {
    try {
        (void)j.dump();
        return true;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

LogStatus checkIdentifier(std::string_view field, std::string_view value, bool optional) {
    if (optional && value.empty())
        return Unit{};
    if (!isIdentifier(value)) {
        return logFail(LogErrorCode::kInvalidRecord,
                       std::string(field) + ": must be 1-64 characters of [A-Za-z0-9._:-]" +
                           " starting with a letter or digit");
    }
    if (looksLikeMyNumber(value)) {
        return logFail(LogErrorCode::kPrivacyViolation,
                       std::string(field) + ": contains a 12-digit number");
    }
    return Unit{};
}

LogStatus checkConsentStrings(const nlohmann::json& j, const std::string& where) {
    if (j.is_string() && looksLikeMyNumber(j.get_ref<const std::string&>())) {
        return logFail(LogErrorCode::kPrivacyViolation, where + ": contains a 12-digit number");
    }
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            if (looksLikeMyNumber(key)) {
                return logFail(LogErrorCode::kPrivacyViolation,
                               where + ": a key contains a 12-digit number");
            }
            std::string path = where;
            path += '.';
            path += key;
            if (auto s = checkConsentStrings(value, path); !s)
                return s;
        }
    }
    if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) {
            if (auto s = checkConsentStrings(j[i], where + "[" + std::to_string(i) + "]"); !s)
                return s;
        }
    }
    return Unit{};
}

}  // namespace

std::string_view toString(IdentityMethod method) {
    return identityMethodName(method);
}

std::string_view toString(SessionOutcome outcome) {
    return sessionOutcomeName(outcome);
}

std::optional<SessionOutcome> sessionOutcomeFromString(std::string_view text) {
    return sessionOutcomeFromName(text);
}

Timestamp nowUtc() {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string formatTimestamp(Timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    return buf;
}

std::optional<Timestamp> parseTimestamp(std::string_view s) {
    using namespace std::chrono;
    // 2025-03-01T09:15:02.345Z
    if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != '.' || s[23] != 'Z') {
        return std::nullopt;
    }
    auto number = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2),
              mi = number(14, 2), se = number(17, 2), ms = number(20, 3);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 ||
        ms < 0) {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return Timestamp{sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} + milliseconds{ms}};
}

LogResult<std::string> newSessionId() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
        return logFail(LogErrorCode::kUnavailable, "the random generator failed (no session id)");
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out.push_back('-');
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0x0F]);
    }
    return out;
}

bool looksLikeMyNumber(std::string_view s) {
    constexpr int kMyNumberDigits = 12;
    int run = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        if (const auto n = digitAt(s, i)) {
            if (++run >= kMyNumberDigits)
                return true;
            i += n;
            continue;
        }
        // A single separator between two digits keeps the run going; anything else ends it.
        if (const auto n = separatorAt(s, i);
            n && run > 0 && i + n < s.size() && digitAt(s, i + n)) {
            i += n;
            continue;
        }
        run = 0;
        ++i;
    }
    return false;
}

LogStatus validateRecord(const ConfirmationRecord& r) {
    using E = LogErrorCode;
    if (!isSessionId(r.sessionId))
        return logFail(E::kInvalidRecord, "session_id: must be a lower-case UUID");
    if (auto s = checkIdentifier("terminal_id", r.terminalId, false); !s)
        return s;
    if (auto s = checkIdentifier("card_class", r.cardClass, true); !s)
        return s;
    if (auto s = checkIdentifier("result_code", r.resultCode, true); !s)
        return s;
    if (r.staffId) {
        if (auto s = checkIdentifier("staff_id", *r.staffId, false); !s)
            return s;
    }
    if (r.endedAt < r.startedAt)
        return logFail(E::kInvalidRecord, "ended_at: before started_at");
    if (r.attempts.face < 0 || r.attempts.pin < 0 || r.attempts.staff < 0)
        return logFail(E::kInvalidRecord, "attempts: negative count");
    if (r.matchDistance) {
        if (!std::isfinite(*r.matchDistance) || *r.matchDistance < 0)
            return logFail(E::kInvalidRecord, "match_distance: must be finite and not negative");
        if (r.attempts.face == 0)
            return logFail(E::kInvalidRecord, "match_distance: set without a face attempt");
    }
    if (r.identityMethod == IdentityMethod::kStaff && !r.staffId)
        return logFail(E::kInvalidRecord, "staff_id: required when the method is staff (目視)");
    if (r.outcome == SessionOutcome::kConfirmed && r.identityMethod == IdentityMethod::kNone)
        return logFail(E::kInvalidRecord, "identity_method: a confirmed session needs a method");
    if (r.failureReason.size() > kMaxFailureReasonBytes)
        return logFail(E::kInvalidRecord, "failure_reason: longer than 500 bytes");
    if (!isUtf8(r.failureReason))
        return logFail(E::kInvalidRecord, "failure_reason: not valid UTF-8");
    if (looksLikeMyNumber(r.failureReason))
        return logFail(E::kPrivacyViolation, "failure_reason: contains a 12-digit number");
    for (const auto& [phase, ms] : r.phaseMs) {
        if (auto s = checkIdentifier("phase_ms key", phase, false); !s)
            return s;
        if (ms < 0)
            return logFail(E::kInvalidRecord, "phase_ms: negative duration");
    }
    if (!r.consent.is_null()) {
        if (!r.consent.is_object() || !r.consent.contains("version") ||
            !r.consent["version"].is_string() || !r.consent.contains("items") ||
            !r.consent["items"].is_array()) {
            return logFail(E::kInvalidRecord,
                           "consent: must be null or an object with \"version\" and \"items\"");
        }
        if (!isUtf8(r.consent))
            return logFail(E::kInvalidRecord, "consent: not valid UTF-8");
        if (r.consent.dump().size() > kMaxConsentBytes)
            return logFail(E::kInvalidRecord, "consent: larger than 16 KiB");
        if (auto s = checkConsentStrings(r.consent, "consent"); !s)
            return s;
    }
    return Unit{};
}

}  // namespace uketsuke::terminal
