// Japanese eras (和暦) for dates printed on the card front and for 照合番号B, whose first six
// digits are the birth date as era year YYMMDD (card-protocol.md §5.1).
//
// An era begins on its first day (1989-01-08 is 平成1年, 1989-01-07 is 昭和64年). Dates before
// 明治 (Gregorian 1868-01-25 as reckoned here) have no era.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace uketsuke::vision::card_front {

enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

struct EraInfo {
    Era era;
    std::string_view kanji;  // UTF-8, as printed: 「昭和」
    std::chrono::year_month_day firstDay;
    int lastYear;  // last era year (0: the current era, open-ended)
};

std::span<const EraInfo> eraTable();
const EraInfo& eraInfo(Era era);
// The era whose name is `kanji` (exact UTF-8 match).
std::optional<Era> eraFromKanji(std::string_view kanji);

struct EraDate {
    Era era;
    int year;  // 1-based era year (元年 = 1)
};

// requires: date.ok(). ensures: nullopt before 明治.
std::optional<EraDate> toEraDate(std::chrono::year_month_day date);

// The Gregorian date of era year/month/day. ensures: nullopt when the day does not exist, or
// falls outside the era (昭和65年, 平成1年1月7日, 令和1年4月30日).
std::optional<std::chrono::year_month_day> fromEraDate(Era era, int eraYear, unsigned month,
                                                       unsigned day);

}  // namespace uketsuke::vision::card_front
