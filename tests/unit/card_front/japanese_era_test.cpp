// Era table (common/uketsuke/japanese_era.h) against its boundaries and against the sim's
// independent implementation (sim/persona.h japaneseEraYear).
#include "uketsuke/japanese_era.h"

#include <gtest/gtest.h>

#include "sim/persona.h"

using namespace std::chrono;

namespace {

year_month_day ymd(int y, unsigned m, unsigned d) {
    return year_month_day{year{y}, month{m}, day{d}};
}

// Purpose: each era starts on its first day, the day before belongs to the previous era.
TEST(JapaneseEra, BoundariesAreFirstDays) {
    // Arrange / Act / Assert
    EXPECT_EQ(uketsuke::toEraDate(ymd(1989, 1, 7))->era, uketsuke::Era::kShowa);
    EXPECT_EQ(uketsuke::toEraDate(ymd(1989, 1, 7))->year, 64);
    EXPECT_EQ(uketsuke::toEraDate(ymd(1989, 1, 8))->era, uketsuke::Era::kHeisei);
    EXPECT_EQ(uketsuke::toEraDate(ymd(1989, 1, 8))->year, 1);
    EXPECT_EQ(uketsuke::toEraDate(ymd(2019, 4, 30))->era, uketsuke::Era::kHeisei);
    EXPECT_EQ(uketsuke::toEraDate(ymd(2019, 5, 1))->era, uketsuke::Era::kReiwa);
    EXPECT_EQ(uketsuke::toEraDate(ymd(1926, 12, 25))->era, uketsuke::Era::kShowa);
    EXPECT_FALSE(uketsuke::toEraDate(ymd(1868, 1, 24)).has_value());
}

// Purpose: era dates outside their era (昭和65年, 平成1年1月7日, 令和1年4月30日) are refused.
TEST(JapaneseEra, OutOfEraDatesAreRefused) {
    EXPECT_FALSE(uketsuke::fromEraDate(uketsuke::Era::kShowa, 65, 1, 1));
    EXPECT_FALSE(uketsuke::fromEraDate(uketsuke::Era::kHeisei, 1, 1, 7));
    EXPECT_FALSE(uketsuke::fromEraDate(uketsuke::Era::kReiwa, 1, 4, 30));
    EXPECT_FALSE(uketsuke::fromEraDate(uketsuke::Era::kShowa, 55, 2, 30));
    EXPECT_EQ(*uketsuke::fromEraDate(uketsuke::Era::kShowa, 55, 2, 17), ymd(1980, 2, 17));
}

// Purpose: the reader's table and the sim's agree on every day from 1900 to 2030, and
// toEraDate/fromEraDate are inverse.
TEST(JapaneseEra, AgreesWithSimAndRoundTrips) {
    for (sys_days d = sys_days{ymd(1900, 1, 1)}; d < sys_days{ymd(2030, 1, 1)}; d += days{1}) {
        const year_month_day date{d};
        const auto era = uketsuke::toEraDate(date);
        ASSERT_TRUE(era.has_value());
        ASSERT_EQ(era->year,
                  uketsuke::sim::japaneseEraYear(int(date.year()), int(unsigned(date.month())),
                                                 int(unsigned(date.day()))));
        ASSERT_EQ(uketsuke::fromEraDate(era->era, era->year, unsigned(date.month()),
                                        unsigned(date.day())),
                  date);
    }
}

}  // namespace
