// Japanese era conversion (see japanese_era.h).
#include "card/japanese_era.h"

#include <array>

namespace uketsuke::card {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const std::array kEras{
    EraInfo{Era::kMeiji, "Meiji", "明治", year_month_day{year{1868}, month{1}, day{25}}},
    EraInfo{Era::kTaisho, "Taisho", "大正", year_month_day{year{1912}, month{7}, day{30}}},
    EraInfo{Era::kShowa, "Showa", "昭和", year_month_day{year{1926}, month{12}, day{25}}},
    EraInfo{Era::kHeisei, "Heisei", "平成", year_month_day{year{1989}, month{1}, day{8}}},
    EraInfo{Era::kReiwa, "Reiwa", "令和", year_month_day{year{2019}, month{5}, day{1}}},
};

}  // namespace

const EraInfo& eraInfo(Era era) {
    return kEras.at(static_cast<std::size_t>(era));
}

std::optional<EraDate> toJapaneseEra(year_month_day date) {
    if (!date.ok())
        return std::nullopt;
    for (auto it = kEras.rbegin(); it != kEras.rend(); ++it) {
        if (date >= it->firstDay) {
            const int eraYear =
                static_cast<int>(date.year()) - static_cast<int>(it->firstDay.year()) + 1;
            return EraDate{it->era, eraYear, static_cast<unsigned>(date.month()),
                           static_cast<unsigned>(date.day())};
        }
    }
    return std::nullopt;
}

}  // namespace uketsuke::card
