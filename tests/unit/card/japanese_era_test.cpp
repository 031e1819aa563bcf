// Japanese era conversion (common/uketsuke/japanese_era.h) at the era boundaries of reference §5.1.
#include "uketsuke/japanese_era.h"

#include <gtest/gtest.h>

namespace uketsuke::card {
namespace {

using namespace std::chrono;

EraDate era(int y, unsigned m, unsigned d) {
    auto e = toEraDate(year_month_day{year{y}, month{m}, day{d}});
    EXPECT_TRUE(e.has_value());
    return e.value_or(EraDate{Era::kMeiji, 0, 0, 0});
}

// 1989-01-07 is 昭和64, 1989-01-08 is 平成1.
TEST(JapaneseEra, ShowaHeiseiBoundary) {
    EXPECT_EQ(era(1989, 1, 7).era, Era::kShowa);
    EXPECT_EQ(era(1989, 1, 7).year, 64);
    EXPECT_EQ(era(1989, 1, 8).era, Era::kHeisei);
    EXPECT_EQ(era(1989, 1, 8).year, 1);
}

// 2019-04-30 is 平成31, 2019-05-01 is 令和1.
TEST(JapaneseEra, HeiseiReiwaBoundary) {
    EXPECT_EQ(era(2019, 4, 30).era, Era::kHeisei);
    EXPECT_EQ(era(2019, 4, 30).year, 31);
    EXPECT_EQ(era(2019, 5, 1).era, Era::kReiwa);
    EXPECT_EQ(era(2019, 5, 1).year, 1);
}

// 大正 and 昭和 start mid-year too; 昭和元年 lasted one week.
TEST(JapaneseEra, TaishoShowaBoundaries) {
    EXPECT_EQ(era(1912, 7, 29).era, Era::kMeiji);
    EXPECT_EQ(era(1912, 7, 29).year, 45);
    EXPECT_EQ(era(1912, 7, 30).era, Era::kTaisho);
    EXPECT_EQ(era(1926, 12, 24).era, Era::kTaisho);
    EXPECT_EQ(era(1926, 12, 24).year, 15);
    EXPECT_EQ(era(1926, 12, 25).era, Era::kShowa);
    EXPECT_EQ(era(1927, 1, 1).year, 2);
}

// Dates before 明治 and impossible dates have no era.
TEST(JapaneseEra, BeforeMeijiAndInvalidDates) {
    EXPECT_FALSE(toEraDate(year_month_day{year{1868}, month{1}, day{24}}).has_value());
    EXPECT_TRUE(toEraDate(year_month_day{year{1868}, month{1}, day{25}}).has_value());
    EXPECT_FALSE(toEraDate(year_month_day{year{2021}, month{2}, day{29}}).has_value());
}

}  // namespace
}  // namespace uketsuke::card
