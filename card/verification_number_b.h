// 照合番号B (verification number B), reference §5.1: 14 ASCII digits =
//   birth date YYMMDD with YY = Japanese-era year ‖ card expiry year YYYY (Gregorian, the card's
//   expiry, not the certificate's) ‖ 4-digit security code printed under the photo.
// Test-card vector: 1980-02-17, 2035, 2285 → "55021720352285".
#pragma once

#include <chrono>
#include <string_view>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

struct VerificationNumberBOptions {
    // ASSUMPTION [U] (reference §5.1, open question 5): for foreign residents whose card shows a
    // Gregorian birth date, the YY may be the Gregorian year's last two digits (by analogy with
    // the 住基カード). Off by default; set it only for such cards, after testing on one.
    bool gregorianBirthYear = false;
};

// Validates each field (real date from 明治 on, expiry year 2015..2100 and not before the birth
// year, code exactly 4 ASCII digits) and returns the 14 digits as a wiping secret.
CardResult<SecretBytes> buildVerificationNumberB(std::chrono::year_month_day birth, int expiryYear,
                                                 std::string_view securityCode,
                                                 VerificationNumberBOptions options = {});

// The 6-digit era date alone ("020224" for 令和2-02-24); invalid-input before 明治.
CardResult<std::string> eraBirthDigits(std::chrono::year_month_day birth,
                                       VerificationNumberBOptions options = {});

// Parses "YYYY-MM-DD" (Gregorian); nullopt when malformed or not a real date.
std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text);

}  // namespace uketsuke::card
