// Status words decoded in the context of their command (reference §9, Errata 2, 3 and 7): tries
// only from 63Cx after a VERIFY, 6984 blocked whatever its nibble, end of file only after READ
// BINARY, and every SW a command never gives is an unexpected-status protocol error.
#include "card/status_word.h"

#include <gtest/gtest.h>

#include <vector>

namespace uketsuke::card {
namespace {

constexpr CardCommand kAllCommands[] = {CardCommand::kSelect,       CardCommand::kReadBinary,
                                        CardCommand::kVerifyQuery,  CardCommand::kVerify,
                                        CardCommand::kGetChallenge, CardCommand::kComputeSignature,
                                        CardCommand::kGetResponse};

bool isVerify(CardCommand c) {
    return c == CardCommand::kVerify || c == CardCommand::kVerifyQuery;
}

// After VERIFY (query or not) 63C1..63CF give the tries left; 63C0 means blocked with 0 tries.
TEST(StatusWord, TriesFrom63CxAfterVerify) {
    for (CardCommand c : {CardCommand::kVerify, CardCommand::kVerifyQuery}) {
        for (int x = 1; x <= 15; ++x) {
            const auto d = decodeStatusWord(c, static_cast<std::uint16_t>(0x63C0 + x));
            EXPECT_EQ(d.cls, SwClass::kTriesLeft);
            ASSERT_TRUE(d.triesLeft.has_value());
            EXPECT_EQ(*d.triesLeft, x);
        }
        const auto blocked = decodeStatusWord(c, 0x63C0);
        EXPECT_EQ(blocked.cls, SwClass::kBlocked);
        EXPECT_EQ(blocked.triesLeft, 0);
    }
}

// The bug this table exists for: 63C1 after SELECT or READ BINARY is not "1 try left".
TEST(StatusWord, SixThreeCxOutsideVerifyIsAProtocolError) {
    for (CardCommand c : kAllCommands) {
        if (isVerify(c))
            continue;
        for (std::uint16_t sw : {0x63C1, 0x63C2, 0x63C0, 0x6300, 0x6984, 0x6983}) {
            const auto d = decodeStatusWord(c, sw);
            EXPECT_EQ(d.cls, SwClass::kError) << cardCommandName(c) << " " << std::hex << sw;
            EXPECT_EQ(d.error, CardErrorCode::kUnexpectedStatus) << cardCommandName(c);
            EXPECT_FALSE(d.triesLeft.has_value()) << cardCommandName(c);
            const CardError e = statusError(c, sw, "op");
            EXPECT_EQ(e.code, CardErrorCode::kUnexpectedStatus) << cardCommandName(c);
            EXPECT_FALSE(e.triesLeft.has_value()) << cardCommandName(c);
        }
    }
}

// 6984 and 6983 after VERIFY are blocked and carry no tries count (OpenSC read 6984 as 4 tries).
TEST(StatusWord, SixNineEightFourIsBlockedNotFourTries) {
    for (std::uint16_t sw : {0x6984, 0x6983}) {
        const auto d = decodeStatusWord(CardCommand::kVerifyQuery, sw);
        EXPECT_EQ(d.cls, SwClass::kBlocked);
        EXPECT_EQ(d.error, CardErrorCode::kBlocked);
        EXPECT_FALSE(d.triesLeft.has_value());
    }
}

// 6300 after VERIFY is "no counter", not "0 tries".
TEST(StatusWord, SixThreeZeroZeroIsNoCounter) {
    const auto d = decodeStatusWord(CardCommand::kVerifyQuery, 0x6300);
    EXPECT_EQ(d.cls, SwClass::kNoCounter);
    EXPECT_FALSE(d.triesLeft.has_value());
}

// End of file exists only for READ BINARY; 6B00 elsewhere is wrong P1/P2.
TEST(StatusWord, EndOfFileOnlyAfterReadBinary) {
    EXPECT_EQ(decodeStatusWord(CardCommand::kReadBinary, 0x6282).cls, SwClass::kEndOfFile);
    EXPECT_EQ(decodeStatusWord(CardCommand::kReadBinary, 0x6B00).cls, SwClass::kEndOfFile);
    EXPECT_EQ(decodeStatusWord(CardCommand::kSelect, 0x6282).error,
              CardErrorCode::kUnexpectedStatus);
    EXPECT_EQ(decodeStatusWord(CardCommand::kSelect, 0x6B00).error, CardErrorCode::kWrongP1P2);
    EXPECT_EQ(statusError(CardCommand::kReadBinary, 0x6282, "op").code,
              CardErrorCode::kUnexpectedStatus);
}

// Per command: the SWs each may give map to their typed codes.
TEST(StatusWord, ErrorsPerCommand) {
    struct Case {
        CardCommand command;
        std::uint16_t sw;
        CardErrorCode code;
    };
    const std::vector<Case> cases{
        {CardCommand::kSelect, 0x6A82, CardErrorCode::kFileNotFound},
        {CardCommand::kSelect, 0x6986, CardErrorCode::kNoCurrentFile},
        {CardCommand::kSelect, 0x6A86, CardErrorCode::kWrongP1P2},
        {CardCommand::kSelect, 0x6D00, CardErrorCode::kInsNotSupported},
        {CardCommand::kReadBinary, 0x6982, CardErrorCode::kSecurityStatusNotSatisfied},
        {CardCommand::kReadBinary, 0x6986, CardErrorCode::kNoCurrentFile},
        {CardCommand::kReadBinary, 0x6700, CardErrorCode::kWrongLength},
        {CardCommand::kReadBinary, 0x6E00, CardErrorCode::kClaNotSupported},
        {CardCommand::kVerify, 0x6A88, CardErrorCode::kFileNotFound},
        {CardCommand::kVerify, 0x6986, CardErrorCode::kNoCurrentFile},
        {CardCommand::kVerify, 0x6700, CardErrorCode::kWrongLength},
        {CardCommand::kVerifyQuery, 0x6985, CardErrorCode::kConditionsNotSatisfied},
        {CardCommand::kGetChallenge, 0x6985, CardErrorCode::kConditionsNotSatisfied},
        {CardCommand::kGetChallenge, 0x6A81, CardErrorCode::kFunctionNotSupported},
        {CardCommand::kComputeSignature, 0x6982, CardErrorCode::kSecurityStatusNotSatisfied},
        {CardCommand::kComputeSignature, 0x6A86, CardErrorCode::kWrongP1P2},
        // SWs a command never gives
        {CardCommand::kGetChallenge, 0x6982, CardErrorCode::kUnexpectedStatus},
        {CardCommand::kGetChallenge, 0x6A82, CardErrorCode::kUnexpectedStatus},
        {CardCommand::kComputeSignature, 0x6A82, CardErrorCode::kUnexpectedStatus},
        {CardCommand::kVerify, 0x6982, CardErrorCode::kUnexpectedStatus},
        {CardCommand::kSelect, 0x1234, CardErrorCode::kUnexpectedStatus},
        {CardCommand::kReadBinary, 0x6F00, CardErrorCode::kUnexpectedStatus},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(decodeStatusWord(c.command, c.sw).error, c.code)
            << cardCommandName(c.command) << " " << std::hex << c.sw;
        EXPECT_EQ(statusError(c.command, c.sw, "op").code, c.code)
            << cardCommandName(c.command) << " " << std::hex << c.sw;
    }
}

// 61xx and 6Cxx announce the length in SW2 after any command; 9000 is success after any.
TEST(StatusWord, TransportClassesAfterEveryCommand) {
    for (CardCommand c : kAllCommands) {
        EXPECT_EQ(decodeStatusWord(c, 0x9000).cls, SwClass::kSuccess) << cardCommandName(c);
        EXPECT_EQ(decodeStatusWord(c, 0x6110).cls, SwClass::kMoreData);
        EXPECT_EQ(*decodeStatusWord(c, 0x6110).le, 0x10);
        EXPECT_EQ(decodeStatusWord(c, 0x6C05).cls, SwClass::kReissueLe);
        EXPECT_EQ(*decodeStatusWord(c, 0x6C05).le, 0x05);
        EXPECT_EQ(statusError(c, 0x9000, "x").code, CardErrorCode::kUnexpectedStatus);
    }
}

// A wrong-credential error carries the tries left and names the SW.
TEST(StatusWord, StatusErrorCarriesTries) {
    const CardError e = statusError(CardCommand::kVerify, 0x63C2, "VERIFY");
    EXPECT_EQ(e.code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(e.triesLeft, 2);
    EXPECT_EQ(e.sw, 0x63C2);
    EXPECT_NE(e.toString().find("63C2"), std::string::npos);
}

}  // namespace
}  // namespace uketsuke::card
