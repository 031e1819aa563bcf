// Era table and conversions (japanese_era.h).
#include "vision/card_front/japanese_era.h"

#include <array>
#include <cassert>

namespace uketsuke::vision::card_front {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::array<EraInfo, 5> kEras{{
    {Era::kMeiji, "明治", year_month_day{year{1868}, month{1}, day{25}}, 45},
    {Era::kTaisho, "大正", year_month_day{year{1912}, month{7}, day{30}}, 15},
    {Era::kShowa, "昭和", year_month_day{year{1926}, month{12}, day{25}}, 64},
    {Era::kHeisei, "平成", year_month_day{year{1989}, month{1}, day{8}}, 31},
    {Era::kReiwa, "令和", year_month_day{year{2019}, month{5}, day{1}}, 0},
}};

}  // namespace

std::span<const EraInfo> eraTable() {
    return kEras;
}

const EraInfo& eraInfo(Era era) {
    const auto& info = kEras[static_cast<std::size_t>(era)];
    assert(info.era == era);
    return info;
}

std::optional<Era> eraFromKanji(std::string_view kanji) {
    for (const auto& e : kEras)
        if (e.kanji == kanji)
            return e.era;
    return std::nullopt;
}

std::optional<EraDate> toEraDate(year_month_day date) {
    for (auto it = kEras.rbegin(); it != kEras.rend(); ++it)
        if (date >= it->firstDay)
            return EraDate{it->era, int(date.year()) - int(it->firstDay.year()) + 1};
    return std::nullopt;
}

std::optional<year_month_day> fromEraDate(Era era, int eraYear, unsigned m, unsigned d) {
    const EraInfo& info = eraInfo(era);
    if (eraYear < 1 || (info.lastYear > 0 && eraYear > info.lastYear))
        return std::nullopt;
    const year_month_day date{year{int(info.firstDay.year()) + eraYear - 1}, month{m}, day{d}};
    if (!date.ok() || date < info.firstDay)
        return std::nullopt;
    // The next era's first day ends this one.
    const auto next = static_cast<std::size_t>(era) + 1;
    if (next < kEras.size() && date >= kEras[next].firstDay)
        return std::nullopt;
    return date;
}

}  // namespace uketsuke::vision::card_front
