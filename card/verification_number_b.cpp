// 照合番号B construction (see verification_number_b.h).
#include "card/verification_number_b.h"

#include <cstdio>
#include <optional>

#include "uketsuke/japanese_era.h"

namespace uketsuke::card {
namespace {

// The My Number Card was first issued in 2016; its expiry is at most ten years and a birthday
// later. 2015..2100 rejects typos without guessing further.
constexpr int kMinExpiryYear = 2015;
constexpr int kMaxExpiryYear = 2100;

bool allDigits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

}  // namespace

CardResult<std::string> eraBirthDigits(std::chrono::year_month_day birth,
                                       VerificationNumberBOptions options) {
    if (!birth.ok())
        return cardFail(CardErrorCode::kInvalidInput, "birth date is not a real date");
    int yy = 0;
    if (options.gregorianBirthYear) {
        yy = static_cast<int>(birth.year()) % 100;
    } else {
        const auto era = toEraDate(birth);
        if (!era)
            return cardFail(CardErrorCode::kInvalidInput, "birth date before 明治");
        if (era->year > 99)
            return cardFail(CardErrorCode::kInvalidInput, "era year > 99");
        yy = era->year;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d%02u%02u", yy, static_cast<unsigned>(birth.month()),
                  static_cast<unsigned>(birth.day()));
    return std::string(buf);
}

CardResult<SecretBytes> buildVerificationNumberB(std::chrono::year_month_day birth, int expiryYear,
                                                 std::string_view securityCode,
                                                 VerificationNumberBOptions options) {
    auto digits = eraBirthDigits(birth, options);
    if (!digits)
        return digits.failure();
    if (expiryYear < kMinExpiryYear || expiryYear > kMaxExpiryYear) {
        return cardFail(CardErrorCode::kInvalidInput, "card expiry year out of range");
    }
    if (expiryYear < static_cast<int>(birth.year())) {
        return cardFail(CardErrorCode::kInvalidInput, "card expiry before birth");
    }
    if (securityCode.size() != 4 || !allDigits(securityCode)) {
        return cardFail(CardErrorCode::kInvalidInput, "security code must be 4 digits");
    }
    std::string text = *digits + std::to_string(expiryYear) + std::string(securityCode);
    SecretBytes secret(text);
    OPENSSL_cleanse(text.data(), text.size());
    return secret;
}

std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    const std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
    if (!allDigits(y) || !allDigits(m) || !allDigits(d))
        return std::nullopt;
    const std::chrono::year_month_day date{
        std::chrono::year{std::stoi(std::string(y))},
        std::chrono::month{static_cast<unsigned>(std::stoi(std::string(m)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(std::string(d)))}};
    if (!date.ok())
        return std::nullopt;
    return date;
}

}  // namespace uketsuke::card
