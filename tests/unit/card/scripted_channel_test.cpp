// A card answering garbage: scripted truncations, wrong lengths, random status words and
// random bytes through the real JPKI-AP / 券面AP code give typed errors, never a crash or a hang.
#include "card/scripted_channel.h"

#include <gtest/gtest.h>

#include <random>

#include "card/card_classifier.h"
#include "card/kenmen_ap.h"
#include "card_test_support.h"

namespace uketsuke::card {
namespace {

// The OpenSC-style script format: [2-byte length][answer]; an incomplete tail is dropped.
TEST(ScriptedChannel, ParsesScriptFormat) {
    const Bytes script{0x00, 0x02, 0x90, 0x00, 0x00, 0x03, 0x01, 0x6A, 0x82, 0x00, 0x05, 0x01};
    auto ch = ScriptedChannel::fromScript(script);
    EXPECT_EQ(ch.remaining(), 2u);
    EXPECT_EQ(toHex(*ch.transmit(Bytes{0, 0xA4, 4, 0x0C, 1, 0xAA})), "90 00");
    EXPECT_EQ(toHex(*ch.transmit(Bytes{0, 0xB0, 0, 0, 0})), "01 6A 82");
    auto done = ch.transmit(Bytes{0, 0xB0, 0, 0, 0});
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.error().code, CardErrorCode::kTransport);
    ASSERT_EQ(ch.selects().size(), 1u);
    EXPECT_TRUE(ch.selects()[0].byName);
}

// Runs every read flow over one channel; returns how many failed (all errors are typed).
int runAllFlows(CardChannel& ch) {
    Iso7816 iso(ch);
    int failures = 0;
    failures += !readCardInfo(iso).ok();
    KenmenAp kenmen(iso);
    failures += !kenmen.select().ok();
    failures += !kenmen.verifyVerificationNumberB(SecretBytes("55021720352285")).ok();
    auto face = kenmen.readCardFace();
    failures += !face.ok();
    failures += !kenmen.readCvCertificate().ok();
    if (face)
        failures += !kenmen.internalAuthenticate(*face).ok();
    return failures;
}

// Random status words with random short data: every flow ends in a typed error.
TEST(ScriptedChannel, RandomStatusWordsGiveTypedErrors) {
    std::mt19937 rng(1234);
    for (int round = 0; round < 300; ++round) {
        ScriptedChannel ch;
        for (int i = 0; i < 60; ++i) {
            Bytes data(rng() % 4, static_cast<std::uint8_t>(rng()));
            ch.push(data, static_cast<std::uint16_t>(rng()));
        }
        EXPECT_GT(runAllFlows(ch), 0);
    }
}

// Random bytes of random lengths (including 0 and 1 byte) as answers.
TEST(ScriptedChannel, GarbageAnswersGiveTypedErrors) {
    std::mt19937 rng(99);
    for (int round = 0; round < 300; ++round) {
        ScriptedChannel ch;
        for (int i = 0; i < 60; ++i) {
            Bytes b(rng() % 300);
            for (auto& x : b)
                x = static_cast<std::uint8_t>(rng());
            ch.push(std::move(b));
        }
        EXPECT_GT(runAllFlows(ch), 0);
    }
}

// A card whose answers are cut at every length: the flows stop with typed errors.
TEST(ScriptedChannel, TruncatedAnswersFromARealCardSequence) {
    test::SimCard fake;
    fake.authCert = test::tlv(0x30, Bytes(700, 1));
    fake.authCaCert = test::tlv(0x30, Bytes(600, 2));
    Iso7816 iso(fake);
    ASSERT_TRUE(readCardInfo(iso).ok());
    // Record the real answers, then replay them with one answer truncated at a time.
    struct Recorder : CardChannel {
        explicit Recorder(CardChannel& c) : inner(c) {}
        CardResult<Bytes> transmit(ByteView cmd) override {
            auto r = inner.transmit(cmd);
            if (r)
                answers.push_back(*r);
            return r;
        }
        CardChannel& inner;
        std::vector<Bytes> answers;
    };
    test::SimCard fresh;
    fresh.authCert = fake.authCert;
    fresh.authCaCert = fake.authCaCert;
    Recorder rec(fresh);
    Iso7816 isoRec(rec);
    ASSERT_TRUE(readCardInfo(isoRec).ok());
    for (std::size_t i = 0; i < rec.answers.size(); ++i) {
        for (std::size_t cut : {std::size_t{0}, std::size_t{1}, rec.answers[i].size() / 2}) {
            ScriptedChannel ch;
            for (std::size_t j = 0; j < rec.answers.size(); ++j) {
                Bytes a = rec.answers[j];
                if (j == i)
                    a.resize(std::min(cut, a.size()));
                ch.push(std::move(a));
            }
            Iso7816 replay(ch);
            auto info = readCardInfo(replay);
            if (!info.ok()) {
                EXPECT_NE(info.error().code, CardErrorCode::kCrypto) << i << "/" << cut;
            }
        }
    }
}

// A READ BINARY answering more bytes than asked is a typed error (sim fault wrong-length).
TEST(ScriptedChannel, WrongLengthAnswer) {
    ScriptedChannel ch;
    ch.push(Bytes{}, 0x9000);          // SELECT JPKI
    ch.push(Bytes{}, 0x9000);          // SELECT 0006
    ch.push(Bytes(400, 'A'), 0x9000);  // 400 bytes for Le 160
    Iso7816 iso(ch);
    auto info = readCardInfo(iso);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, CardErrorCode::kWrongLength);
}

}  // namespace
}  // namespace uketsuke::card
