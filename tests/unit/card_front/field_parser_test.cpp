// Parsers and cross-checks of the card-front fields (vision/card_front/field_parser.h).
#include "vision/card_front/field_parser.h"

#include <gtest/gtest.h>

namespace cf = uketsuke::vision::card_front;
using namespace std::chrono;

namespace {

year_month_day ymd(int y, unsigned m, unsigned d) {
    return year_month_day{year{y}, month{m}, day{d}};
}

// Purpose: the 和暦 line as printed, with OCR's spaces and a trailing newline, parses.
TEST(FieldParser, BirthDateInEra) {
    // Act
    const auto p = cf::parseBirthDate("昭和55年 2月17日生\n");
    // Assert
    ASSERT_TRUE(p.value) << p.problem;
    EXPECT_EQ(p.value->date, ymd(1980, 2, 17));
    EXPECT_EQ(p.value->printedEra, uketsuke::Era::kShowa);
}

// Purpose: 元年, full-width digits and a Gregorian (foreign resident) birth line parse.
TEST(FieldParser, BirthDateVariants) {
    EXPECT_EQ(cf::parseBirthDate("令和元年5月1日生").value->date, ymd(2019, 5, 1));
    EXPECT_EQ(cf::parseBirthDate("平成１年１月８日").value->date, ymd(1989, 1, 8));
    const auto g = cf::parseBirthDate("1980年 2月17日生");
    ASSERT_TRUE(g.value);
    EXPECT_FALSE(g.value->printedEra.has_value());
    EXPECT_EQ(g.value->date, ymd(1980, 2, 17));
}

// Purpose: text that is not exactly a birth line is refused, never repaired.
TEST(FieldParser, BirthDateRefusals) {
    EXPECT_EQ(cf::parseBirthDate("").problem, "empty");
    EXPECT_EQ(cf::parseBirthDate("55年2月17日生").problem, "no_era_name");
    EXPECT_EQ(cf::parseBirthDate("和55年2月17日生").problem, "no_year");
    EXPECT_EQ(cf::parseBirthDate("昭和55年2月17日生1").problem, "trailing_text");
    EXPECT_EQ(cf::parseBirthDate("昭和65年1月1日生").problem, "not_a_date_in_era");
    EXPECT_EQ(cf::parseBirthDate("平成1年1月7日生").problem, "not_a_date_in_era");
    EXPECT_EQ(cf::parseBirthDate("昭和55年2月30日生").problem, "not_a_date_in_era");
    EXPECT_EQ(cf::parseBirthDate("昭和55年217日生").problem, "no_month_day");
    EXPECT_EQ(cf::parseBirthDate("1981年2月29日生").problem, "not_a_date");
}

// Purpose: the expiry line parses with or without its suffix; malformed ones are refused.
TEST(FieldParser, Expiry) {
    EXPECT_EQ(cf::parseExpiryDate("2035年 2月17日まで有効").value, ymd(2035, 2, 17));
    EXPECT_EQ(cf::parseExpiryDate("2035年2月17日").value, ymd(2035, 2, 17));
    EXPECT_EQ(cf::parseExpiryDate("235年2月17日まで有効").problem, "no_year");
    EXPECT_EQ(cf::parseExpiryDate("2035年2月17日まで有和").problem, "trailing_text");
    EXPECT_EQ(cf::parseExpiryDate("2035年13月1日").problem, "not_a_date");
}

// Purpose: the security code is exactly four digits.
TEST(FieldParser, SecurityCode) {
    EXPECT_EQ(cf::parseSecurityCode("2285\n").value, "2285");
    EXPECT_EQ(cf::parseSecurityCode("２２８５").value, "2285");
    EXPECT_EQ(cf::parseSecurityCode("228").problem, "not_four_digits");
    EXPECT_EQ(cf::parseSecurityCode("22855").problem, "not_four_digits");
    EXPECT_EQ(cf::parseSecurityCode("22a5").problem, "not_four_digits");
}

// Purpose: consistent fields pass; each inconsistency has its reason.
TEST(FieldParser, CrossChecks) {
    const cf::FieldRules rules;
    const auto today = ymd(2026, 11, 26);
    const cf::BirthDate birth{ymd(1980, 2, 17), uketsuke::Era::kShowa};
    EXPECT_EQ(cf::checkFields(birth, ymd(2035, 2, 17), today, rules), "");
    EXPECT_EQ(cf::checkFields(birth, ymd(2035, 2, 18), today, rules), "expiry_not_on_birthday");
    EXPECT_EQ(cf::checkFields(birth, ymd(2045, 2, 17), today, rules), "expiry_too_late");
    EXPECT_EQ(cf::checkFields(birth, ymd(2012, 2, 17), today, rules), "expiry_too_early");
    EXPECT_EQ(cf::checkFields({ymd(2027, 1, 1), {}}, ymd(2035, 1, 1), today, rules),
              "birth_in_future");
    EXPECT_EQ(cf::checkFields({ymd(1880, 1, 1), {}}, ymd(2030, 1, 1), today, rules),
              "birth_too_old");
    // A 29 February birthday expires on 28 February or 1 March of a common year.
    const cf::BirthDate leap{ymd(1988, 2, 29), uketsuke::Era::kShowa};
    EXPECT_EQ(cf::checkFields(leap, ymd(2031, 2, 28), today, rules), "");
    EXPECT_EQ(cf::checkFields(leap, ymd(2031, 3, 1), today, rules), "");
    cf::FieldRules foreign = rules;
    foreign.expiryOnBirthday = false;
    EXPECT_EQ(cf::checkFields(birth, ymd(2031, 8, 1), today, foreign), "");
}

}  // namespace
