// Issue 16, "attestations bound to evidence": a face or 目視 attestation carries the card's own
// answer to the service's challenge (券面AP DF24 over the challenge and the card's nonce, with EF
// 0004 and DF28 proving DF24 is the card's certified key). The terminal's card layer (CardService)
// talks to the virtual card in-process; the reference service checks the answer with its own
// parser (sim/qualification/card_presence_check.cpp). The forged attestation of the issue — the
// terminal's key and a card's public certificate, no card — is refused.
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "card/card_service.h"
#include "sim/card_image.h"
#include "sim/persona.h"
#include "sim/qualification/card_presence_check.h"
#include "sim/virtual_card.h"
#include "tests/unit/card/virtual_card_channel.h"
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::IdentityMethod;
using terminal::QualificationValidity;

using card::test::VirtualCardChannel;  // the virtual card in-process (no pcscd)

struct PlacedCard {
    std::unique_ptr<VirtualCardChannel> channel;
    std::unique_ptr<card::CardService> service;
    card::VerifiedPhoto photo;
};

class CardPresenceTest : public QualificationServiceTest {
  protected:
    void SetUp() override {
        QualificationServiceTest::SetUp();
        if (IsSkipped())
            return;
        ASSERT_TRUE(fs::exists(cvcaFile())) << cvcaFile() << " (build test_pki)";
        startWith(sim::CardPresencePolicy::kAll);
    }

    static fs::path cvcaFile() { return pkiDir() / "kenmen-cvca.pub.pem"; }

    void startWith(sim::CardPresencePolicy policy) {
        sim::ServiceConfig config;
        config.cardPresence = policy;
        std::FILE* f = std::fopen(cvcaFile().c_str(), "rb");
        ASSERT_NE(f, nullptr);
        config.kenmenCvcaKey.reset(PEM_read_PUBKEY(f, nullptr, nullptr, nullptr), EVP_PKEY_free);
        std::fclose(f);
        ASSERT_TRUE(config.kenmenCvcaKey);
        startService(sim::InsuredDatabase::load(insuredFile().string()), config);
    }

    // The persona's card in the reader, its chip photo read with 照合番号B (as the face path does).
    static PlacedCard place(const std::string& persona) {
        auto p = sim::loadPersona(fs::path(UKETSUKE_SOURCE_DIR) / "sim" / "personas" /
                                  (persona + ".json"));
        EXPECT_TRUE(p.ok());
        auto image = sim::buildCardImage(p.value(), pkiDir());
        EXPECT_TRUE(image.ok());
        PlacedCard placed;
        placed.channel = std::make_unique<VirtualCardChannel>(
            std::make_shared<const sim::CardImage>(std::move(image).takeValue()));
        card::CardServiceConfig config;
        config.kenmenCvcaPublicKey = cvcaFile();
        config.rejectTestIssuer = false;
        placed.service = std::make_unique<card::CardService>(*placed.channel, config);
        auto photo =
            placed.service->readVerifiedPhoto(SecretBytes(sim::verificationNumberB(p.value())));
        EXPECT_TRUE(photo) << (photo ? "" : photo.error().toString());
        if (photo)
            placed.photo = std::move(photo).takeValue();
        return placed;
    }

    terminal::ConfirmRequest request(const terminal::Challenge& challenge, IdentityMethod method,
                                     const std::string& certificateOf,
                                     std::optional<terminal::CardPresence> card) const {
        terminal::AttestationInput in;
        in.challenge = challenge.bytes;
        in.method = method;
        in.authCertificateDer = personaCertificateDer(certificateOf);
        if (method == IdentityMethod::kFace)
            in.face = terminal::FaceCheck{0.30, 0.40};
        else
            in.staff = terminal::StaffCheck{"S001"};
        in.card = std::move(card);
        in.time = std::time(nullptr);
        auto att = signer().sign(in);
        EXPECT_TRUE(att);
        return terminal::ConfirmRequest{challenge, in.authCertificateDer, method, {}, att.value()};
    }

    static std::optional<terminal::CardPresence> answer(PlacedCard& card,
                                                        const terminal::Challenge& challenge) {
        auto a = card.service->answerCardChallenge(challenge.bytes);
        EXPECT_TRUE(a) << (a ? "" : a.error().toString());
        if (!a)
            return std::nullopt;
        return terminal::CardPresence{card.photo.evidence, std::move(a).takeValue()};
    }
};

// The face and the 目視 paths with the card in the reader: the card's answer verifies, confirmed.
TEST_F(CardPresenceTest, FaceAndStaffWithTheCardsAnswerConfirm) {
    REQUIRE_PERSONA("face-auth");
    PlacedCard card = place("face-auth");
    ASSERT_FALSE(card.photo.evidence.cvCertificate.empty());
    for (IdentityMethod method : {IdentityMethod::kFace, IdentityMethod::kStaff}) {
        QualificationClient c = client();
        auto challenge = c.requestChallenge();
        ASSERT_TRUE(challenge);
        auto result = c.confirm(
            request(challenge.value(), method, "face-auth", answer(card, challenge.value())));
        ASSERT_TRUE(result) << result.error().message();
        EXPECT_EQ(result.value().validity, QualificationValidity::kValid);
    }
}

// The forged attestation of issue 16: the terminal's key and the card's public certificate, no
// card. Refused for face and (policy "all") for 目視; under "face" a 目視 without it still passes.
TEST_F(CardPresenceTest, AttestationWithoutTheCardIsRefused) {
    REQUIRE_PERSONA("face-auth");
    for (IdentityMethod method : {IdentityMethod::kFace, IdentityMethod::kStaff}) {
        QualificationClient c = client();
        auto challenge = c.requestChallenge();
        ASSERT_TRUE(challenge);
        auto result = c.confirm(request(challenge.value(), method, "face-auth", std::nullopt));
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, QualificationErrorCode::kRefused);
        EXPECT_NE(result.error().message().find("card presence"), std::string::npos)
            << result.error().message();
    }
    startWith(sim::CardPresencePolicy::kFace);
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    EXPECT_TRUE(
        c.confirm(request(challenge.value(), IdentityMethod::kStaff, "face-auth", std::nullopt)));
    challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    EXPECT_FALSE(
        c.confirm(request(challenge.value(), IdentityMethod::kFace, "face-auth", std::nullopt)));
}

// A recorded answer (an earlier session's) does not answer a new challenge.
TEST_F(CardPresenceTest, AnswerToAnotherChallengeIsRefused) {
    REQUIRE_PERSONA("face-auth");
    PlacedCard card = place("face-auth");
    QualificationClient c = client();
    auto first = c.requestChallenge();
    auto second = c.requestChallenge();
    ASSERT_TRUE(first && second);
    auto recorded = answer(card, first.value());
    auto result = c.confirm(request(second.value(), IdentityMethod::kFace, "face-auth", recorded));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message().find("does not verify with DF24"), std::string::npos)
        << result.error().message();
}

// Someone else's real card in the reader with the patient's certificate: the card's certified
// birth date is not the certificate holder's.
TEST_F(CardPresenceTest, AnotherPersonsCardIsRefused) {
    REQUIRE_PERSONA("face-auth");
    REQUIRE_PERSONA("normal");
    PlacedCard other = place("normal");
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto result = c.confirm(request(challenge.value(), IdentityMethod::kFace, "face-auth",
                                    answer(other, challenge.value())));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message().find("not this certificate's holder's"), std::string::npos)
        << result.error().message();
}

// Evidence edited on the way (another card key spliced into the signed fields, a flipped bit of
// EF 0004): each check of the service catches its part.
TEST_F(CardPresenceTest, TamperedEvidenceIsRefused) {
    REQUIRE_PERSONA("face-auth");
    REQUIRE_PERSONA("normal");
    PlacedCard card = place("face-auth");
    PlacedCard other = place("normal");
    auto tryWith = [&](auto edit) {
        QualificationClient c = client();
        auto challenge = c.requestChallenge();
        EXPECT_TRUE(challenge);
        auto presence = answer(card, challenge.value());
        edit(*presence);
        auto result =
            c.confirm(request(challenge.value(), IdentityMethod::kFace, "face-auth", presence));
        EXPECT_FALSE(result);
        return result ? std::string() : result.error().message();
    };
    EXPECT_NE(tryWith([&](terminal::CardPresence& p) {
                  p.evidence.signedFields = other.photo.evidence.signedFields;
              }).find("not the ones DF28 covers"),
              std::string::npos);
    EXPECT_NE(tryWith([](terminal::CardPresence& p) {
                  p.evidence.cvCertificate[40] ^= 0x01;
              }).find("EF 0004"),
              std::string::npos);
    EXPECT_NE(tryWith([](terminal::CardPresence& p) {
                  p.evidence.faceSignature[7] ^= 0x01;
              }).find("DF28"),
              std::string::npos);
}

// The service's own parser against the independent encoder's golden card files: EF 0004 and the
// DF28 chain of ../shared/golden/card verify up to the card's answer (which no file holds), and
// the tampered EF 0002 fails at DF28.
TEST(CardPresenceGoldenTest, ServiceParserAgreesWithTheGoldenCard) {
    const fs::path golden = fs::path(UKETSUKE_SHARED_DIR) / "golden" / "card";
    if (!fs::exists(golden / "ef0002.bin"))
        GTEST_SKIP() << "golden card files absent: " << golden;
    auto read = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    std::FILE* f = std::fopen((golden / "cvca.pub.pem").c_str(), "rb");
    ASSERT_NE(f, nullptr);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> cvca(
        PEM_read_PUBKEY(f, nullptr, nullptr, nullptr), EVP_PKEY_free);
    std::fclose(f);
    ASSERT_TRUE(cvca);
    auto check = [&](const std::string& ef0002, const std::string& ef0004) {
        auto face = card::parseCardFace(read(golden / ef0002));
        EXPECT_TRUE(face) << (face ? "" : face.error().toString());
        if (!face)
            return std::string("unparsable");
        sim::CardPresenceInput in;
        in.challenge = Bytes(32, 0x11);
        in.cvCertificate = read(golden / ef0004);
        in.signedFields = face->signedFields;
        in.signedDigests = face->signedDigests;
        in.faceSignature = face->signature;
        in.cardNonce = Bytes(16, 0x22);
        in.answer = Bytes(256, 0x33);
        auto r = sim::checkCardPresence(in, cvca.get());
        EXPECT_FALSE(r);
        return r ? std::string() : r.error();
    };
    EXPECT_NE(check("ef0002.bin", "ef0004.bin").find("answer does not verify with DF24"),
              std::string::npos);
    EXPECT_NE(check("ef0002-tampered.bin", "ef0004.bin").find("DF28"), std::string::npos);
    EXPECT_NE(check("ef0002.bin", "ef0004-badsig.bin").find("EF 0004"), std::string::npos);
}

}  // namespace
}  // namespace uketsuke::testing
