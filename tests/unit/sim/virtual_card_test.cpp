// VirtualCard: the APDU behaviour of the virtual My Number Card against card-protocol.md.
#include "sim/virtual_card.h"

#include <gtest/gtest.h>

#include "sim/sim_crypto.h"
#include "sim_test_support.h"

namespace uketsuke::sim::test {
namespace {

class VirtualCardTest : public ::testing::Test {
  protected:
    void use(const std::string& id) {
        image_ = cardImage(id);
        ASSERT_NE(image_, nullptr);
        counters_ = initialCounters(*image_);
        card_ = std::make_unique<VirtualCard>(image_, counters_, log_);
    }
    Bytes send(const Bytes& apdu) { return card_->transmit(apdu).response; }
    std::uint16_t sw(const Bytes& apdu) { return swOf(send(apdu)); }
    // Reads the current EF in 256-byte steps until the card reports the end.
    Bytes readAll() {
        Bytes out;
        for (std::size_t offset = 0; offset <= 0x7FFF; offset += 256) {
            const Bytes r = send(readBinary(offset, 0x00));
            const Bytes data = dataOf(r);
            out.insert(out.end(), data.begin(), data.end());
            if (swOf(r) != 0x9000)
                break;
        }
        return out;
    }
    Bytes readKenmenFace() {
        const Persona p = persona(image_->personaId);
        send(selectAid(AppId::kKenmen));
        send(selectEf(fid::kKenmenVerificationB));
        EXPECT_EQ(sw(verifyApdu(verificationNumberB(p))), 0x9000);
        EXPECT_EQ(sw(selectEf(fid::kKenmenFace)), 0x9000);
        return readAll();
    }

    std::shared_ptr<const CardImage> image_;
    CardCounters counters_;
    AccessLog log_;
    std::unique_ptr<VirtualCard> card_;
};

// EF 0002's children, by tag, after its FF20 header.
std::map<std::uint16_t, Tlv> faceChildren(const Bytes& file) {
    const auto outer = readTlv(file, 0);
    if (!outer || outer->tag != 0xFF20)
        return {};
    return children(outer->value);
}

Bytes digestInfoSha256(ByteView message) {
    Bytes di(std::begin(kSha256DigestInfoPrefix), std::end(kSha256DigestInfoPrefix));
    const Bytes h = sha256(message);
    di.insert(di.end(), h.begin(), h.end());
    return di;
}

Bytes signApdu(std::uint8_t p2, const Bytes& digestInfo) {
    Bytes apdu = {0x80, 0x2A, 0x00, p2, static_cast<std::uint8_t>(digestInfo.size())};
    apdu.insert(apdu.end(), digestInfo.begin(), digestInfo.end());
    apdu.push_back(0x00);
    return apdu;
}

// ---------------------------------------------------------------- SELECT

// The JPKI-AP is selected by its full AID and the SELECT is recorded.
TEST_F(VirtualCardTest, SelectsJpkiByFullAid) {
    use("normal");
    // Act
    const auto status = sw(selectAid(AppId::kJpki));
    // Assert
    EXPECT_EQ(status, 0x9000);
    EXPECT_EQ(log_.selects, std::vector<std::string>{"JPKI"});
}

// An AID prefix selects nothing (no JICSAP partial matching) and unknown AIDs answer 6A82.
TEST_F(VirtualCardTest, AidPrefixAndUnknownAidAreNotFound) {
    use("normal");
    Bytes prefix = selectAid(AppId::kJpki);
    prefix.resize(5 + 7);
    prefix[4] = 7;
    // Act / Assert
    EXPECT_EQ(sw(prefix), 0x6A82);
    EXPECT_EQ(sw(hex("00 A4 04 0C 07 A0 00 00 02 47 10 01")), 0x6A82);
    EXPECT_EQ(log_.selects.back(), "AID:A0000002471001");
}

// SELECT by FID needs a current DF (6986), finds only existing EFs (6A82), and checks Lc.
TEST_F(VirtualCardTest, SelectByFidRules) {
    use("normal");
    EXPECT_EQ(sw(selectEf(fid::kJpkiAuthCert)), 0x6986);
    ASSERT_EQ(sw(selectAid(AppId::kJpki)), 0x9000);
    EXPECT_EQ(sw(selectEf(0x0099)), 0x6A82);
    EXPECT_EQ(sw(hex("00 A4 02 0C 01 0A")), 0x6700);
    EXPECT_EQ(sw(selectEf(fid::kJpkiAuthCert)), 0x9000);
}

// There is no SELECT MF: P1 00 answers 6A86, as a real card after reset.
TEST_F(VirtualCardTest, SelectMfIsWrongP1P2) {
    use("normal");
    EXPECT_EQ(sw(hex("00 A4 00 00")), 0x6A86);
    EXPECT_EQ(sw(hex("00 A4 00 0C 02 3F 00")), 0x6A86);
}

// ---------------------------------------------------------------- READ BINARY

// Reading EF 000A in 256-byte chunks yields the persona's DER certificate followed by FF filler.
TEST_F(VirtualCardTest, AuthCertificateReadsInChunks) {
    use("normal");
    const auto der = loadCertificateDer(pkiDir() / "personas/normal/auth.pem");
    ASSERT_TRUE(der.ok());
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    // Act
    const Bytes file = readAll();
    // Assert
    ASSERT_GE(file.size(), der.value().size());
    EXPECT_TRUE(std::equal(der.value().begin(), der.value().end(), file.begin()));
    EXPECT_TRUE(std::all_of(file.begin() + static_cast<std::ptrdiff_t>(der.value().size()),
                            file.end(), [](std::uint8_t b) { return b == 0xFF; }));
    const std::size_t derLength = (std::size_t{file[2]} << 8 | file[3]) + 4;
    EXPECT_EQ(derLength, der.value().size());
}

// Offsets are 15 bits; past the end answers 6B00; a short tail answers the rest with 6282.
TEST_F(VirtualCardTest, ReadBinaryOffsetsAndEndOfFile) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    const std::size_t size = image_->find(AppId::kJpki)->files.at(fid::kJpkiAuthCert).data.size();
    // Act
    const Bytes tail = send(readBinary(size - 10, 0x20));
    const Bytes atEnd = send(readBinary(size, 0x10));
    const Bytes farAway = send(hex("00 B0 7F FF 01"));
    const Bytes middle = send(readBinary(0x0100, 0x04));
    // Assert
    EXPECT_EQ(swOf(tail), 0x6282);
    EXPECT_EQ(dataOf(tail).size(), 10u);
    EXPECT_EQ(swOf(atEnd), 0x6B00);
    EXPECT_EQ(swOf(farAway), 0x6B00);
    EXPECT_EQ(dataOf(middle), Bytes(image_->authCertificateDer.begin() + 0x100,
                                    image_->authCertificateDer.begin() + 0x104));
}

// Le 00 means 256 bytes; a READ BINARY without Le is a wrong length.
TEST_F(VirtualCardTest, ShortLeZeroMeans256) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    EXPECT_EQ(send(readBinary(0, 0x00)).size(), 256u + 2);
    EXPECT_EQ(sw(hex("00 B0 00 00")), 0x6700);
}

// Case 2E (00 B0 P1 P2 00 HH LL) reads more than 256 bytes at once.
TEST_F(VirtualCardTest, ExtendedLeReadsLargeChunks) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    const std::size_t size = image_->find(AppId::kJpki)->files.at(fid::kJpkiAuthCert).data.size();
    // Act
    const Bytes exact = send(hex("00 B0 00 00 00 04 00"));
    const Bytes beyond = send(hex("00 B0 00 00 00 FF FF"));
    // Assert
    EXPECT_EQ(swOf(exact), 0x9000);
    EXPECT_EQ(dataOf(exact).size(), 0x400u);
    EXPECT_EQ(swOf(beyond), 0x6282);
    EXPECT_EQ(dataOf(beyond).size(), size);
}

// A card that refuses extended Le answers 6700 to it (and costs nothing); short Le still reads.
TEST_F(VirtualCardTest, ExtendedLeRefusedWhenSwitchedOff) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    EXPECT_TRUE(card_->extendedLength());
    // Act
    card_->setExtendedLength(false);
    const Bytes refused = send(hex("00 B0 00 00 00 04 00"));
    const Bytes shortRead = send(readBinary(0, 0x00));
    // Assert
    EXPECT_EQ(refused, hex("67 00"));
    EXPECT_EQ(swOf(shortRead), 0x9000);
    EXPECT_EQ(dataOf(shortRead).size(), 256u);
    EXPECT_FALSE(parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                              R"("extendedLength":false})")
                     .value()
                     .extendedLength);
}

// A card image with an answer cap gives at most that many bytes and 9000 to an extended Le (a
// card seen capping its answers); short Le reads are not affected.
TEST_F(VirtualCardTest, ExtendedAnswerCapAnswersFewerBytesWith9000) {
    auto capped = std::make_shared<CardImage>(*cardImage("normal"));
    capped->extendedAnswerCap = 256;
    image_ = capped;
    counters_ = initialCounters(*image_);
    card_ = std::make_unique<VirtualCard>(image_, counters_, log_);
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    // Act
    const Bytes extended = send(hex("00 B0 00 00 00 04 00"));
    const Bytes shortRead = send(readBinary(0, 0x80));
    // Assert
    EXPECT_EQ(swOf(extended), 0x9000);
    EXPECT_EQ(dataOf(extended).size(), 256u);
    EXPECT_EQ(swOf(shortRead), 0x9000);
    EXPECT_EQ(dataOf(shortRead).size(), 0x80u);
}

// A short-EF-id READ BINARY (P1 = 80|SFI) reads without a SELECT of the EF.
TEST_F(VirtualCardTest, ReadBySfi) {
    use("normal");
    send(selectAid(AppId::kJpki));
    const Bytes r = send(hex("00 B0 8A 00 04"));
    EXPECT_EQ(swOf(r), 0x9000);
    EXPECT_EQ(dataOf(r),
              Bytes(image_->authCertificateDer.begin(), image_->authCertificateDer.begin() + 4));
}

// EF 0006 carries the token label; EF 0008 tells which certificates exist.
TEST_F(VirtualCardTest, TokenInfoAndAvailability) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiTokenInfo)});
    const Bytes info = send(readBinary(0, 0xA0));
    run(*card_, {selectEf(fid::kJpkiAvailability)});
    const Bytes avail = send(readBinary(0, 0x03));
    // Assert
    ASSERT_EQ(swOf(info), 0x9000);
    EXPECT_EQ(std::string(info.begin(), info.begin() + 15), "JPKIAPICCTOKEN2");
    EXPECT_EQ(info[15], ' ');
    EXPECT_EQ(dataOf(avail), hex("8F 8F 00"));
}

// Without a signing certificate EF 0008 reads 00 8F 00 and EF 0001 does not exist, but the
// signing password key 001B does (Errata 7): blocked, its query 63C0, any VERIFY 6984.
TEST_F(VirtualCardTest, NoSigningCertificate) {
    use("no-signing-cert");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAvailability)});
    EXPECT_EQ(dataOf(send(readBinary(0, 0x03))), hex("00 8F 00"));
    EXPECT_EQ(sw(selectEf(fid::kJpkiSignCert)), 0x6A82);
    EXPECT_EQ(sw(selectEf(fid::kJpkiSignCa)), 0x6A82);
    EXPECT_EQ(sw(selectEf(fid::kJpkiSignKey)), 0x6A82);
    // Act
    const auto select001B = sw(selectEf(fid::kJpkiSignPassword));
    // Assert
    EXPECT_EQ(select001B, 0x9000);
    EXPECT_EQ(sw(kQuery), 0x63C0);
    EXPECT_EQ(sw(verifyApdu("ABC123")), 0x6984);
    EXPECT_EQ(sw(kQuery), 0x63C0);
}

// Every JPKI persona has 001B and a counter query on 0018 and 001B that answers 63Cx, the two
// things OpenSC's jpki driver needs to bind (Errata 7); only the named variant answers 6984.
TEST_F(VirtualCardTest, EveryJpkiCardAnswersBothCounterQueriesWith63Cx) {
    for (const char* id : {"normal", "normal-2", "normal-3", "pin-locked", "face-auth",
                           "expired-cert", "expired-grace", "renewal-due", "revoked",
                           "no-signing-cert", "smartphone", "normal-query-9000"}) {
        SCOPED_TRACE(id);
        use(id);
        run(*card_, {selectAid(AppId::kJpki)});
        for (std::uint16_t key : {fid::kJpkiAuthPin, fid::kJpkiSignPassword}) {
            EXPECT_EQ(sw(selectEf(key)), 0x9000);
            EXPECT_EQ(sw(kQuery) & 0xFFF0, 0x63C0);
        }
    }
    use("face-auth-6984");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(kQuery), 0x6984);
}

// The signing certificate needs the signing password: 6982 before, readable after.
TEST_F(VirtualCardTest, SigningCertificateNeedsPassword) {
    use("normal");
    const Persona p = persona("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiSignCert)});
    EXPECT_EQ(sw(readBinary(0, 4)), 0x6982);
    // Act
    run(*card_, {selectEf(fid::kJpkiSignPassword)});
    EXPECT_EQ(sw(verifyApdu(p.signPassword)), 0x9000);
    run(*card_, {selectEf(fid::kJpkiSignCert)});
    const Bytes head = send(readBinary(0, 4));
    // Assert
    EXPECT_EQ(swOf(head), 0x9000);
    EXPECT_EQ(head[0], 0x30);
}

// ---------------------------------------------------------------- VERIFY

// The empty VERIFY reports the tries left and never consumes one.
TEST_F(VirtualCardTest, CounterQueryConsumesNothing) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(sw(kQuery), 0x63C3);
    EXPECT_EQ(counters_.triesLeft.at({AppId::kJpki, fid::kJpkiAuthPin}), 3);
}

// Each wrong PIN costs one try; the third answers 63C0 and later VERIFYs answer 6984.
TEST_F(VirtualCardTest, ThirdWrongPinLocks) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    // Act / Assert
    EXPECT_EQ(sw(verifyApdu("9999")), 0x63C2);
    EXPECT_EQ(sw(verifyApdu("9999")), 0x63C1);
    EXPECT_EQ(sw(verifyApdu("9999")), 0x63C0);
    EXPECT_EQ(sw(verifyApdu("1234")), 0x6984);
    EXPECT_EQ(sw(kQuery), 0x63C0);
}

// A right PIN restores the counter; the query still answers 63Cx (Errata 2, 7), the state stays.
TEST_F(VirtualCardTest, RightPinRestoresCounterAndQueryStillAnswers63Cx) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(verifyApdu("0000")), 0x63C2);
    // Act
    const auto ok = sw(verifyApdu("1234"));
    // Assert
    EXPECT_EQ(ok, 0x9000);
    EXPECT_EQ(sw(kQuery), 0x63C3);
    EXPECT_TRUE(card_->isVerified(AppId::kJpki, fid::kJpkiAuthPin));
    EXPECT_EQ(counters_.triesLeft.at({AppId::kJpki, fid::kJpkiAuthPin}), 3);
}

// The named variant answers 9000 to the query once verified, 63Cx before.
TEST_F(VirtualCardTest, QueryWhenVerifiedVariantAnswers9000) {
    use("normal-query-9000");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(kQuery), 0x63C3);
    ASSERT_EQ(sw(verifyApdu("1234")), 0x9000);
    // Act
    const auto query = sw(kQuery);
    // Assert
    EXPECT_EQ(query, 0x9000);
    card_->reset();
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(kQuery), 0x63C3);
}

// A PIN of the wrong length is refused with 6700 and costs nothing.
TEST_F(VirtualCardTest, WrongLengthPinCostsNothing) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(verifyApdu("12345")), 0x6700);
    EXPECT_EQ(sw(verifyApdu("12")), 0x6700);
    EXPECT_EQ(sw(kQuery), 0x63C3);
}

// Reset (and power-off) ends the verified state; the counters stay.
TEST_F(VirtualCardTest, ResetClearsSecurityState) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin), verifyApdu("1234")});
    ASSERT_TRUE(card_->isVerified(AppId::kJpki, fid::kJpkiAuthPin));
    // Act
    card_->reset();
    // Assert
    EXPECT_FALSE(card_->isVerified(AppId::kJpki, fid::kJpkiAuthPin));
    EXPECT_EQ(sw(selectEf(fid::kJpkiAuthPin)), 0x6986);  // no current DF after reset
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(kQuery), 0x63C3);
}

// The PIN-locked persona reports 63C0 to the query and 6984 to any VERIFY.
TEST_F(VirtualCardTest, PinLockedPersona) {
    use("pin-locked");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
    EXPECT_EQ(sw(kQuery), 0x63C0);
    EXPECT_EQ(sw(verifyApdu("0000")), 0x6984);
}

// The 顔認証 card answers its query like a blocked PIN (63C0) and any VERIFY with 6984; the
// named variant answers 6984 to the query too.
TEST_F(VirtualCardTest, FaceAuthCardAnswersConfiguredStatus) {
    for (const auto& [id, query] :
         {std::pair<const char*, std::uint16_t>{"face-auth", 0x63C0}, {"face-auth-6984", 0x6984}}) {
        SCOPED_TRACE(id);
        use(id);
        run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin)});
        EXPECT_EQ(persona(id).authPin.pinlessAnswer, query);
        EXPECT_EQ(sw(kQuery), query);
        EXPECT_EQ(sw(verifyApdu("1234")), 0x6984);
        EXPECT_EQ(sw(kQuery), query);
        EXPECT_EQ(counters_.triesLeft.at({AppId::kJpki, fid::kJpkiAuthPin}), 0);
    }
}

// Two card sessions on the same counters see each other's wrong tries (state outlives removal).
TEST_F(VirtualCardTest, CountersOutliveTheSession) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin), verifyApdu("0000")});
    // Act
    VirtualCard again(image_, counters_, log_);
    const Bytes r = run(again, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin), kQuery});
    // Assert
    EXPECT_EQ(swOf(r), 0x63C2);
}

// ---------------------------------------------------------------- signatures

// The auth key signs a DigestInfo after the PIN; the signature verifies with EF 000A's key.
TEST_F(VirtualCardTest, AuthSignatureVerifiesWithCertificate) {
    use("normal");
    const Bytes message = bytesOf("challenge from the qualification service");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthPin), verifyApdu("1234"),
                 selectEf(fid::kJpkiAuthKey)});
    // Act
    const Bytes r = send(signApdu(0x80, digestInfoSha256(message)));
    // Assert
    ASSERT_EQ(swOf(r), 0x9000);
    ASSERT_EQ(dataOf(r).size(), 256u);
    auto key = publicKeyFromCertificate(image_->authCertificateDer);
    EXPECT_TRUE(verifySha256(key.get(), message, dataOf(r)));
    EXPECT_FALSE(verifySha256(key.get(), bytesOf("another message"), dataOf(r)));
}

// Without the PIN the auth key refuses (6982); an unsupported P1 answers 6A86.
TEST_F(VirtualCardTest, SignatureNeedsPinAndKnownP1) {
    use("normal");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthKey)});
    EXPECT_EQ(sw(signApdu(0x80, digestInfoSha256(bytesOf("x")))), 0x6982);
    Bytes badP1 = signApdu(0x80, digestInfoSha256(bytesOf("x")));
    badP1[2] = 0x07;
    EXPECT_EQ(sw(badP1), 0x6A86);
    EXPECT_EQ(sw(hex("80 2A 00 80")), 0x6700);
}

// GET CHALLENGE returns Le random bytes (00 = 256), remembers them, refuses the extended form.
TEST_F(VirtualCardTest, GetChallenge) {
    use("normal");
    const Bytes r = send(hex("00 84 00 00 10"));
    ASSERT_EQ(swOf(r), 0x9000);
    EXPECT_EQ(dataOf(r).size(), 16u);
    EXPECT_EQ(Bytes(card_->lastChallenge().begin(), card_->lastChallenge().end()), dataOf(r));
    EXPECT_EQ(send(hex("00 84 00 00 00")).size(), 258u);
    EXPECT_NE(dataOf(send(hex("00 84 00 00 10"))), dataOf(r));
    EXPECT_EQ(sw(hex("00 84 00 00 00 00 10")), 0x6985);
    EXPECT_EQ(sw(hex("00 84 01 00 10")), 0x6A86);
    EXPECT_EQ(sw(hex("00 84 00 00")), 0x6700);
}

// 券面AP internal authentication: no credential needed, verifies with DF24 of EF 0002.
TEST_F(VirtualCardTest, InternalAuthenticationVerifiesWithDf24) {
    use("normal");
    const auto face = faceChildren(readKenmenFace());
    ASSERT_EQ(face.count(0xDF24), 1u);
    const auto pub = children(face.at(0xDF24).value);
    auto cardKey = rsaPublicKey(pub.at(0x91).value, pub.at(0x90).value);
    card_->reset();
    send(selectAid(AppId::kKenmen));
    const Bytes challenge = dataOf(send(hex("00 84 00 00 10")));
    // Act
    const Bytes r = send(signApdu(0x00, digestInfoSha256(challenge)));
    // Assert
    ASSERT_EQ(swOf(r), 0x9000);
    EXPECT_TRUE(verifySha256(cardKey.get(), challenge, dataOf(r)));
}

// wrong-card-key (a clone): internal authentication no longer verifies with DF24, while the
// photo (EF 0002 and its DF28) is unchanged.
TEST_F(VirtualCardTest, FaultWrongCardKey) {
    use("normal");
    const Bytes before = readKenmenFace();
    const auto pub = children(faceChildren(before).at(0xDF24).value);
    auto cardKey = rsaPublicKey(pub.at(0x91).value, pub.at(0x90).value);
    card_->setFault(parseFault("wrong-card-key", "").value());
    card_->reset();
    EXPECT_EQ(readKenmenFace(), before);
    const Bytes challenge = dataOf(send(hex("00 84 00 00 10")));
    // Act
    const Bytes r = send(signApdu(0x00, digestInfoSha256(challenge)));
    // Assert
    ASSERT_EQ(swOf(r), 0x9000);
    ASSERT_EQ(dataOf(r).size(), 256u);
    EXPECT_FALSE(verifySha256(cardKey.get(), challenge, dataOf(r)));
    card_->setFault({});
    EXPECT_TRUE(verifySha256(cardKey.get(), challenge,
                             dataOf(send(signApdu(0x00, digestInfoSha256(challenge))))));
}

// ---------------------------------------------------------------- 券面AP

// EF 0002 needs 照合番号B; a wrong number costs exactly one try.
TEST_F(VirtualCardTest, KenmenFaceNeedsVerificationB) {
    use("normal");
    run(*card_, {selectAid(AppId::kKenmen), selectEf(fid::kKenmenFace)});
    EXPECT_EQ(sw(readBinary(0, 8)), 0x6982);
    run(*card_, {selectEf(fid::kKenmenVerificationB)});
    EXPECT_EQ(sw(kQuery), 0x63CA);
    // Act
    EXPECT_EQ(sw(verifyApdu("55021720352286")), 0x63C9);
    EXPECT_EQ(sw(verifyApdu("55021720352285")), 0x9000);
    run(*card_, {selectEf(fid::kKenmenFace)});
    // Assert
    EXPECT_EQ(dataOf(send(readBinary(0, 2))), hex("FF 20"));
}

// DF28 verifies per Errata 1: EF 0004 with the CV-CA key, then DF28 with the key in EF 0004
// over the three SHA-256 digests of the whole DF22-24, DF25-26 and DF27 TLVs.
TEST_F(VirtualCardTest, KenmenPhotoSignatureVerifiesPerErrata1) {
    use("normal");
    const Bytes file = readKenmenFace();
    const auto face = faceChildren(file);
    run(*card_, {selectEf(fid::kKenmenCvCert)});
    const Bytes cvFile = readAll();
    // EF 0004 (Errata 6): 7F21 { 5F4E 297-byte body, 5F37 signature over the body's value }.
    const auto cv = readTlv(cvFile, 0);
    ASSERT_TRUE(cv && cv->tag == 0x7F21);
    const auto cvParts = children(cv->value);
    auto cvca = publicKeyFromPem(pkiDir() / "kenmen-cvca.pub.pem");
    const Bytes& body = cvParts.at(0x5F4E).value;
    ASSERT_EQ(body.size(), 297u);
    ASSERT_TRUE(verifySha256(cvca.get(), body, cvParts.at(0x5F37).value));
    EXPECT_EQ(std::string(body.begin(), body.begin() + 7), "6000023");
    // 90 03 <e> at 32, 91 82 01 00 <modulus> at 37.
    ASSERT_EQ(Bytes(body.begin() + 32, body.begin() + 34), hex("90 03"));
    ASSERT_EQ(Bytes(body.begin() + 37, body.begin() + 41), hex("91 82 01 00"));
    auto issuer = rsaPublicKey(ByteView(body).subspan(41, 256), ByteView(body).subspan(34, 3));
    // Expected DigestInfo, with each TLV located through the DF21 offset table.
    const Bytes& offsets = face.at(0xDF21).value;
    ASSERT_EQ(offsets.size(), 18u);
    std::map<std::uint16_t, Bytes> byOffset;
    for (std::size_t i = 0; i < 9; ++i) {
        const std::size_t at = (std::size_t{offsets[2 * i]} << 8) | offsets[2 * i + 1];
        const auto t = readTlv(file, at);
        ASSERT_TRUE(t.has_value());
        EXPECT_EQ(t->tag, 0xDF22 + i);
        byOffset[t->tag] = t->whole;
    }
    auto concat = [&](std::initializer_list<std::uint16_t> tags) {
        Bytes out;
        for (auto tag : tags)
            out.insert(out.end(), byOffset[tag].begin(), byOffset[tag].end());
        return out;
    };
    Bytes expected(std::begin(kTripleSha256DigestInfoPrefix),
                   std::end(kTripleSha256DigestInfoPrefix));
    for (const Bytes& part : {sha256(concat({0xDF22, 0xDF23, 0xDF24})),
                              sha256(concat({0xDF25, 0xDF26})), sha256(concat({0xDF27}))})
        expected.insert(expected.end(), part.begin(), part.end());
    // Act
    const Bytes recovered = recoverPkcs1(issuer.get(), face.at(0xDF28).value);
    // Assert
    EXPECT_EQ(recovered, expected);
    const Bytes jp2Magic = hex("00 00 00 0C 6A 50 20 20 0D 0A 87 0A");
    EXPECT_TRUE(std::equal(jp2Magic.begin(), jp2Magic.end(), face.at(0xDF27).value.begin()));
    EXPECT_EQ(face.at(0xDF22).value, bytesOf("19800217"));
    EXPECT_EQ(face.at(0xDF29).value, bytesOf("20350217"));
}

// ---------------------------------------------------------------- privacy accounting

// The normal flows (JPKI, 券面AP 0002) touch nothing forbidden; every SELECT is recorded.
TEST_F(VirtualCardTest, NormalFlowIsNotForbidden) {
    use("normal");
    readKenmenFace();
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    EXPECT_EQ(log_.forbidden, 0u);
    EXPECT_EQ(log_.selects, (std::vector<std::string>{"KENMEN", "KENMEN:0012", "KENMEN:0002",
                                                      "JPKI", "JPKI:000A"}));
}

// 入力補助AP, 券面AP 0005 and 照合番号A (0013) are counted, and 0005 is never served.
TEST_F(VirtualCardTest, ForbiddenAccessesAreCounted) {
    use("normal");
    EXPECT_EQ(sw(selectAid(AppId::kTextAssist)), 0x9000);
    EXPECT_EQ(log_.forbidden, 1u);
    EXPECT_EQ(sw(selectEf(0x0001)), 0x9000);
    EXPECT_EQ(sw(readBinary(0, 0x11)), 0x6982);
    EXPECT_EQ(log_.forbidden, 3u);
    send(selectAid(AppId::kKenmen));
    EXPECT_EQ(sw(selectEf(fid::kKenmenMyNumberImage)), 0x9000);
    EXPECT_EQ(sw(readBinary(0, 0x10)), 0x6982);
    EXPECT_EQ(log_.forbidden, 5u);
    send(selectEf(fid::kKenmenVerificationA));
    EXPECT_EQ(sw(verifyApdu("123456789012")), 0x63C9);
    EXPECT_EQ(log_.forbidden, 7u);
}

// ---------------------------------------------------------------- other card classes

// A smartphone token: label JPKIAPGPSETOKEN, auth cert behind the PIN, no 券面AP.
TEST_F(VirtualCardTest, SmartphoneToken) {
    use("smartphone");
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiTokenInfo)});
    const Bytes info = send(readBinary(0, 0x20));
    EXPECT_EQ(std::string(info.begin(), info.begin() + 15), "JPKIAPGPSETOKEN");
    run(*card_, {selectEf(fid::kJpkiAuthCert)});
    EXPECT_EQ(sw(readBinary(0, 4)), 0x6982);
    run(*card_, {selectEf(fid::kJpkiAuthPin), verifyApdu("4321"), selectEf(fid::kJpkiAuthCert)});
    EXPECT_EQ(sw(readBinary(0, 4)), 0x9000);
    EXPECT_EQ(sw(selectAid(AppId::kKenmen)), 0x6A82);
}

// A card that is not a My Number Card answers 6A82 to the JPKI AID and has no JPKI ATR (OpenSC's
// jpki driver binds by ATR alone); JPKI cards have the My Number Card's.
TEST_F(VirtualCardTest, NotMyNumberCard) {
    use("not-mynumber");
    EXPECT_EQ(sw(selectAid(AppId::kJpki)), 0x6A82);
    EXPECT_EQ(sw(selectAid(AppId::kKenmen)), 0x6A82);
    EXPECT_EQ(image_->atr, hex("3B 8F 80 01 80 4F 0C A0 00 00 03 06 11 00 3B 00 00 00 00 42"));
    EXPECT_EQ(cardImage("normal")->atr, hex("3B E0 00 FF 81 31 FE 45 14"));
    EXPECT_EQ(cardImage("smartphone")->atr, hex("3B E0 00 FF 81 31 FE 45 14"));
}

// Unknown INS answers 6D00, a wrong CLA 6E00, a malformed APDU 6700; never an empty answer.
TEST_F(VirtualCardTest, UnknownCommands) {
    use("normal");
    EXPECT_EQ(sw(hex("00 CA 5F 51 00")), 0x6D00);
    EXPECT_EQ(sw(hex("80 B0 00 00 04")), 0x6E00);
    EXPECT_EQ(sw(hex("A0 A4 04 0C 01 00")), 0x6E00);
    EXPECT_EQ(sw(hex("00 A4 04 0C 05 D3 92")), 0x6700);
    EXPECT_EQ(sw(hex("00 A4")), 0x6700);
}

// ---------------------------------------------------------------- faults

// remove-after-apdus N answers N APDUs, then pulls the card instead of answering.
TEST_F(VirtualCardTest, FaultRemoveAfterApdus) {
    use("normal");
    card_->setFault(parseFault("remove-after-apdus", "2").value());
    EXPECT_FALSE(card_->transmit(selectAid(AppId::kJpki)).pullCard);
    EXPECT_FALSE(card_->transmit(selectEf(fid::kJpkiAuthCert)).pullCard);
    const CardReply third = card_->transmit(readBinary(0, 0));
    EXPECT_TRUE(third.pullCard);
    EXPECT_TRUE(third.response.empty());
}

// truncated-cert: EF 000A is shorter than its DER header says.
TEST_F(VirtualCardTest, FaultTruncatedCertificate) {
    use("normal");
    card_->setFault({FaultMode::kTruncatedCert, 0});
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    const Bytes file = readAll();
    ASSERT_GE(file.size(), 4u);
    EXPECT_LT(file.size(), (std::size_t{file[2]} << 8 | file[3]) + 4);
}

// bad-certificate: EF 000A still parses but its issuer signature fails.
TEST_F(VirtualCardTest, FaultBadCertificate) {
    use("normal");
    card_->setFault({FaultMode::kBadCertificate, 0});
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    const Bytes file = readAll();
    const unsigned char* p = file.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(file.size()));
    ASSERT_NE(cert, nullptr);
    const auto caDer = loadCertificateDer(pkiDir() / "jpki-auth-ca.pem");
    auto caKey = publicKeyFromCertificate(caDer.value());
    EXPECT_NE(X509_verify(cert, caKey.get()), 1);
    X509_free(cert);
}

// wrong-length: READ BINARY answers 16 bytes more than asked.
TEST_F(VirtualCardTest, FaultWrongLength) {
    use("normal");
    card_->setFault({FaultMode::kWrongLength, 0});
    run(*card_, {selectAid(AppId::kJpki), selectEf(fid::kJpkiAuthCert)});
    EXPECT_EQ(dataOf(send(readBinary(0, 0x10))).size(), 0x20u);
}

// oversized-tlv: EF 0002's FF20 length runs past the end of the file.
TEST_F(VirtualCardTest, FaultOversizedTlv) {
    use("normal");
    card_->setFault({FaultMode::kOversizedTlv, 0});
    const Bytes file = readKenmenFace();
    ASSERT_GE(file.size(), 5u);
    EXPECT_GT((std::size_t{file[3]} << 8 | file[4]) + 5, file.size());
}

// corrupt-jp2: DF27 is garbage, yet DF28 verifies (the signature cannot catch it).
TEST_F(VirtualCardTest, FaultCorruptJp2IsResigned) {
    use("normal");
    card_->setFault({FaultMode::kCorruptJp2, 0});
    const auto face = faceChildren(readKenmenFace());
    const Bytes magic = hex("00 00 00 0C 6A 50 20 20");
    EXPECT_FALSE(std::equal(magic.begin(), magic.end(), face.at(0xDF27).value.begin()));
    auto issuer = publicKeyFromPem(pkiDir() / "kenmen-issuer.pub.pem");
    const Bytes recovered = recoverPkcs1(issuer.get(), face.at(0xDF28).value);
    ASSERT_EQ(recovered.size(), 19u + 96u);
    const Bytes photoHash = sha256(face.at(0xDF27).whole);
    EXPECT_TRUE(std::equal(photoHash.begin(), photoHash.end(), recovered.begin() + 19 + 64));
}

// bad-photo-signature: DF28 no longer verifies with the issuer key.
TEST_F(VirtualCardTest, FaultBadPhotoSignature) {
    use("normal");
    card_->setFault({FaultMode::kBadPhotoSignature, 0});
    const auto face = faceChildren(readKenmenFace());
    auto issuer = publicKeyFromPem(pkiDir() / "kenmen-issuer.pub.pem");
    EXPECT_TRUE(recoverPkcs1(issuer.get(), face.at(0xDF28).value).empty());
}

// random-sw and garbage answer every APDU with something non-empty that is not the real answer.
TEST_F(VirtualCardTest, FaultRandomAnswersAreNeverEmpty) {
    use("normal");
    card_->setFault(parseFault("random-sw", "7").value());
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(send(selectAid(AppId::kJpki)).size(), 2u);
    card_->setFault(parseFault("garbage", "").value());
    std::set<std::size_t> sizes;
    for (int i = 0; i < 50; ++i) {
        const Bytes r = send(selectAid(AppId::kJpki));
        EXPECT_FALSE(r.empty());
        sizes.insert(r.size());
    }
    EXPECT_GT(sizes.size(), 10u);
    card_->setFault({});
    EXPECT_EQ(sw(selectAid(AppId::kJpki)), 0x9000);
}

}  // namespace
}  // namespace uketsuke::sim::test
