// ConfirmationRecord: timestamps, session ids, enum names and validation, privacy check included.
#include "terminal/log/confirmation_record.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "terminal/log/log_error.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

LogErrorCode errorOf(const ConfirmationRecord& r) {
    auto s = validateRecord(r);
    EXPECT_FALSE(s.ok()) << "expected the record to be refused";
    return s.ok() ? LogErrorCode::kDatabase : s.error().code;
}

// Timestamps print as UTC ISO-8601 with milliseconds and parse back to the same instant.
TEST(Timestamp, FormatsAndParsesMilliseconds) {
    // Arrange
    const Timestamp t =
        day0() + std::chrono::hours(9) + std::chrono::milliseconds(15 * 60000 + 2345);
    // Act
    const std::string text = formatTimestamp(t);
    const auto back = parseTimestamp(text);
    // Assert
    EXPECT_EQ(text, "2025-03-01T09:15:02.345Z");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, t);
}

// Anything but the exact stored format is rejected (no local times, no missing milliseconds).
TEST(Timestamp, RejectsOtherFormats) {
    // Arrange, Act, Assert
    EXPECT_FALSE(parseTimestamp("2025-03-01T09:15:02Z"));
    EXPECT_FALSE(parseTimestamp("2025-03-01 09:15:02.345Z"));
    EXPECT_FALSE(parseTimestamp("2025-02-30T09:15:02.345Z"));
    EXPECT_FALSE(parseTimestamp("2025-03-01T24:00:00.000Z"));
    EXPECT_FALSE(parseTimestamp("2025-03-01T09:15:02.345+09:00"));
}

// Session ids are distinct version-4 UUIDs in lower case.
TEST(SessionId, IsRandomUuidV4) {
    // Arrange
    std::set<std::string> ids;
    // Act
    for (int i = 0; i < 1000; ++i)
        ids.insert(newSessionId().value());
    // Assert
    EXPECT_EQ(ids.size(), 1000u);
    const std::string id = *ids.begin();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
}

// Enum names round-trip and unknown names are refused.
TEST(EnumNames, RoundTrip) {
    // Arrange, Act, Assert
    for (auto m : {IdentityMethod::kNone, IdentityMethod::kFace, IdentityMethod::kPin,
                   IdentityMethod::kStaff}) {
        EXPECT_EQ(identityMethodFromString(toString(m)), m);
    }
    for (auto o : {SessionOutcome::kConfirmed, SessionOutcome::kRefused, SessionOutcome::kAborted,
                   SessionOutcome::kError}) {
        EXPECT_EQ(sessionOutcomeFromString(toString(o)), o);
    }
    EXPECT_FALSE(identityMethodFromString("password"));
    EXPECT_FALSE(sessionOutcomeFromString("Confirmed"));
}

// Twelve digits are caught in the forms a My Number is printed or typed in.
TEST(LooksLikeMyNumber, CatchesTwelveDigitsInCommonForms) {
    // Arrange, Act, Assert
    EXPECT_TRUE(looksLikeMyNumber("123456789012"));
    EXPECT_TRUE(looksLikeMyNumber("id=123456789012;"));
    EXPECT_TRUE(looksLikeMyNumber("1234 5678 9012"));
    EXPECT_TRUE(looksLikeMyNumber("1234-5678-9012"));
    EXPECT_TRUE(looksLikeMyNumber("１２３４５６７８９０１２"));           // full-width digits
    EXPECT_TRUE(looksLikeMyNumber("番号 １２３４　５６７８　９０１２"));  // ideographic spaces
    EXPECT_TRUE(looksLikeMyNumber("12345678901234"));                     // longer runs too
}

// Ordinary values with fewer digits in one run pass.
TEST(LooksLikeMyNumber, LeavesOrdinaryTextAlone) {
    // Arrange, Act, Assert
    EXPECT_FALSE(looksLikeMyNumber("12345678901"));  // 11 digits
    EXPECT_FALSE(looksLikeMyNumber("2025-03-01T09:15:02.345Z"));
    EXPECT_FALSE(looksLikeMyNumber("1234 5678  9012"));  // a double space ends the run
    EXPECT_FALSE(looksLikeMyNumber("tries 3, code 6983, insurer 06123456"));
    EXPECT_FALSE(looksLikeMyNumber("顔認証に失敗しました"));
    EXPECT_FALSE(looksLikeMyNumber(""));
}

// A complete, consistent record passes validation.
TEST(ValidateRecord, AcceptsAValidRecord) {
    // Arrange
    const auto r = makeRecord(IdentityMethod::kStaff, SessionOutcome::kConfirmed);
    // Act
    auto s = validateRecord(r);
    // Assert
    EXPECT_TRUE(s.ok()) << s.error().toString();
}

// Every free-text field is checked for a My Number, and the error never repeats the value.
TEST(ValidateRecord, RefusesMyNumberInEveryTextField) {
    // Arrange
    const std::string number = "1234 5678 9012";
    std::vector<std::pair<std::string, ConfirmationRecord>> cases;
    auto add = [&](std::string field, auto mutate) {
        auto r = makeRecord(IdentityMethod::kStaff, SessionOutcome::kRefused);
        mutate(r);
        cases.emplace_back(std::move(field), std::move(r));
    };
    add("failure_reason", [&](auto& r) { r.failureReason = "patient said " + number; });
    add("staff_id", [&](auto& r) { r.staffId = "123456789012"; });
    add("terminal_id", [&](auto& r) { r.terminalId = "t-123456789012"; });
    add("result_code", [&](auto& r) { r.resultCode = "123456789012"; });
    add("card_class", [&](auto& r) { r.cardClass = "c123456789012"; });
    add("consent", [&](auto& r) { r.consent["items"][0]["note"] = number; });
    add("consent", [&](auto& r) { r.consent["version"] = "123456789012"; });
    add("phase_ms", [&](auto& r) { r.phaseMs["p123456789012"] = 1; });
    for (const auto& [field, record] : cases) {
        // Act
        auto s = validateRecord(record);
        // Assert
        ASSERT_FALSE(s.ok()) << field;
        EXPECT_EQ(s.error().code, LogErrorCode::kPrivacyViolation) << field;
        EXPECT_NE(s.error().context.find(field), std::string::npos) << s.error().context;
        EXPECT_EQ(s.error().toString().find("9012"), std::string::npos) << field;
    }
}

// Inconsistent or malformed records are refused with kInvalidRecord.
TEST(ValidateRecord, RefusesInconsistentRecords) {
    // Arrange
    auto base = makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed);
    auto badId = base;
    badId.sessionId = "not-a-uuid";
    auto reversed = base;
    reversed.endedAt = base.startedAt - std::chrono::milliseconds(1);
    auto staffWithoutId = makeRecord(IdentityMethod::kStaff);
    staffWithoutId.staffId.reset();
    auto distanceWithoutFace = makeRecord(IdentityMethod::kStaff);
    distanceWithoutFace.matchDistance = 0.4;
    auto nanDistance = base;
    nanDistance.matchDistance = std::nan("");
    auto confirmedWithoutMethod = makeRecord(IdentityMethod::kNone, SessionOutcome::kConfirmed);
    auto formula = base;
    formula.terminalId = "=cmd|' /C calc'!A0";
    auto badConsent = base;
    badConsent.consent = {{"items", nlohmann::json::array()}};
    auto negativePhase = base;
    negativePhase.phaseMs["card_read"] = -5;
    auto badUtf8 = base;
    badUtf8.failureReason = "\xff\xfe";
    // Act, Assert
    for (const auto* r :
         {&badId, &reversed, &staffWithoutId, &distanceWithoutFace, &nanDistance,
          &confirmedWithoutMethod, &formula, &badConsent, &negativePhase, &badUtf8}) {
        EXPECT_EQ(errorOf(*r), LogErrorCode::kInvalidRecord);
    }
}

// Every error code has a distinct name in the table.
TEST(LogErrorTable, NamesAreDistinct) {
    // Arrange
    std::set<std::string_view> names;
    // Act
    for (int c = 0; c <= static_cast<int>(LogErrorCode::kFormat); ++c) {
        names.insert(logErrorName(static_cast<LogErrorCode>(c)));
    }
    // Assert
    EXPECT_EQ(names.size(), static_cast<std::size_t>(LogErrorCode::kFormat) + 1);
    EXPECT_EQ(names.count("unknown"), 0u);
}

}  // namespace
}  // namespace uketsuke::terminal::testing
