// Strict parsers for the card-front fields (field_parser.h).
#include "vision/card_front/field_parser.h"

#include <cctype>

namespace uketsuke::vision::card_front {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::string_view kYear = "年";
constexpr std::string_view kMonth = "月";
constexpr std::string_view kDay = "日";
constexpr std::string_view kBorn = "生";
constexpr std::string_view kFirstYear = "元";
constexpr std::string_view kValidUntil = "まで有効";

bool consume(std::string_view& text, std::string_view prefix) {
    if (!text.starts_with(prefix))
        return false;
    text.remove_prefix(prefix.size());
    return true;
}

// 1..maxDigits ASCII digits; no leading zero beyond what the card prints is required.
std::optional<int> consumeNumber(std::string_view& text, std::size_t maxDigits) {
    std::size_t n = 0;
    while (n < text.size() && n < maxDigits + 1 &&
           std::isdigit(static_cast<unsigned char>(text[n])))
        ++n;
    if (n == 0 || n > maxDigits)
        return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i)
        value = value * 10 + (text[i] - '0');
    text.remove_prefix(n);
    return value;
}

struct MonthDay {
    unsigned month, day;
};

// 「<m>月<d>日」
std::optional<MonthDay> consumeMonthDay(std::string_view& text) {
    const auto m = consumeNumber(text, 2);
    if (!m || !consume(text, kMonth))
        return std::nullopt;
    const auto d = consumeNumber(text, 2);
    if (!d || !consume(text, kDay))
        return std::nullopt;
    return MonthDay{unsigned(*m), unsigned(*d)};
}

}  // namespace

std::string normaliseOcrText(std::string_view text) {
    static constexpr std::string_view kIdeographicSpace = "\u3000";
    static constexpr std::string_view kFullWidthZero = "\uFF10";  // EF BC 90 .. EF BC 99
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        if (std::isspace(static_cast<unsigned char>(text.front()))) {
            text.remove_prefix(1);
        } else if (text.starts_with(kIdeographicSpace)) {
            text.remove_prefix(kIdeographicSpace.size());
        } else if (text.size() >= 3 && text.substr(0, 2) == kFullWidthZero.substr(0, 2) &&
                   static_cast<unsigned char>(text[2]) >= 0x90 &&
                   static_cast<unsigned char>(text[2]) <= 0x99) {
            out.push_back(char('0' + (static_cast<unsigned char>(text[2]) - 0x90)));
            text.remove_prefix(3);
        } else {
            out.push_back(text.front());
            text.remove_prefix(1);
        }
    }
    return out;
}

Parsed<BirthDate> parseBirthDate(std::string_view ocrText) {
    const std::string clean = normaliseOcrText(ocrText);
    std::string_view text = clean;
    if (text.empty())
        return {std::nullopt, "empty"};

    std::optional<Era> era;
    for (const EraInfo& info : eraTable())
        if (consume(text, info.kanji)) {
            era = info.era;
            break;
        }

    std::optional<int> y;
    if (era && consume(text, kFirstYear))
        y = 1;
    else
        y = consumeNumber(text, era ? 2 : 4);
    if (!y)
        return {std::nullopt, era ? "no_era_year" : "no_year"};
    if (!era && *y < 1000)
        return {std::nullopt, "no_era_name"};  // a short year needs its era; never guess one
    if (!consume(text, kYear))
        return {std::nullopt, "no_year_mark"};
    const auto md = consumeMonthDay(text);
    if (!md)
        return {std::nullopt, "no_month_day"};
    consume(text, kBorn);
    if (!text.empty())
        return {std::nullopt, "trailing_text"};

    std::optional<year_month_day> date;
    if (era) {
        date = fromEraDate(*era, *y, md->month, md->day);
        if (!date)
            return {std::nullopt, "not_a_date_in_era"};
    } else {
        const year_month_day g{year{*y}, month{md->month}, day{md->day}};
        if (!g.ok())
            return {std::nullopt, "not_a_date"};
        date = g;
    }
    return {BirthDate{*date, era}, {}};
}

Parsed<year_month_day> parseExpiryDate(std::string_view ocrText) {
    const std::string clean = normaliseOcrText(ocrText);
    std::string_view text = clean;
    if (text.empty())
        return {std::nullopt, "empty"};
    const auto y = consumeNumber(text, 4);
    if (!y || *y < 1000)
        return {std::nullopt, "no_year"};
    if (!consume(text, kYear))
        return {std::nullopt, "no_year_mark"};
    const auto md = consumeMonthDay(text);
    if (!md)
        return {std::nullopt, "no_month_day"};
    consume(text, kValidUntil);
    if (!text.empty())
        return {std::nullopt, "trailing_text"};
    const year_month_day date{year{*y}, month{md->month}, day{md->day}};
    if (!date.ok())
        return {std::nullopt, "not_a_date"};
    return {date, {}};
}

Parsed<std::string> parseSecurityCode(std::string_view ocrText) {
    const std::string clean = normaliseOcrText(ocrText);
    if (clean.size() != 4)
        return {std::nullopt, clean.empty() ? "empty" : "not_four_digits"};
    for (char c : clean)
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return {std::nullopt, "not_four_digits"};
    return {clean, {}};
}

std::string_view checkFields(const BirthDate& birth, year_month_day expiry, year_month_day today,
                             const FieldRules& rules) {
    const int birthYear = int(birth.date.year());
    const int expiryYear = int(expiry.year());
    if (birth.date > today)
        return "birth_in_future";
    if (int(today.year()) - birthYear > rules.maxAgeYears)
        return "birth_too_old";
    if (expiry <= birth.date)
        return "expiry_before_birth";
    if (expiryYear < rules.earliestExpiryYear)
        return "expiry_too_early";
    if (expiryYear > int(today.year()) + rules.maxYearsAheadOfToday)
        return "expiry_too_late";
    if (rules.expiryOnBirthday) {
        const bool same = expiry.month() == birth.date.month() && expiry.day() == birth.date.day();
        // A 29 February birthday ends on 28 February or 1 March in common years.
        const bool leapShift = birth.date.month() == month{2} && birth.date.day() == day{29} &&
                               ((expiry.month() == month{2} && expiry.day() == day{28}) ||
                                (expiry.month() == month{3} && expiry.day() == day{1}));
        if (!same && !leapShift)
            return "expiry_not_on_birthday";
    }
    return {};
}

}  // namespace uketsuke::vision::card_front
