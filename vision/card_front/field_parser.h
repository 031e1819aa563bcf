// Parsing and checking the three printed fields 照合番号B is built from (card-protocol.md §5.1):
// the birth date (和暦 「昭和55年 2月17日生」, or Gregorian 「1980年 2月17日生」 on a foreign
// resident's card), the card's expiry (Gregorian 「2035年 2月17日まで有効」) and the 4-digit
// セキュリティコード. Pure functions over OCR text, so they are tested without Tesseract.
//
// The parsers are strict on purpose: text that does not match the printed pattern exactly (after
// removing spaces and folding full-width digits) is refused rather than repaired, because a
// repaired reading is a guess and a guess must never reach the card (each wrong 照合番号B spends
// one of its tries).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/japanese_era.h"

namespace uketsuke::vision::card_front {

template <typename T>
struct Parsed {
    std::optional<T> value;
    std::string_view problem;  // empty when value is set; else a stable reason ("no_era_year")
};

struct BirthDate {
    std::chrono::year_month_day date{};
    std::optional<Era> printedEra;  // nullopt: printed as a Gregorian year
};

// 「<era><year>年<m>月<d>日[生]」 or 「<yyyy>年<m>月<d>日[生]」; 「元年」 is year 1.
Parsed<BirthDate> parseBirthDate(std::string_view ocrText);
// 「<yyyy>年<m>月<d>日[まで有効]」
Parsed<std::chrono::year_month_day> parseExpiryDate(std::string_view ocrText);
// Exactly four ASCII (or full-width) digits.
Parsed<std::string> parseSecurityCode(std::string_view ocrText);

// Spaces (ASCII, U+3000) removed, full-width digits folded to ASCII.
std::string normaliseOcrText(std::string_view text);

struct FieldRules {
    int maxAgeYears = 130;
    // The card was first issued in 2016; the longest validity is 10 years (+ the 10th birthday).
    int earliestExpiryYear = 2016;
    int maxYearsAheadOfToday = 11;
    // Assumption: the card expires on the holder's birthday (発行日から10回目（未成年は5回目）の
    // 誕生日), so the printed expiry's month/day equals the birth date's. Holds for every card
    // issued to a Japanese national; a foreign resident's card may end with the residence
    // period, so a mismatch only lowers confidence to "ask staff", never rejects the card.
    bool expiryOnBirthday = true;
};

// Cross-checks between fields, against `today`. Empty when consistent, else a stable reason.
std::string_view checkFields(const BirthDate& birth, std::chrono::year_month_day expiry,
                             std::chrono::year_month_day today, const FieldRules& rules);

}  // namespace uketsuke::vision::card_front
