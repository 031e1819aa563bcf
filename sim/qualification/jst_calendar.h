// Japan Standard Time calendar arithmetic for certificate validity rules and result timestamps.
// JST is UTC+9 all year (no daylight saving), so a fixed offset is exact; no tz database needed.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace uketsuke::sim::jst {

inline constexpr std::int64_t kOffsetS = std::int64_t{9} * 3600;

struct CivilTime {
    int year;
    int month;  // 1..12
    int day;    // 1..31
    int secondOfDay;
};

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
inline std::int64_t daysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy =
        (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline CivilTime toCivil(std::time_t utc) {
    const std::int64_t local = static_cast<std::int64_t>(utc) + kOffsetS;
    std::int64_t days = local / 86400;
    std::int64_t sod = local % 86400;
    if (sod < 0) {
        sod += 86400;
        --days;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
    return {y, m, d, static_cast<int>(sod)};
}

// UTC instant of a JST civil time; month may be outside 1..12 (normalised), day is clamped to the
// month's length so that "31 March minus one month" is 28/29 February.
inline std::time_t fromCivil(int year, int month, int day, int secondOfDay) {
    int y = year + (month - 1) / 12;
    int m = (month - 1) % 12 + 1;
    if (m <= 0) {
        m += 12;
        --y;
    }
    const int nextY = m == 12 ? y + 1 : y;
    const int nextM = m == 12 ? 1 : m + 1;
    const int monthDays = static_cast<int>(daysFromCivil(nextY, nextM, 1) - daysFromCivil(y, m, 1));
    const int d = day > monthDays ? monthDays : day;
    return static_cast<std::time_t>(daysFromCivil(y, m, d) * 86400 + secondOfDay - kOffsetS);
}

inline std::string twoDigits(int v) {
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

// yyyyMMddHHmmss in JST, the reference's ProcessExecutionTime format.
inline std::string formatDateTime(std::time_t utc) {
    const CivilTime c = toCivil(utc);
    return std::to_string(c.year) + twoDigits(c.month) + twoDigits(c.day) +
           twoDigits(c.secondOfDay / 3600) + twoDigits(c.secondOfDay / 60 % 60) +
           twoDigits(c.secondOfDay % 60);
}

// yyyyMMdd in JST.
inline std::string formatDate(std::time_t utc) {
    return formatDateTime(utc).substr(0, 8);
}

}  // namespace uketsuke::sim::jst
