// BER-TLV parser: tags of 1-3 bytes, short and long-form lengths, and hostile input.
#include "card/tlv.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

// Parses a two-byte private tag with a short length.
TEST(Tlv, ParsesTwoByteTagShortLength) {
    // Arrange
    const Bytes data{0xDF, 0x23, 0x01, '2'};
    // Act
    auto t = parseTlv(data);
    // Assert
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->tag, 0xDF23u);
    EXPECT_FALSE(t->constructed);
    ASSERT_EQ(t->value.size(), 1u);
    EXPECT_EQ(t->value[0], '2');
    EXPECT_EQ(t->encoded.size(), 4u);
}

// Long-form lengths 81, 82 and 83 give the right value sizes.
TEST(Tlv, ParsesLongFormLengths) {
    for (std::size_t n : {0x80u, 0xFFu, 0x100u, 0x1234u, 0x10000u}) {
        const Bytes data = test::tlv(0xFF20, Bytes(n, 0xAB));
        auto t = parseTlv(data);
        ASSERT_TRUE(t.ok()) << n;
        EXPECT_EQ(t->value.size(), n);
        EXPECT_TRUE(t->constructed);
        EXPECT_EQ(t->encoded.size(), data.size());
    }
}

// The header helper learns a DER certificate's total length from its first four bytes.
TEST(Tlv, PeekHeaderGivesTotalLengthFromFirstBytes) {
    const Bytes first{0x30, 0x82, 0x05, 0x1A};
    TlvHeader h;
    ASSERT_EQ(peekTlvHeader(first, h), TlvHeaderStatus::kOk);
    EXPECT_EQ(h.tag, 0x30u);
    EXPECT_EQ(h.totalLength(), 0x051Au + 4);
}

// An incomplete header asks for more bytes instead of guessing.
TEST(Tlv, PeekHeaderNeedsMoreBytes) {
    TlvHeader h;
    EXPECT_EQ(peekTlvHeader(Bytes{0x30, 0x82, 0x05}, h), TlvHeaderStatus::kNeedMoreBytes);
    EXPECT_EQ(peekTlvHeader(Bytes{0xDF}, h), TlvHeaderStatus::kNeedMoreBytes);
    EXPECT_EQ(peekTlvHeader(Bytes{}, h), TlvHeaderStatus::kNeedMoreBytes);
}

// A value longer than the buffer is a typed error, not an over-read.
TEST(Tlv, TruncatedValueIsMalformed) {
    Bytes data = test::tlv(0xDF27, Bytes(300, 1));
    data.resize(200);
    auto t = parseTlv(data);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, CardErrorCode::kMalformedTlv);
}

// Lengths claiming gigabytes, indefinite lengths, 4-byte lengths and endless tags are refused.
TEST(Tlv, OversizedAndInvalidHeadersAreMalformed) {
    const std::vector<Bytes> bad{
        {0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF},  // 4-byte length
        {0x30, 0x80, 0x00, 0x00},              // indefinite
        {0x30, 0x83, 0xFF, 0xFF, 0xFF, 0x00},  // 16 MB claimed, 1 byte present
        {0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00},  // tag never ends
        {0x00, 0x00},                          // padding, not a tag
    };
    for (const auto& b : bad) {
        auto t = parseTlv(b);
        ASSERT_FALSE(t.ok()) << toHex(b);
        EXPECT_EQ(t.error().code, CardErrorCode::kMalformedTlv) << toHex(b);
    }
}

// A sequence must be filled exactly by its children.
TEST(Tlv, SequenceParsesChildrenAndRejectsTrailingGarbage) {
    const Bytes seq =
        test::concat({test::tlv(0x90, Bytes{1, 0, 1}), test::tlv(0x91, Bytes(256, 7))});
    auto items = parseTlvSequence(seq);
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ(findTlv(*items, 0x91)->value.size(), 256u);
    EXPECT_FALSE(findTlv(*items, 0x92).has_value());

    Bytes withGarbage = seq;
    withGarbage.push_back(0x90);
    EXPECT_FALSE(parseTlvSequence(withGarbage).ok());
}

// Every prefix of a valid nested structure parses or fails cleanly (no crash, no over-read).
TEST(Tlv, EveryPrefixFailsCleanly) {
    const Bytes full = test::tlv(
        0x7F21, test::concat({test::tlv(0x5F4E, Bytes(40, 3)), test::tlv(0x5F37, Bytes(256, 4))}));
    for (std::size_t n = 0; n < full.size(); ++n) {
        auto t = parseTlv(ByteView(full).first(n));
        EXPECT_FALSE(t.ok()) << n;
    }
    EXPECT_TRUE(parseTlv(full).ok());
}

}  // namespace
}  // namespace uketsuke::card
