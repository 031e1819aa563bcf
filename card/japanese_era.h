// Japanese era (和暦) years for 照合番号B (reference §5.1: birth date as era year YYMMDD, era
// boundaries mid-year: 1989-01-07 = 昭和64, 1989-01-08 = 平成1; 2019-04-30 = 平成31,
// 2019-05-01 = 令和1).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace uketsuke::card {

enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

struct EraInfo {
    Era era;
    std::string_view romaji;
    std::string_view kanji;
    std::chrono::year_month_day firstDay;  // Gregorian first day of the era
};

// Era start dates. 明治: the era name was proclaimed on 1868-10-23 (慶応4年9月8日) but applied
// retroactively from 慶応4年1月1日, i.e. 1868-01-25 Gregorian; the common conversion tables (and
// the JIS X 0301 style era conversion) use that date, so we do too. 大正 1912-07-30,
// 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
const EraInfo& eraInfo(Era era);

struct EraDate {
    Era era;
    int eraYear;  // 1 = 元年
    unsigned month;
    unsigned day;
};

// nullopt for invalid dates and dates before 明治.
std::optional<EraDate> toJapaneseEra(std::chrono::year_month_day date);

}  // namespace uketsuke::card
