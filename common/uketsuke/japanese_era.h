// Japanese eras (和暦): one table for the whole terminal. 照合番号B begins with the birth date
// as era year YYMMDD (card-protocol.md §5.1), and the card front prints the birth date in the
// era (card-front OCR). Header-only so that card/ and vision/ share it without depending on
// each other.
//
// An era begins on its first day: 1989-01-07 is 昭和64年, 1989-01-08 平成1年; 2019-04-30 is
// 平成31年, 2019-05-01 令和1年. 明治: the era name was proclaimed on 1868-10-23 (慶応4年9月8日)
// but applied retroactively from 慶応4年1月1日, i.e. 1868-01-25 Gregorian; the common conversion
// tables use that date, so we do too. Dates before it have no era here.
//
// The copies in sim/ (persona.h) are deliberately independent: they are the tests' oracle.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace uketsuke {

enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

struct EraInfo {
    Era era;
    std::string_view romaji;  // "Showa"
    std::string_view kanji;   // UTF-8, as printed: 「昭和」
    std::chrono::year_month_day firstDay;
    int lastYear;  // last era year (0: the current era, open-ended)
};

inline constexpr std::array<EraInfo, 5> kEras{{
    {Era::kMeiji, "Meiji", "明治",
     std::chrono::year_month_day{std::chrono::year{1868}, std::chrono::month{1},
                                 std::chrono::day{25}},
     45},
    {Era::kTaisho, "Taisho", "大正",
     std::chrono::year_month_day{std::chrono::year{1912}, std::chrono::month{7},
                                 std::chrono::day{30}},
     15},
    {Era::kShowa, "Showa", "昭和",
     std::chrono::year_month_day{std::chrono::year{1926}, std::chrono::month{12},
                                 std::chrono::day{25}},
     64},
    {Era::kHeisei, "Heisei", "平成",
     std::chrono::year_month_day{std::chrono::year{1989}, std::chrono::month{1},
                                 std::chrono::day{8}},
     31},
    {Era::kReiwa, "Reiwa", "令和",
     std::chrono::year_month_day{std::chrono::year{2019}, std::chrono::month{5},
                                 std::chrono::day{1}},
     0},
}};

constexpr std::span<const EraInfo> eraTable() {
    return kEras;
}

constexpr const EraInfo& eraInfo(Era era) {
    return kEras.at(static_cast<std::size_t>(era));
}

// The era whose name is `kanji` (exact UTF-8 match).
constexpr std::optional<Era> eraFromKanji(std::string_view kanji) {
    for (const auto& e : kEras)
        if (e.kanji == kanji)
            return e.era;
    return std::nullopt;
}

struct EraDate {
    Era era;
    int year;  // 1-based era year (元年 = 1)
    unsigned month;
    unsigned day;
};

// ensures: nullopt for an invalid date and for dates before 明治.
constexpr std::optional<EraDate> toEraDate(std::chrono::year_month_day date) {
    if (!date.ok())
        return std::nullopt;
    for (auto it = kEras.rbegin(); it != kEras.rend(); ++it)
        if (date >= it->firstDay)
            return EraDate{it->era, int(date.year()) - int(it->firstDay.year()) + 1,
                           unsigned(date.month()), unsigned(date.day())};
    return std::nullopt;
}

// The Gregorian date of era year/month/day. ensures: nullopt when the day does not exist, or
// falls outside the era (昭和65年, 平成1年1月7日, 令和1年4月30日).
constexpr std::optional<std::chrono::year_month_day> fromEraDate(Era era, int eraYear,
                                                                 unsigned month, unsigned day) {
    const EraInfo& info = eraInfo(era);
    if (eraYear < 1 || (info.lastYear > 0 && eraYear > info.lastYear))
        return std::nullopt;
    const std::chrono::year_month_day date{
        std::chrono::year{int(info.firstDay.year()) + eraYear - 1}, std::chrono::month{month},
        std::chrono::day{day}};
    if (!date.ok() || date < info.firstDay)
        return std::nullopt;
    // The next era's first day ends this one.
    const auto next = static_cast<std::size_t>(era) + 1;
    if (next < kEras.size() && date >= kEras[next].firstDay)
        return std::nullopt;
    return date;
}

// The table is ordered and each era's last year ends the day before the next era's first day.
static_assert(toEraDate(std::chrono::year_month_day{std::chrono::year{1989}, std::chrono::month{1},
                                                    std::chrono::day{7}})
                  ->year == 64);
static_assert(fromEraDate(Era::kReiwa, 1, 5, 1).has_value() &&
              !fromEraDate(Era::kReiwa, 1, 4, 30).has_value());

}  // namespace uketsuke
