// Insured-persons lookup: the validity codes of qualification-domain.md §4.2.
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::QualificationValidity;
// A PIN-path confirmation for a persona through a client made with `config`.
class LookupTest : public QualificationServiceTest {
  protected:
    Result<QualificationResult, QualificationError> confirmPinWith(
        const QualificationClientConfig& config, const std::string& persona) {
        QualificationClient c = client(config);
        auto challenge = c.requestChallenge();
        if (!challenge)
            return challenge.failure();
        terminal::ConfirmRequest req;
        req.challenge = challenge.value();
        req.authCertificateDer = personaCertificateDer(persona);
        req.method = terminal::IdentityMethod::kPin;
        req.pinSignature = cardSign(persona, challenge.value().bytes);
        return c.confirm(req);
    }
};

// A valid card of a person without insurance entry: 該当資格なし, no personal data.
TEST_F(LookupTest, NotInsuredIsNotFound) {
    REQUIRE_PERSONA("normal-2");
    // Act
    auto result = confirmWithPin("normal-2");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kNotFound);
    EXPECT_EQ(result.value().matchCount, 0);
    EXPECT_TRUE(result.value().records.empty());
}

// Several records for one person: 複数該当, and none of the candidates is sent.
TEST_F(LookupTest, SeveralMatchesAreNotDisclosed) {
    REQUIRE_PERSONA("normal-3");
    // Act
    auto result = confirmWithPin("normal-3");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kMultipleMatches);
    EXPECT_EQ(result.value().matchCount, 2);
    EXPECT_TRUE(result.value().records.empty());
}

// A lost qualification: 無効 with the disqualification date and reason.
TEST_F(LookupTest, InvalidQualificationCarriesLossFields) {
    REQUIRE_PERSONA("smartphone");
    // Act
    auto result = confirmWithPin("smartphone");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kInvalid);
    ASSERT_EQ(result.value().records.size(), 1u);
    EXPECT_EQ(result.value().records[0].disqualificationDate, "20250930");
    EXPECT_EQ(result.value().records[0].reasonOfLoss, "99");
}

// A replaced qualification: 無効(新しい資格あり).
TEST_F(LookupTest, InvalidWithNewQualification) {
    REQUIRE_PERSONA("no-signing-cert");
    // Act
    auto result = confirmWithPin("no-signing-cert");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kInvalidNewQualification);
    ASSERT_EQ(result.value().records.size(), 1u);
    EXPECT_EQ(result.value().records[0].reasonOfLoss, "03");
}

// A database given by the test: 有効(未登録, 医療扶助) with a medical ticket (公費) list.
TEST_F(LookupTest, MedicalAidFromCustomDatabase) {
    REQUIRE_PERSONA("normal");
    // Arrange
    const auto doc = nlohmann::json::parse(R"({
      "persons": {"normal": [{"status": "valid_unregistered_medical_aid", "fields": {
        "InsuredCardClassification": "A1", "Name": "扶助 太郎", "Birthdate": "19700101",
        "PublicExpenseResultList": [{"TicketType": "1", "SelfPayAmount": "0"}]}}]}})");
    startService(sim::InsuredDatabase::parse(doc));
    // Act
    auto result = confirmWithPin("normal");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kValidUnregisteredMedicalAid);
    ASSERT_EQ(result.value().records.size(), 1u);
    EXPECT_EQ(result.value().records[0].insuredCardClassification, "A1");
    ASSERT_EQ(result.value().records[0].medicalTickets.size(), 1u);
    EXPECT_EQ(result.value().records[0].medicalTickets[0].at(1).first, "TicketType");
}

// A database with an unsafe element name or a bad status is refused at load.
TEST(InsuredDatabaseTest, RejectsUnsafeOrUnknownEntries) {
    // Arrange
    const auto badName = nlohmann::json::parse(
        R"({"persons": {"a": [{"status": "valid", "fields": {"Bad Name": "x"}}]}})");
    const auto badStatus = nlohmann::json::parse(
        R"({"persons": {"a": [{"status": "maybe", "fields": {"Name": "x"}}]}})");
    // Act / Assert
    EXPECT_FALSE(sim::InsuredDatabase::parse(badName));
    EXPECT_FALSE(sim::InsuredDatabase::parse(badStatus));
}

// The shipped database loads, and covers the cases the session tests rely on.
TEST(InsuredDatabaseTest, ShippedDatabaseCoversValidityCases) {
    // Act
    auto db = sim::InsuredDatabase::load(insuredFile().string());
    // Assert
    ASSERT_TRUE(db) << db.error();
    EXPECT_EQ(db.value().recordsFor("normal").size(), 1u);
    EXPECT_TRUE(db.value().recordsFor("normal-2").empty());
    EXPECT_EQ(db.value().recordsFor("normal-3").size(), 2u);
}

// qualification.medical_institution_code: an answer for another institution (the service names
// the client certificate's institution, 1312345678) is refused, never turned into a result; the
// same answer is accepted when the code is this institution's.
TEST_F(LookupTest, AnswerForAnotherInstitutionIsRefused) {
    REQUIRE_PERSONA("normal");
    auto confirmExpecting = [&](const std::string& code) {
        auto config = clientConfig();
        config.expectedInstitutionCode = code;
        return confirmPinWith(config, "normal");
    };
    // Act
    auto other = confirmExpecting("9999999999");
    auto ours = confirmExpecting("1312345678");
    // Assert
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, QualificationErrorCode::kMalformedResponse);
    EXPECT_NE(other.error().message().find("another medical institution"), std::string::npos)
        << other.error().message();
    ASSERT_TRUE(ours) << ours.error().message();
    EXPECT_EQ(ours.value().medicalInstitutionCode, "1312345678");
}

// The answer names the request it answers (challenge, certificate hash): an answer for another
// card is refused; an answer without the echo is refused only when the configuration requires the
// binding (issue 14, "answers checked against the request").
TEST_F(LookupTest, AnswerForAnotherCardOrRequestIsRefused) {
    REQUIRE_PERSONA("normal");
    auto confirmWith = [&](sim::Faults::AnswerEcho echo, bool required) {
        sim::Faults f;
        f.answerEcho = echo;
        server_->setFaults(f);
        auto config = clientConfig();
        config.requireAnswerBinding = required;
        return confirmPinWith(config, "normal");
    };
    using Echo = sim::Faults::AnswerEcho;
    auto correct = confirmWith(Echo::kCorrect, true);
    auto otherCard = confirmWith(Echo::kOtherCard, false);
    auto omittedRequired = confirmWith(Echo::kOmit, true);
    auto omittedOptional = confirmWith(Echo::kOmit, false);
    ASSERT_TRUE(correct) << correct.error().message();
    ASSERT_FALSE(otherCard);
    EXPECT_EQ(otherCard.error().code, QualificationErrorCode::kMalformedResponse);
    EXPECT_NE(otherCard.error().message().find("another card"), std::string::npos)
        << otherCard.error().message();
    ASSERT_FALSE(omittedRequired);
    EXPECT_EQ(omittedRequired.error().code, QualificationErrorCode::kMalformedResponse);
    EXPECT_TRUE(omittedOptional) << omittedOptional.error().message();
}

}  // namespace
}  // namespace uketsuke::testing
