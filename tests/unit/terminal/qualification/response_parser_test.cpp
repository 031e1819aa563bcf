// Strict interpretation of the service's answers: malformed answers are typed errors.
#include <gtest/gtest.h>

#include "terminal/qualification/qualification_client.h"

namespace uketsuke::testing {
namespace {

using terminal::HttpResponse;
using terminal::IdentityMethod;
using terminal::QualificationClient;
using terminal::QualificationErrorCode;
using terminal::RefusalReason;

std::string validBody(const std::string& validity, const std::string& results) {
    return R"({"segment_of_result":"1","processing_result_status":"1",
      "qualification_validity":")" +
           validity + R"(","process_execution_time":"20250101093000",
      "qualification_confirmation_date":"20250101","medical_institution_code":"1312345678",
      "method":"pin","certificate":{"state":"valid","not_after":"2029-01-01T00:00:00Z",
      "qualification_only":false},"match_count":1,"results":)" +
           results + "}";
}

// A complete answer parses into the typed result.
TEST(ResponseParserTest, CompleteAnswerParses) {
    // Arrange
    HttpResponse r{200, validBody("1", R"([{"InsurerNumber":"  138057","Name":"試験"}])")};
    // Act
    auto q = QualificationClient::parseConfirmResponse(r, IdentityMethod::kPin);
    // Assert
    ASSERT_TRUE(q) << q.error().message();
    EXPECT_EQ(q.value().records.at(0).insurerNumber, "  138057");
}

// Not JSON, a number where a string belongs, an unknown validity code: malformed.
TEST(ResponseParserTest, BrokenAnswersAreMalformed) {
    // Arrange
    const HttpResponse answers[] = {
        {200, "<html>"},
        {200, validBody("1", R"([{"InsurerNumber":138057}])")},
        {200, validBody("7", "[]")},
        {200, validBody("1", "[]")},                 // valid without a record
        {200, validBody("5", R"([{"Name":"x"}])")},  // multiple matches with personal data
        {200, validBody("1", R"([{"ElderlyRecipientCertificateInfo":"x"}])")},
        {302, ""},
    };
    for (const auto& r : answers) {
        // Act
        auto q = QualificationClient::parseConfirmResponse(r, IdentityMethod::kPin);
        // Assert
        ASSERT_FALSE(q) << r.body;
        EXPECT_EQ(q.error().code, QualificationErrorCode::kMalformedResponse) << r.body;
    }
}

// Header fields that reach the result file's name or its XML are whitelisted (issue 14).
TEST(ResponseParserTest, HeaderFieldsOutsideTheirWhitelistAreMalformed) {
    const std::string good = validBody("1", R"([{"Name":"x"}])");
    const std::pair<std::string, std::string> edits[] = {
        {"\"20250101093000\"", "\"../../x\""},
        {"\"20250101093000\"", "\"20251301093000\""},  // month 13
        {"\"20250101093000\"", "\"20250102093000\""},  // another day than the date
        {"\"20250101\"", "\"2025-01-01\""},
        {"\"1312345678\"", "\"../1234567\""},
        {"\"1312345678\"", "\"131234567\""},
        {"\"segment_of_result\":\"1\"", "\"segment_of_result\":\"x\""},
        {"\"processing_result_status\":\"1\"", "\"processing_result_status\":\"1\\n\""},
    };
    ASSERT_TRUE(
        QualificationClient::parseConfirmResponse(HttpResponse{200, good}, IdentityMethod::kPin));
    for (const auto& [from, to] : edits) {
        std::string body = good;
        const auto at = body.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        body.replace(at, from.size(), to);
        auto q = QualificationClient::parseConfirmResponse(HttpResponse{200, body},
                                                           IdentityMethod::kPin);
        ASSERT_FALSE(q) << to;
        EXPECT_EQ(q.error().code, QualificationErrorCode::kMalformedResponse) << to;
    }
}

// An answer for another method than the one sent is not accepted.
TEST(ResponseParserTest, AnswerForOtherMethodIsMalformed) {
    // Arrange
    HttpResponse r{200, validBody("4", "[]")};
    // Act
    auto q = QualificationClient::parseConfirmResponse(r, IdentityMethod::kFace);
    // Assert
    ASSERT_FALSE(q);
    EXPECT_EQ(q.error().code, QualificationErrorCode::kMalformedResponse);
}

// 4xx with the service's error body is kRefused with the typed reason; without one, kOther.
TEST(ResponseParserTest, RefusalsCarryTheServiceCode) {
    // Arrange
    HttpResponse revoked{422, R"({"error":{"code":"certificate_revoked","message":"m"}})"};
    HttpResponse bare{404, "not json"};
    // Act
    auto a = QualificationClient::parseConfirmResponse(revoked, IdentityMethod::kPin);
    auto b = QualificationClient::parseConfirmResponse(bare, IdentityMethod::kPin);
    // Assert
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, QualificationErrorCode::kRefused);
    EXPECT_EQ(a.error().refusal, RefusalReason::kCertificateRevoked);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, QualificationErrorCode::kRefused);
    EXPECT_EQ(b.error().refusal, RefusalReason::kOther);
    EXPECT_EQ(b.error().httpStatus, 404);
}

// A challenge that is not 32 bytes of base64 is malformed.
TEST(ResponseParserTest, BadChallengeIsMalformed) {
    // Arrange
    HttpResponse shortChallenge{200, R"({"challenge":"AAAA"})"};
    HttpResponse notBase64{200, R"({"challenge":"!!!!"})"};
    // Act
    auto a = QualificationClient::parseChallengeResponse(shortChallenge);
    auto b = QualificationClient::parseChallengeResponse(notBase64);
    // Assert
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, QualificationErrorCode::kMalformedResponse);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, QualificationErrorCode::kMalformedResponse);
}

}  // namespace
}  // namespace uketsuke::testing
