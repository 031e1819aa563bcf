// 照合番号B construction and field validation (reference §5.1).
#include "card/verification_number_b.h"

#include <gtest/gtest.h>

namespace uketsuke::card {
namespace {

using namespace std::chrono;

std::string text(const SecretBytes& s) {
    return std::string(s.view().begin(), s.view().end());
}

// The test-card vector of the reference: 1980-02-17, 2035, 2285.
TEST(VerificationNumberB, ReferenceVector) {
    auto b = buildVerificationNumberB(year_month_day{year{1980}, month{2}, day{17}}, 2035, "2285");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(text(*b), "55021720352285");
    EXPECT_EQ(b->size(), 14u);
}

// 令和2-02-24 → 020224.
TEST(VerificationNumberB, ReiwaTwoDigits) {
    auto d = eraBirthDigits(year_month_day{year{2020}, month{2}, day{24}});
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, "020224");
}

// Era boundaries reach the digits: 昭和64-01-07 vs 平成01-01-08, 平成31-04-30 vs 令和01-05-01.
TEST(VerificationNumberB, BoundaryDigits) {
    EXPECT_EQ(*eraBirthDigits(year_month_day{year{1989}, month{1}, day{7}}), "640107");
    EXPECT_EQ(*eraBirthDigits(year_month_day{year{1989}, month{1}, day{8}}), "010108");
    EXPECT_EQ(*eraBirthDigits(year_month_day{year{2019}, month{4}, day{30}}), "310430");
    EXPECT_EQ(*eraBirthDigits(year_month_day{year{2019}, month{5}, day{1}}), "010501");
}

// The foreign-resident assumption uses the Gregorian year's last two digits.
TEST(VerificationNumberB, GregorianAssumptionForForeignResidents) {
    VerificationNumberBOptions o;
    o.gregorianBirthYear = true;
    auto b =
        buildVerificationNumberB(year_month_day{year{1980}, month{2}, day{17}}, 2035, "2285", o);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(text(*b), "80021720352285");
}

// Bad fields are invalid-input: code not 4 digits, expiry out of range or before birth,
// impossible dates, dates before 明治.
TEST(VerificationNumberB, RejectsBadFields) {
    const year_month_day birth{year{1980}, month{2}, day{17}};
    for (const char* code : {"228", "22855", "22a5", "", "２２８５"}) {
        auto b = buildVerificationNumberB(birth, 2035, code);
        ASSERT_FALSE(b.ok()) << code;
        EXPECT_EQ(b.error().code, CardErrorCode::kInvalidInput);
    }
    EXPECT_FALSE(buildVerificationNumberB(birth, 1999, "2285").ok());
    EXPECT_FALSE(buildVerificationNumberB(birth, 2101, "2285").ok());
    EXPECT_FALSE(
        buildVerificationNumberB(year_month_day{year{2040}, month{1}, day{1}}, 2035, "2285").ok());
    EXPECT_FALSE(
        buildVerificationNumberB(year_month_day{year{1981}, month{2}, day{29}}, 2035, "2285").ok());
    EXPECT_FALSE(
        buildVerificationNumberB(year_month_day{year{1850}, month{1}, day{1}}, 2035, "2285").ok());
}

// ISO dates parse strictly.
TEST(VerificationNumberB, ParseIsoDate) {
    auto d = parseIsoDate("1980-02-17");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, (year_month_day{year{1980}, month{2}, day{17}}));
    for (const char* bad :
         {"1980-2-17", "1980/02/17", "1980-02-30", "19800217", "abcd-ef-gh", ""}) {
        EXPECT_FALSE(parseIsoDate(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace uketsuke::card
