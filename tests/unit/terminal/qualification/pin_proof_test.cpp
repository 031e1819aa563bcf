// PIN path: the card's signature over the service's challenge (card-protocol.md §6).
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::IdentityMethod;
using terminal::QualificationValidity;
using terminal::RefusalReason;
using PinProofTest = QualificationServiceTest;

// A valid card signature yields 有効 with the insured person's fields from the database.
TEST_F(PinProofTest, ValidSignatureConfirmsQualification) {
    REQUIRE_PERSONA("normal");
    // Act
    auto result = confirmWithPin("normal");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    const QualificationResult& q = result.value();
    EXPECT_EQ(q.validity, QualificationValidity::kValid);
    EXPECT_EQ(q.method, IdentityMethod::kPin);
    EXPECT_EQ(q.segmentOfResult, "1");
    EXPECT_EQ(q.processingResultStatus, "1");
    EXPECT_EQ(q.medicalInstitutionCode, "1312345678");
    EXPECT_EQ(q.processExecutionTime.size(), 14u);
    ASSERT_EQ(q.records.size(), 1u);
    EXPECT_EQ(q.records[0].insurerNumber, "01130012");
    EXPECT_EQ(q.records[0].insuredIdentificationNumber, "0012345");
    EXPECT_EQ(q.records[0].name, "山田 花子");
    EXPECT_EQ(q.records[0].birthdate, "19800217");
    ASSERT_TRUE(q.records[0].limitApplication.has_value());
    EXPECT_EQ(q.records[0].limitApplication->classificationFlag, "A03");
}

// Leading spaces of a 6-digit 国保 insurer number survive the service and the client.
TEST_F(PinProofTest, InsurerNumberKeepsLeadingSpaces) {
    REQUIRE_PERSONA("pin-locked");
    // Act
    auto result = confirmWithPin("pin-locked");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    ASSERT_EQ(result.value().records.size(), 1u);
    EXPECT_EQ(result.value().records[0].insurerNumber, "  138057");
    EXPECT_EQ(result.value().records[0].insuredIdentificationNumber, "00456789");
}

// A signature over another challenge is refused as bad_proof.
TEST_F(PinProofTest, SignatureOverOtherChallengeIsBadProof) {
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    Bytes other = challenge.value().bytes;
    other[0] ^= 0x01;
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", other);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, QualificationErrorCode::kRefused);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
    EXPECT_EQ(result.error().httpStatus, 422);
}

// A signature made with another person's card does not verify with this certificate.
TEST_F(PinProofTest, SignatureByAnotherCardIsBadProof) {
    REQUIRE_PERSONA("normal");
    REQUIRE_PERSONA("normal-2");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal-2", challenge.value().bytes);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// A challenge is single use: sending the same valid proof twice is refused the second time.
TEST_F(PinProofTest, ReplayedChallengeIsRefused) {
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", challenge.value().bytes);
    ASSERT_TRUE(c.confirm(req));
    // Act
    auto replay = c.confirm(req);
    // Assert
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().refusal, RefusalReason::kChallengeUnknown);
}

// A challenge that was never issued is refused before any certificate work.
TEST_F(PinProofTest, UnknownChallengeIsRefused) {
    REQUIRE_PERSONA("normal");
    // Arrange
    terminal::Challenge forged;
    forged.bytes.assign(32, 0x5A);
    forged.base64 = terminal::base64Encode(forged.bytes);
    terminal::ConfirmRequest req;
    req.challenge = forged;
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", forged.bytes);
    // Act
    auto result = client().confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kChallengeUnknown);
}

// An expired challenge is refused even with a valid signature.
TEST_F(PinProofTest, ExpiredChallengeIsRefused) {
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    fakeNow_ = std::time(nullptr) + challenge.value().expiresInS + 5;
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", challenge.value().bytes);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kChallengeExpired);
}

// The DigestInfo handed to the card is the SHA-256 DigestInfo of the challenge (51 bytes).
TEST(PinProofDigestInfoTest, IsSha256DigestInfoOfChallenge) {
    // Arrange
    const Bytes challenge = bytesOf("abc");
    // Act
    const Bytes di = terminal::pinProofDigestInfo(challenge);
    // Assert
    ASSERT_EQ(di.size(), 51u);
    EXPECT_EQ(toHex(ByteView(di).first(19), false), "3031300D060960864801650304020105000420");
    EXPECT_EQ(toHex(ByteView(di).subspan(19), false),
              "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
}

}  // namespace
}  // namespace uketsuke::testing
