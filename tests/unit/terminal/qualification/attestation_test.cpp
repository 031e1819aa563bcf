// Face and staff paths: the terminal's signed attestation bound to the service's challenge.
#include <nlohmann/json.hpp>

#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::IdentityMethod;
using terminal::QualificationValidity;
using terminal::RefusalReason;
using AttestationTest = QualificationServiceTest;

// A face match attested by the terminal confirms the qualification of a face-auth card.
TEST_F(AttestationTest, FaceAttestationConfirms) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto req = faceRequest(challenge.value(), "face-auth", 0.31, 0.40);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kValid);
    EXPECT_EQ(result.value().method, IdentityMethod::kFace);
    ASSERT_EQ(result.value().records.size(), 1u);
    ASSERT_EQ(result.value().records[0].specificDiseases.size(), 1u);
    EXPECT_EQ(result.value().records[0].specificDiseases[0].selfPay, "10000");
}

// A staff (目視) attestation with the staff ID confirms the qualification.
TEST_F(AttestationTest, StaffAttestationConfirms) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    terminal::AttestationInput in;
    in.challenge = challenge.value().bytes;
    in.method = IdentityMethod::kStaff;
    in.authCertificateDer = personaCertificateDer("face-auth");
    in.staff = terminal::StaffCheck{"staff-007"};
    in.time = std::time(nullptr);
    auto att = signer().sign(in);
    ASSERT_TRUE(att);
    terminal::ConfirmRequest req{
        challenge.value(), in.authCertificateDer, IdentityMethod::kStaff, {}, att.value()};
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().method, IdentityMethod::kStaff);
}

// The forged 目視 attestation of issue 16: with the terminal's key alone, a staff ID the facility
// never registered is refused by a service that keeps a staff registry; a registered one passes.
TEST_F(AttestationTest, StaffIdOutsideTheRegistryIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    auto registry = sim::loadStaffRegistry(
        (fs::path(UKETSUKE_SOURCE_DIR) / "sim" / "qualification" / "staff-registry.json").string());
    ASSERT_TRUE(registry) << registry.error();
    sim::ServiceConfig config;
    config.staffRegistry = registry.value();
    startService(sim::InsuredDatabase::load(insuredFile().string()), config);
    auto confirmAs = [&](const std::string& staffId) {
        QualificationClient c = client();
        auto challenge = c.requestChallenge();
        EXPECT_TRUE(challenge);
        terminal::AttestationInput in;
        in.challenge = challenge.value().bytes;
        in.method = IdentityMethod::kStaff;
        in.authCertificateDer = personaCertificateDer("face-auth");
        in.staff = terminal::StaffCheck{staffId};
        in.time = std::time(nullptr);
        auto att = signer().sign(in);
        EXPECT_TRUE(att);
        terminal::ConfirmRequest req{
            challenge.value(), in.authCertificateDer, IdentityMethod::kStaff, {}, att.value()};
        return c.confirm(req);
    };
    auto invented = confirmAs("S999");
    auto registered = confirmAs("S001");
    ASSERT_FALSE(invented);
    EXPECT_EQ(invented.error().code, QualificationErrorCode::kRefused);
    EXPECT_NE(invented.error().message().find("not registered"), std::string::npos)
        << invented.error().message();
    ASSERT_TRUE(registered) << registered.error().message();
    // A broken registry file is an error at start-up, not an open door.
    EXPECT_FALSE(sim::loadStaffRegistry("/nonexistent/staff-registry.json"));
}

// Editing the signed statement (a better distance) breaks the signature: bad_proof.
TEST_F(AttestationTest, TamperedStatementIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto req = faceRequest(challenge.value(), "face-auth", 0.55, 0.60);
    auto statement = nlohmann::json::parse(req.attestation->statement);
    statement["match_distance"] = 0.10;
    req.attestation->statement = statement.dump();
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// A statement signed with a key other than the TLS client certificate's is refused.
TEST_F(AttestationTest, StatementSignedByOtherKeyIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    terminal::AttestationInput in;
    in.challenge = challenge.value().bytes;
    in.method = IdentityMethod::kFace;
    in.authCertificateDer = personaCertificateDer("face-auth");
    in.face = terminal::FaceCheck{0.3, 0.4};
    in.time = std::time(nullptr);
    auto att = signer("rogue-client").sign(in);
    ASSERT_TRUE(att);
    terminal::ConfirmRequest req{
        challenge.value(), in.authCertificateDer, IdentityMethod::kFace, {}, att.value()};
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// An attestation replayed with its (already used) challenge is refused.
TEST_F(AttestationTest, ReplayedAttestationIsRefused) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto req = faceRequest(challenge.value(), "face-auth", 0.3, 0.4);
    ASSERT_TRUE(c.confirm(req));
    // Act
    auto replay = c.confirm(req);
    // Assert
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().refusal, RefusalReason::kChallengeUnknown);
}

// An attestation bound to an old challenge cannot be attached to a fresh one.
TEST_F(AttestationTest, AttestationForOtherChallengeIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto first = c.requestChallenge();
    auto second = c.requestChallenge();
    ASSERT_TRUE(first && second);
    auto req = faceRequest(first.value(), "face-auth", 0.3, 0.4);
    req.challenge = second.value();
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// The statement names the certificate it was made for: another card's certificate is refused.
TEST_F(AttestationTest, AttestationForOtherCertificateIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto req = faceRequest(challenge.value(), "face-auth", 0.3, 0.4);
    req.authCertificateDer = personaCertificateDer("normal");
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// A distance above the threshold, or a threshold laxer than the service allows, is no match.
TEST_F(AttestationTest, NonMatchOrLaxThresholdIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto c1 = c.requestChallenge();
    auto c2 = c.requestChallenge();
    ASSERT_TRUE(c1 && c2);
    // Act
    auto aboveThreshold = c.confirm(faceRequest(c1.value(), "face-auth", 0.45, 0.40));
    auto laxThreshold = c.confirm(faceRequest(c2.value(), "face-auth", 0.70, 0.90));
    // Assert
    ASSERT_FALSE(aboveThreshold);
    EXPECT_EQ(aboveThreshold.error().refusal, RefusalReason::kBadProof);
    ASSERT_FALSE(laxThreshold);
    EXPECT_EQ(laxThreshold.error().refusal, RefusalReason::kBadProof);
}

// An attestation dated an hour ago is outside the accepted clock skew.
TEST_F(AttestationTest, StaleAttestationTimeIsBadProof) {
    REQUIRE_PERSONA("face-auth");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    auto req = faceRequest(challenge.value(), "face-auth", 0.3, 0.4, std::time(nullptr) - 3600);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kBadProof);
}

// The signer refuses incomplete input: a staff statement without a staff ID, a PIN statement.
TEST(AttestationSignerTest, IncompleteInputIsRefused) {
    // Arrange
    terminal::AttestationInput staff;
    staff.challenge = Bytes(32, 1);
    staff.authCertificateDer = Bytes(10, 2);
    staff.method = IdentityMethod::kStaff;
    terminal::AttestationInput pin = staff;
    pin.method = IdentityMethod::kPin;
    pin.staff = terminal::StaffCheck{"x"};
    // Act
    auto s1 = terminal::attestationStatement(staff);
    auto s2 = terminal::attestationStatement(pin);
    // Assert
    ASSERT_FALSE(s1);
    EXPECT_EQ(s1.error().code, QualificationErrorCode::kInvalidInput);
    ASSERT_FALSE(s2);
    EXPECT_EQ(s2.error().code, QualificationErrorCode::kInvalidInput);
}

// The statement holds exactly the bound fields: challenge, method, certificate hash, time, check.
TEST(AttestationSignerTest, StatementBindsChallengeCertificateAndCheck) {
    // Arrange
    terminal::AttestationInput in;
    in.challenge = Bytes(32, 0xAB);
    in.authCertificateDer = bytesOf("certificate");
    in.method = IdentityMethod::kFace;
    in.face = terminal::FaceCheck{0.25, 0.4};
    in.time = 1700000000;
    // Act
    auto st = terminal::attestationStatement(in);
    // Assert
    ASSERT_TRUE(st);
    const auto j = nlohmann::json::parse(st.value());
    EXPECT_EQ(j["challenge"], terminal::base64Encode(in.challenge));
    EXPECT_EQ(j["method"], "face");
    EXPECT_EQ(j["auth_certificate_sha256"],
              terminal::lowerHex(terminal::sha256(in.authCertificateDer)));
    EXPECT_EQ(j["time"], 1700000000);
    EXPECT_DOUBLE_EQ(j["match_distance"].get<double>(), 0.25);
    EXPECT_FALSE(j.contains("staff_id"));
}

}  // namespace
}  // namespace uketsuke::testing
