// Status-word table: classes, tries only from 63Cx, 6984 blocked whatever its nibble (Errata 3).
#include "card/status_word.h"

#include <gtest/gtest.h>

namespace uketsuke::card {
namespace {

// 63C1..63CF give the tries left; 63C0 means blocked with 0 tries.
TEST(StatusWord, TriesOnlyFrom63Cx) {
    for (int x = 1; x <= 15; ++x) {
        const auto d = decodeStatusWord(static_cast<std::uint16_t>(0x63C0 + x));
        EXPECT_EQ(d.cls, SwClass::kTriesLeft);
        ASSERT_TRUE(d.triesLeft.has_value());
        EXPECT_EQ(*d.triesLeft, x);
    }
    const auto blocked = decodeStatusWord(0x63C0);
    EXPECT_EQ(blocked.cls, SwClass::kBlocked);
    EXPECT_EQ(blocked.triesLeft, 0);
}

// 6984 and 6983 are blocked and carry no tries count (OpenSC read 6984 as 4 tries).
TEST(StatusWord, SixNineEightFourIsBlockedNotFourTries) {
    for (std::uint16_t sw : {0x6984, 0x6983}) {
        const auto d = decodeStatusWord(sw);
        EXPECT_EQ(d.cls, SwClass::kBlocked);
        EXPECT_EQ(d.error, CardErrorCode::kBlocked);
        EXPECT_FALSE(d.triesLeft.has_value());
    }
}

// 6300 is "no counter", not "0 tries".
TEST(StatusWord, SixThreeZeroZeroIsNoCounter) {
    const auto d = decodeStatusWord(0x6300);
    EXPECT_EQ(d.cls, SwClass::kNoCounter);
    EXPECT_FALSE(d.triesLeft.has_value());
}

// Errors map to their typed codes.
TEST(StatusWord, ErrorsMapToTypedCodes) {
    const std::vector<std::pair<std::uint16_t, CardErrorCode>> cases{
        {0x6A82, CardErrorCode::kFileNotFound},
        {0x6982, CardErrorCode::kSecurityStatusNotSatisfied},
        {0x6985, CardErrorCode::kConditionsNotSatisfied},
        {0x6986, CardErrorCode::kNoCurrentFile},
        {0x6A86, CardErrorCode::kWrongP1P2},
        {0x6A81, CardErrorCode::kFunctionNotSupported},
        {0x6700, CardErrorCode::kWrongLength},
        {0x6D00, CardErrorCode::kInsNotSupported},
        {0x6E00, CardErrorCode::kClaNotSupported},
        {0x1234, CardErrorCode::kUnexpectedStatus},
        {0x6F00, CardErrorCode::kUnexpectedStatus},
    };
    for (auto [sw, code] : cases) {
        EXPECT_EQ(decodeStatusWord(sw).error, code) << std::hex << sw;
        EXPECT_EQ(statusError(sw, "op").code, code) << std::hex << sw;
    }
}

// 61xx and 6Cxx announce the length in SW2; end-of-file statuses are their own class.
TEST(StatusWord, LengthAndEndOfFileClasses) {
    EXPECT_EQ(decodeStatusWord(0x6110).cls, SwClass::kMoreData);
    EXPECT_EQ(*decodeStatusWord(0x6110).le, 0x10);
    EXPECT_EQ(decodeStatusWord(0x6C05).cls, SwClass::kReissueLe);
    EXPECT_EQ(*decodeStatusWord(0x6C05).le, 0x05);
    EXPECT_EQ(decodeStatusWord(0x6282).cls, SwClass::kEndOfFile);
    EXPECT_EQ(decodeStatusWord(0x6B00).cls, SwClass::kEndOfFile);
    EXPECT_EQ(decodeStatusWord(0x9000).cls, SwClass::kSuccess);
}

// A wrong-credential error carries the tries left; a success SW is "unexpected" as an error.
TEST(StatusWord, StatusErrorCarriesTries) {
    const CardError e = statusError(0x63C2, "VERIFY");
    EXPECT_EQ(e.code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(e.triesLeft, 2);
    EXPECT_EQ(e.sw, 0x63C2);
    EXPECT_EQ(statusError(0x9000, "x").code, CardErrorCode::kUnexpectedStatus);
    EXPECT_NE(e.toString().find("63C2"), std::string::npos);
}

}  // namespace
}  // namespace uketsuke::card
