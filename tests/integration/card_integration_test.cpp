// Card layer against real pcscd + vpcd + the virtual card (sim/README.md contract), started by
// the card_services CTest fixture. Each test inserts its persona through the control socket and
// restores counters afterwards; the forbidden-access count must stay 0 throughout.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "card/card_service.h"
#include "card/certificate.h"
#include "card/status_word.h"
#include "card/verification_number_b.h"
#include "vcard_control.h"

namespace uketsuke::card {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

const fs::path kBuild = UKETSUKE_BUILD_DIR;

std::string readerName() {
    const char* port = std::getenv("UKETSUKE_VPCD_PORT");
    return (port && std::string(port) == "35964") ? "Virtual PCD 00 01" : "Virtual PCD 00 00";
}

nlohmann::json persona(const std::string& id) {
    std::ifstream in(kBuild / "sim" / "personas" / (id + ".json"));
    return nlohmann::json::parse(in, nullptr, false);
}

// 照合番号B from the persona's card face.
SecretBytes numberB(const std::string& id) {
    const auto k = persona(id).at("kenmen");
    const std::string birth = k.at("birthDate");
    const auto date =
        parseIsoDate(birth.substr(0, 4) + "-" + birth.substr(4, 2) + "-" + birth.substr(6, 2));
    const std::string expiry = k.at("cardExpiry");
    auto b = buildVerificationNumberB(*date, std::stoi(expiry.substr(0, 4)),
                                      k.at("securityCode").get<std::string>());
    return std::move(b).takeValue();
}

class CardIntegration : public ::testing::Test {
  protected:
    // Not in SetUpTestSuite: a failed assertion there makes GoogleTest report the tests as
    // skipped, and CTest would count a missing virtual card as a pass.
    void SetUp() override {
        ASSERT_TRUE(control.ok("status"))
            << "virtual card control socket " << control.path()
            << " does not answer: is the card_services fixture running?";
    }

    void TearDown() override {
        if (!control.ok("status"))
            return;
        control.request("fault none");
        control.request("delay-ms 0");
        insert("normal");
        EXPECT_EQ(control.forbiddenCount(), 0) << "a flow touched My Number files";
    }

    // Inserts `id` with fresh counters and waits until pcscd has seen the old card leave and
    // the new one arrive (pcscd polls vpcd: a swap it does not notice would leave it talking to
    // an unpowered card).
    void insert(const std::string& id) {
        auto ctx = PcscContext::establish();
        ASSERT_TRUE(ctx.ok()) << ctx.error().toString();
        ASSERT_TRUE(control.ok("remove"));
        auto gone = (*ctx)->waitForRemoval(readerName(), 10000);
        ASSERT_TRUE(gone.ok()) << gone.error().toString();
        ASSERT_TRUE(control.ok("insert " + id)) << control.request("status");
        ASSERT_TRUE(control.ok("reset-state " + id));
        auto r = (*ctx)->waitForCard(readerName(), 10000);
        ASSERT_TRUE(r.ok()) << r.error().toString();
    }

    CardServiceConfig config() const {
        CardServiceConfig c;
        c.reader = readerName();
        c.trustStore = kBuild / "pki" / "jpki-auth-root.pem";
        c.kenmenCvcaPublicKey = kBuild / "pki" / "kenmen-cvca.pub.pem";
        c.rejectTestIssuer = false;
        c.waitForCardMs = 10000;
        return c;
    }

    std::unique_ptr<CardService> open() {
        auto s = CardService::open(config());
        EXPECT_TRUE(s.ok()) << s.error().toString();
        return s.ok() ? std::move(s).takeValue() : nullptr;
    }

    static inline testing::VcardControl control{(kBuild / "run" / "vcard.sock").string()};
};

// Reading the info and querying both counters several times changes neither counter.
TEST_F(CardIntegration, QueryingCountersNeverChangesThem) {
    insert("normal");
    const int pinBefore = control.statusInt("auth_pin_tries");
    const int bBefore = control.statusInt("kenmen_b_tries");
    ASSERT_GT(pinBefore, 0);
    auto service = open();
    ASSERT_TRUE(service);
    for (int i = 0; i < 3; ++i) {
        auto info = service->readInfo();
        ASSERT_TRUE(info.ok()) << info.error().toString();
        EXPECT_EQ(info->authPin->triesLeft, pinBefore);
        EXPECT_EQ(info->verificationNumberB->triesLeft, bBefore);
    }
    EXPECT_EQ(control.statusInt("auth_pin_tries"), pinBefore);
    EXPECT_EQ(control.statusInt("kenmen_b_tries"), bBefore);
}

// Three wrong PINs lock the auth PIN; a later raw VERIFY answers 6984 and the service refuses.
TEST_F(CardIntegration, ThirdWrongPinLocks) {
    insert("normal");
    auto service = open();
    ASSERT_TRUE(service);
    auto first = service->verifyAuthPin(SecretBytes("9990"));
    ASSERT_EQ(first.error().code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(first.error().triesLeft, 2);
    auto second = service->verifyAuthPin(SecretBytes("9991"));
    ASSERT_EQ(second.error().code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(second.error().triesLeft, 1);
    // The policy refuses the last try unless it is confirmed.
    EXPECT_EQ(service->verifyAuthPin(SecretBytes("9992")).error().code,
              CardErrorCode::kTriesTooLow);
    auto third = service->verifyAuthPin(SecretBytes("9992"), LastTry::kConfirmed);
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, CardErrorCode::kBlocked);
    EXPECT_EQ(control.statusInt("auth_pin_tries"), 0);
    EXPECT_EQ(service->verifyAuthPin(SecretBytes("1234"), LastTry::kConfirmed).error().code,
              CardErrorCode::kBlocked);

    // Raw VERIFY with the right PIN, bypassing the policy: the card itself answers 6984.
    auto ctx = PcscContext::establish();
    service.reset();
    auto card = (*ctx)->connect(readerName());
    ASSERT_TRUE(card.ok()) << card.error().toString();
    Iso7816 iso(**card);
    ASSERT_TRUE(iso.selectAid(kJpkiAid).ok());
    ASSERT_TRUE(iso.selectEf(0x0018).ok());
    auto raw =
        iso.transceive(CommandApdu{0x00, 0x20, 0x00, 0x80, bytesOf("1234"), std::nullopt, false});
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw->sw, 0x6984);
    EXPECT_EQ(decodeStatusWord(CardCommand::kVerifyQuery, raw->sw).cls, SwClass::kBlocked);
}

// After the PIN, the card's auth-key signature verifies with OpenSSL against the certificate.
TEST_F(CardIntegration, CardSignatureVerifiesWithCertificate) {
    insert("normal");
    auto service = open();
    ASSERT_TRUE(service);
    auto info = service->readInfo();
    ASSERT_TRUE(info.ok());
    const std::string pin = persona("normal").at("authPin").at("value");
    ASSERT_TRUE(service->verifyAuthPin(SecretBytes(pin)).ok());
    const Bytes message = bytesOf("challenge 2026-11-26 from the qualification service");
    auto sig = service->signAuthDigest(sha256(message));
    ASSERT_TRUE(sig.ok()) << sig.error().toString();
    auto cert = Certificate::fromDer(info->authCertificate);
    ASSERT_TRUE(cert.ok());
    EXPECT_TRUE(cert->verifySignature(message, *sig));
    EXPECT_FALSE(cert->verifySignature(bytesOf("another message"), *sig));
}

// A wrong 照合番号B costs exactly one try.
TEST_F(CardIntegration, WrongVerificationNumberBCostsExactlyOneTry) {
    insert("normal");
    const int before = control.statusInt("kenmen_b_tries");
    const int textBefore = control.statusInt("text_b_tries");
    auto service = open();
    ASSERT_TRUE(service);
    auto r = service->readVerifiedPhoto(SecretBytes("55021720359999"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kWrongCredential);
    EXPECT_EQ(r.error().triesLeft, before - 1);
    EXPECT_EQ(control.statusInt("kenmen_b_tries"), before - 1);
    EXPECT_EQ(control.statusInt("text_b_tries"), textBefore);  // 入力補助AP untouched
}

// The verified photo of the normal persona is its chip photo, signature and challenge checked.
TEST_F(CardIntegration, VerifiedPhoto) {
    insert("normal");
    auto service = open();
    ASSERT_TRUE(service);
    auto photo = service->readVerifiedPhoto(numberB("normal"));
    ASSERT_TRUE(photo.ok()) << photo.error().toString();
    EXPECT_EQ(photo->birthDate, "19800217");
    EXPECT_EQ(photo->info.components, 1);
    std::ifstream in(kBuild / "pki" / "personas" / "normal" / "photo.jp2", std::ios::binary);
    const Bytes expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(photo->jp2, expected);
}

// The card pulled out mid-read gives a Canceled card-removed result: the reader reports the
// removal (SCARD_W_REMOVED_CARD) or an empty answer, and PcscCard::transmit asks whether the card
// is still there before calling anything a transport error.
TEST_F(CardIntegration, CardPulledMidRead) {
    insert("normal");
    auto service = open();
    ASSERT_TRUE(service);
    ASSERT_TRUE(control.ok("fault remove-after-apdus 6"));
    auto info = service->readInfo();
    ASSERT_FALSE(info.ok());
    EXPECT_TRUE(info.canceled()) << info.error().toString();
    EXPECT_EQ(info.error().code, CardErrorCode::kCardRemoved) << info.error().toString();
}

struct FaultCase {
    const char* mode;
    bool photoFlow;  // the fault shows in the photo flow (else in readInfo/certificate check)
    std::vector<CardErrorCode> expected;
};

// Each fault mode of the virtual card gives the typed error it should.
TEST_F(CardIntegration, EachFaultModeGivesTypedError) {
    const std::vector<FaultCase> cases{
        {"truncated-cert",
         false,
         {CardErrorCode::kMalformedTlv, CardErrorCode::kMalformedCertificate}},
        {"wrong-length", false, {CardErrorCode::kWrongLength}},
        {"bad-certificate",
         false,
         {CardErrorCode::kCertificateUntrusted, CardErrorCode::kMalformedCertificate}},
        {"oversized-tlv", true, {CardErrorCode::kMalformedTlv, CardErrorCode::kFileTooLarge}},
        {"corrupt-jp2", true, {CardErrorCode::kMalformedPhoto}},
        {"bad-photo-signature", true, {CardErrorCode::kPhotoSignatureInvalid}},
        {"random-sw", false, {}},
        {"garbage", false, {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.mode);
        insert("normal");
        auto service = open();
        ASSERT_TRUE(service);
        ASSERT_TRUE(control.ok(std::string("fault ") + c.mode))
            << control.request(std::string("fault ") + c.mode);
        const auto start = steady_clock::now();
        std::optional<CardError> error;
        if (c.photoFlow) {
            auto r = service->readVerifiedPhoto(numberB("normal"));
            if (!r.ok())
                error = r.error();
        } else {
            auto info = service->readInfo();
            if (!info.ok()) {
                error = info.error();
            } else {
                auto check = service->checkAuthCertificate(*info, system_clock::now());
                if (!check.ok())
                    error = check.error();
            }
        }
        ASSERT_TRUE(error.has_value()) << "no error under fault";
        EXPECT_LT(steady_clock::now() - start, seconds{20}) << "took too long";
        if (!c.expected.empty()) {
            EXPECT_NE(std::find(c.expected.begin(), c.expected.end(), error->code),
                      c.expected.end())
                << error->toString();
        }
        service.reset();
        control.request("fault none");
        control.request("reset-state normal");
    }
}

// Every persona is classified right, and its certificate state is the persona's.
TEST_F(CardIntegration, PersonasClassified) {
    const std::vector<std::pair<std::string, CardClass>> cases{
        {"normal", CardClass::kNormal},
        {"pin-locked", CardClass::kPinLocked},
        {"face-auth", CardClass::kFaceAuthCard},
        {"not-mynumber", CardClass::kNotAMyNumberCard},
        {"smartphone", CardClass::kSmartphoneToken},
        {"no-signing-cert", CardClass::kNormal},
        {"revoked", CardClass::kNormal},
        {"expired-cert", CardClass::kNormal},
        {"expired-grace", CardClass::kNormal},
        {"renewal-due", CardClass::kNormal},
    };
    const std::map<std::string, ValidityState> validity{
        {"normal", ValidityState::kValid},
        {"expired-cert", ValidityState::kExpiredBeyondGrace},
        {"expired-grace", ValidityState::kExpiredWithinGrace},
        {"renewal-due", ValidityState::kRenewalDue},
    };
    for (const auto& [id, expected] : cases) {
        SCOPED_TRACE(id);
        if (persona(id).is_discarded()) {
            ADD_FAILURE() << "persona file missing: " << id;
            continue;
        }
        insert(id);
        auto service = open();
        ASSERT_TRUE(service);
        const int pinBefore = control.statusInt("auth_pin_tries");
        auto info = service->readInfo();
        ASSERT_TRUE(info.ok()) << info.error().toString();
        EXPECT_EQ(cardClassName(info->cardClass), cardClassName(expected));
        EXPECT_EQ(control.statusInt("auth_pin_tries"), pinBefore);
        if (auto v = validity.find(id); v != validity.end()) {
            auto check = service->checkAuthCertificate(*info, system_clock::now());
            ASSERT_TRUE(check.ok()) << check.error().toString();
            EXPECT_EQ(validityStateName(check->report.validity), validityStateName(v->second));
        }
    }
}

// The sim records selections: none of them is a My Number file or the 入力補助AP.
TEST_F(CardIntegration, SelectsAreOnlyAllowedFiles) {
    insert("normal");
    auto service = open();
    ASSERT_TRUE(service);
    ASSERT_TRUE(service->readInfo().ok());
    ASSERT_TRUE(service->readVerifiedPhoto(numberB("normal")).ok());
    const std::string selects = control.request("selects");
    ASSERT_EQ(selects.rfind("ok", 0), 0u) << selects;
    EXPECT_NE(selects.find("KENMEN:0002"), std::string::npos) << selects;
    EXPECT_EQ(selects.find("0005"), std::string::npos) << selects;
    EXPECT_EQ(selects.find("0013"), std::string::npos) << selects;
    EXPECT_EQ(selects.find("TEXT"), std::string::npos) << selects;
    EXPECT_EQ(control.forbiddenCount(), 0);
}

}  // namespace
}  // namespace uketsuke::card
