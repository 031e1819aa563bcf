// ISO 7816 layer over a scripted card: 61xx, 6Cxx, EOF statuses, header-driven file reads,
// size caps, the counter query and the privacy guard.
#include "card/iso7816.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

using test::tlv;

// 61xx answers are collected with GET RESPONSE.
TEST(Iso7816, FollowsGetResponse) {
    ScriptedChannel ch;
    ch.push(Bytes{1, 2}, 0x6103);
    ch.push(Bytes{3, 4, 5}, 0x9000);
    Iso7816 iso(ch);
    auto r = iso.transceive(CommandApdu{0x00, 0xB0, 0, 0, {}, 256u, false});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->data, (Bytes{1, 2, 3, 4, 5}));
    EXPECT_EQ(toHex(ch.commands()[1]), "00 C0 00 00 03");
}

// 6Cxx reissues the command once with the announced Le; twice is an error.
TEST(Iso7816, ReissuesOn6Cxx) {
    ScriptedChannel ch;
    ch.push(Bytes{}, 0x6C05);
    ch.push(Bytes{1, 2, 3, 4, 5}, 0x9000);
    Iso7816 iso(ch);
    auto r = iso.transceive(CommandApdu{0x00, 0xB0, 0, 0, {}, 256u, false});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(toHex(ch.commands()[1]), "00 B0 00 00 05");

    ScriptedChannel twice;
    twice.push(Bytes{}, 0x6C05);
    twice.push(Bytes{}, 0x6C05);
    Iso7816 iso2(twice);
    EXPECT_FALSE(iso2.transceive(CommandApdu{0x00, 0xB0, 0, 0, {}, 256u, false}).ok());
}

// An endless 61xx chain ends with a typed error once the script (the card) gives up.
TEST(Iso7816, EndlessGetResponseChainEnds) {
    ScriptedChannel ch;
    for (int i = 0; i < 200; ++i)
        ch.push(Bytes{0}, 0x6101);
    Iso7816 iso(ch);
    auto r = iso.transceive(CommandApdu{0x00, 0xB0, 0, 0, {}, 256u, false});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kMalformedResponse);
}

// A certificate-like file is read with ≤ 256-byte chunks, length from the DER header, padding
// With extended Le off, a file comes in ≤ 256-byte reads, its length from the DER header.
TEST(Iso7816, ReadsTlvFileByHeader) {
    test::SimCard fake;
    const Bytes expected = tlv(0x30, Bytes(1200, 0x42));
    fake.authCert = expected;
    fake.authCert.resize(1500, 0xFF);  // padding after the TLV
    ReadOptions o;
    o.tryExtendedLengthReadBinary = false;
    Iso7816 iso(fake, o);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    auto file = iso.readTlvFile();
    ASSERT_TRUE(file.ok()) << file.error().toString();
    EXPECT_EQ(*file, expected);
    EXPECT_EQ(fake.apdus, 2 + 5);  // 1204 bytes: 256 × 4 + 180
    EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kUntried);
}

// By default a card that accepts extended Le gives the whole file in one READ BINARY, and the
// next file too.
TEST(Iso7816, ExtendedReadWhenAccepted) {
    test::SimCard fake;
    fake.authCert = tlv(0x30, Bytes(1200, 0x42));
    fake.authCaCert = tlv(0x30, Bytes(1000, 0x43));
    Iso7816 iso(fake);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    auto file = iso.readTlvFile();
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->size(), 1204u);
    EXPECT_EQ(fake.apdus, 3);
    EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kAccepted);
    ASSERT_TRUE(iso.selectEf(0x000B).ok());
    auto ca = iso.readTlvFile();
    ASSERT_TRUE(ca.ok());
    EXPECT_EQ(*ca, fake.authCaCert);
    EXPECT_EQ(fake.apdus, 5);
}

// A card that refuses extended Le (6700) costs one APDU, once per card session; the read
// goes on in short reads and never fails because of it.
TEST(Iso7816, ExtendedReadRefusedFallsBackOnce) {
    test::SimCard fake;
    fake.extendedReadBinary = false;
    const Bytes expected = tlv(0x30, Bytes(1200, 0x42));
    fake.authCert = expected;
    fake.authCaCert = tlv(0x30, Bytes(1000, 0x43));
    Iso7816 iso(fake);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    auto file = iso.readTlvFile();
    ASSERT_TRUE(file.ok()) << file.error().toString();
    EXPECT_EQ(*file, expected);
    EXPECT_EQ(fake.apdus, 2 + 1 + 5);
    EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kRefused);
    ASSERT_TRUE(iso.selectEf(0x000B).ok());
    ASSERT_TRUE(iso.readTlvFile().ok());
    EXPECT_EQ(fake.apdus, 8 + 1 + 4);  // no second extended try
}

// A card that caps an extended answer at 256 bytes (9000, no end of file) is a refusal too.
TEST(Iso7816, ShortAnswerToExtendedReadFallsBack) {
    test::SimCard fake;
    fake.capsExtendedAnswers = true;
    const Bytes expected = tlv(0x30, Bytes(1200, 0x42));
    fake.authCert = expected;
    Iso7816 iso(fake);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    auto file = iso.readTlvFile();
    ASSERT_TRUE(file.ok()) << file.error().toString();
    EXPECT_EQ(*file, expected);
    EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kRefused);
    EXPECT_EQ(fake.apdus, 2 + 1 + 4);  // the capped 256 bytes are kept
}

// Each refusal status of the extended probe — 6700, 6Cxx (never reissued as extended), 6D00,
// 6E00 — falls back to a short read of the same offset.
TEST(Iso7816, ExtendedRefusalStatuses) {
    for (std::uint16_t sw : {0x6700, 0x6C00, 0x6D00, 0x6E00}) {
        ScriptedChannel ch;
        ch.push(Bytes{}, sw);                         // extended probe refused
        ch.push(tlv(0x04, Bytes(10, 0x55)), 0x9000);  // short read
        Iso7816 iso(ch);
        auto file = iso.readTlvFile();
        ASSERT_TRUE(file.ok()) << std::hex << sw << " " << file.error().toString();
        EXPECT_EQ(file->size(), 12u);
        ASSERT_EQ(ch.commands().size(), 2u);
        EXPECT_EQ(ch.commands()[0].size(), 7u);  // 00 B0 00 00 00 Le1 Le2
        EXPECT_EQ(ch.commands()[1].size(), 5u);  // 00 B0 00 00 00
        EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kRefused);
    }
}

// A channel that cannot carry extended APDUs (T=0) never sees one.
TEST(Iso7816, NoExtendedReadOnT0) {
    struct T0Card : test::SimCard {
        bool extendedApdusPossible() const override { return false; }
    } fake;
    fake.authCert = tlv(0x30, Bytes(600, 0x42));
    Iso7816 iso(fake);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    ASSERT_TRUE(iso.readTlvFile().ok());
    EXPECT_EQ(fake.apdus, 2 + 3);
}

// A card pulled out during the extended probe is card-removed, not a fallback.
TEST(Iso7816, RemovalDuringExtendedProbeIsNotAFallback) {
    struct PulledCard : CardChannel {
        CardResult<Bytes> transmit(ByteView) override {
            return cardCancel(CardErrorCode::kCardRemoved, "pulled");
        }
    } card;
    Iso7816 iso(card);
    auto file = iso.readTlvFile();
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().code, CardErrorCode::kCardRemoved);
    EXPECT_EQ(iso.extendedReadSupport(), ExtendedReadSupport::kUntried);
}

// 63C1 answering a SELECT or a READ BINARY is a protocol error, never "1 try left".
TEST(Iso7816, TriesStatusOutsideVerifyIsUnexpected) {
    ScriptedChannel ch;
    ch.push(Bytes{}, 0x63C1);
    ch.push(Bytes{}, 0x63C1);
    Iso7816 iso(ch);
    auto s = iso.selectEf(0x000A);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, CardErrorCode::kUnexpectedStatus);
    EXPECT_FALSE(s.error().triesLeft.has_value());
    auto r = iso.readBinary(0, 10);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kUnexpectedStatus);
    EXPECT_FALSE(r.error().triesLeft.has_value());
}

// A header claiming more than the file holds (oversized TLV) is malformed-tlv at EOF.
TEST(Iso7816, OversizedHeaderStopsAtEndOfFile) {
    test::SimCard fake;
    fake.authCert = tlv(0x30, Bytes(1200, 0x42));
    fake.authCert[2] = 0x10;  // claims 0x10B0 bytes
    fake.authCert.resize(1204);
    Iso7816 iso(fake);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x000A).ok());
    auto file = iso.readTlvFile();
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().code, CardErrorCode::kMalformedTlv);
}

// A header claiming more than 32 KiB is refused before any further read.
TEST(Iso7816, FileSizeCap) {
    ScriptedChannel ch;
    ch.push(Bytes{0x30, 0x83, 0x01, 0x00, 0x00}, 0x9000);
    Iso7816 iso(ch);
    auto file = iso.readTlvFile();
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().code, CardErrorCode::kFileTooLarge);
    EXPECT_EQ(ch.commands().size(), 1u);
}

// A READ BINARY answering more than Le is a wrong-length error.
TEST(Iso7816, AnswerLongerThanLe) {
    ScriptedChannel ch;
    ch.push(Bytes(5, 1), 0x9000);
    Iso7816 iso(ch);
    auto r = iso.readBinary(0, 3);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kWrongLength);
}

// 6B00 and 6282 end a read; with data still promised that is malformed-tlv.
TEST(Iso7816, EndOfFileStatuses) {
    ScriptedChannel ch;
    ch.push(Bytes{1, 2}, 0x6282);
    ch.push(Bytes{}, 0x6B00);
    Iso7816 iso(ch);
    auto a = iso.readBinary(0, 10);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(a->endOfFile);
    EXPECT_EQ(a->data.size(), 2u);
    auto b = iso.readBinary(2, 10);
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(b->endOfFile);
}

// The counter query is 00 20 00 80 with no data, and each answer maps to its state.
TEST(Iso7816, CounterQueryStates) {
    const std::vector<std::pair<std::uint16_t, RetryCounter::State>> cases{
        {0x63C3, RetryCounter::State::kTriesLeft}, {0x63C0, RetryCounter::State::kBlocked},
        {0x6984, RetryCounter::State::kBlocked},   {0x6983, RetryCounter::State::kBlocked},
        {0x6300, RetryCounter::State::kNoCounter}, {0x9000, RetryCounter::State::kAlreadyVerified},
    };
    for (auto [sw, state] : cases) {
        ScriptedChannel ch;
        ch.push(Bytes{}, sw);
        Iso7816 iso(ch);
        auto r = iso.queryRetries();
        ASSERT_TRUE(r.ok()) << std::hex << sw;
        EXPECT_EQ(r->state, state) << std::hex << sw;
        EXPECT_EQ(toHex(ch.commands()[0]), "00 20 00 80");
    }
    ScriptedChannel ch;
    ch.push(Bytes{}, 0x6A82);
    Iso7816 iso(ch);
    EXPECT_FALSE(iso.queryRetries().ok());
}

// The guard refuses the 入力補助AP and the My Number files without sending anything.
TEST(Iso7816, PrivacyGuardSendsNothing) {
    ScriptedChannel ch;
    Iso7816 iso(ch);
    const Bytes textAid = *fromHex("D3 92 10 00 31 00 01 01 04 08");
    auto a = iso.selectAid(textAid);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, CardErrorCode::kForbiddenAccess);
    for (std::uint16_t fid : {0x0005, 0x0013}) {
        auto r = iso.selectEf(fid);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, CardErrorCode::kForbiddenAccess);
    }
    EXPECT_TRUE(ch.commands().empty());
}

// GET CHALLENGE must return exactly the bytes asked for.
TEST(Iso7816, ChallengeLength) {
    ScriptedChannel ch;
    ch.push(Bytes(8, 1), 0x9000);
    Iso7816 iso(ch);
    auto r = iso.getChallenge(16);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kWrongLength);
}

}  // namespace
}  // namespace uketsuke::card
