// Mutual TLS between the qualification client and the reference service.
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using MtlsTest = QualificationServiceTest;

// The terminal's client certificate from the medical-institution CA is accepted.
TEST_F(MtlsTest, ClientCertificateFromInstitutionCaIsAccepted) {
    // Arrange
    QualificationClient c = client();
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_TRUE(challenge) << challenge.error().message();
    EXPECT_EQ(challenge.value().bytes.size(), 32u);
    EXPECT_GT(challenge.value().expiresInS, 0);
}

// Without a client certificate the service refuses the connection: a TLS error, no answer.
TEST_F(MtlsTest, NoClientCertificateIsRefused) {
    // Arrange
    auto config = clientConfig("");
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kTls) << challenge.error().message();
    EXPECT_EQ(service_->outstandingChallenges(), 0u);
}

// A look-alike client certificate (same CN) from another CA is refused.
TEST_F(MtlsTest, ClientCertificateFromUnknownCaIsRefused) {
    // Arrange
    auto config = clientConfig("rogue-client");
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kTls) << challenge.error().message();
    EXPECT_EQ(service_->outstandingChallenges(), 0u);
}

// The client refuses a server whose certificate does not chain to its configured CA.
TEST_F(MtlsTest, ServerNotTrustedByClientIsRefused) {
    // Arrange
    auto config = clientConfig();
    config.tls.caFile = (tlsDir() / "rogue-ca.pem").string();
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kTls);
    EXPECT_NE(challenge.error().detail.find("server certificate"), std::string::npos)
        << challenge.error().detail;
}

// The server certificate is checked against the host name: "localhost" is in its SAN.
TEST_F(MtlsTest, HostNameLocalhostMatchesServerCertificate) {
    // Arrange
    auto config = clientConfig();
    config.tls.host = "localhost";
    QualificationClient c = client(config);
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    EXPECT_TRUE(challenge) << challenge.error().message();
}

// A missing client key file is a configuration error at creation, not at the first request.
TEST_F(MtlsTest, MissingClientKeyIsConfigurationError) {
    // Arrange
    auto config = clientConfig();
    config.tls.clientKeyFile = (tlsDir() / "absent.key").string();
    // Act
    auto c = QualificationClient::create(config);
    // Assert
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, QualificationErrorCode::kConfiguration);
}

}  // namespace
}  // namespace uketsuke::testing
