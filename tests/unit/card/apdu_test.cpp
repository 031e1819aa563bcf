// APDU encoding for cases 1-4, short and extended, and response parsing.
#include "card/apdu.h"

#include <gtest/gtest.h>

namespace uketsuke::card {
namespace {

Bytes encode(const CommandApdu& c) {
    auto r = c.encode();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : Bytes{};
}

// The counter query is case 1: four bytes, no Lc, no Le (reference §4).
TEST(Apdu, Case1CounterQuery) {
    const CommandApdu c{0x00, ins::kVerify, 0x00, 0x80, {}, std::nullopt, false};
    EXPECT_EQ(c.apduCase(), ApduCase::kCase1);
    EXPECT_EQ(toHex(encode(c)), "00 20 00 80");
}

// READ BINARY with Le=256 encodes Le as 00.
TEST(Apdu, Case2ShortLe256IsZero) {
    const CommandApdu c{0x00, ins::kReadBinary, 0x01, 0x00, {}, 256u, false};
    EXPECT_EQ(c.apduCase(), ApduCase::kCase2);
    EXPECT_EQ(toHex(encode(c)), "00 B0 01 00 00");
}

// SELECT by AID is case 3 with the full AID.
TEST(Apdu, Case3SelectAid) {
    const CommandApdu c{0x00,         ins::kSelect, 0x04, 0x0C, *fromHex("D392F000260100000001"),
                        std::nullopt, false};
    EXPECT_EQ(toHex(encode(c)), "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
}

// The JPKI signature command is case 4 with Le 00 (reference §6).
TEST(Apdu, Case4Signature) {
    const CommandApdu c{0x80, ins::kComputeSignature, 0x00, 0x80, Bytes(51, 0xAA), 256u, false};
    const Bytes b = encode(c);
    ASSERT_EQ(b.size(), 4u + 1 + 51 + 1);
    EXPECT_EQ(b[4], 51);
    EXPECT_EQ(b.back(), 0x00);
}

// Extended Le on a case 2 command: 00 Le1 Le2; 65536 is 00 00.
TEST(Apdu, ExtendedCase2) {
    CommandApdu c{0x00, ins::kReadBinary, 0x00, 0x00, {}, 0x1234u, true};
    EXPECT_EQ(toHex(encode(c)), "00 B0 00 00 00 12 34");
    c.le = 65536;
    EXPECT_EQ(toHex(encode(c)), "00 B0 00 00 00 00 00");
}

// Extended case 4: 00 Lc1 Lc2 data Le1 Le2.
TEST(Apdu, ExtendedCase4) {
    const CommandApdu c{0x00, 0x2A, 0x00, 0x00, Bytes(300, 1), 256u, true};
    const Bytes b = encode(c);
    ASSERT_EQ(b.size(), 4u + 3 + 300 + 2);
    EXPECT_EQ(b[4], 0x00);
    EXPECT_EQ(b[5], 0x01);
    EXPECT_EQ(b[6], 0x2C);
    EXPECT_EQ(b[b.size() - 2], 0x01);
    EXPECT_EQ(b[b.size() - 1], 0x00);
}

// Lengths that do not fit the chosen form are refused, never truncated.
TEST(Apdu, RejectsLengthsThatDoNotFit) {
    EXPECT_FALSE((CommandApdu{0, 0xA4, 0, 0, Bytes(256, 0), std::nullopt, false}.encode().ok()));
    EXPECT_FALSE((CommandApdu{0, 0xB0, 0, 0, {}, 257u, false}.encode().ok()));
    EXPECT_FALSE((CommandApdu{0, 0xB0, 0, 0, {}, 0u, false}.encode().ok()));
}

// Responses split into data and SW; fewer than two bytes is malformed.
TEST(Apdu, ResponseParsing) {
    auto r = ResponseApdu::parse(Bytes{0x01, 0x02, 0x90, 0x00});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->sw, 0x9000);
    EXPECT_EQ(r->data.size(), 2u);
    auto bad = ResponseApdu::parse(Bytes{0x90});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, CardErrorCode::kMalformedResponse);
    EXPECT_FALSE(ResponseApdu::parse(Bytes{}).ok());
}

}  // namespace
}  // namespace uketsuke::card
