// Mutual TLS between the qualification client and the reference service.
#include <unistd.h>

#include <cstdio>

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

// The terminal's private key must be its own: a key file group or others can read or write is
// refused at start-up (transport and attestation signer) with the mode and the fix; 0600 and
// 0400 copies of the same key load.
TEST_F(MtlsTest, PrivateKeyReadableByOthersIsRefused) {
    const fs::path dir =
        fs::temp_directory_path() / ("uketsuke-keymode-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto mode : {fs::perms(0640), fs::perms(0644), fs::perms(0604), fs::perms(0660),
                            fs::perms(0600), fs::perms(0400)}) {
        // Arrange
        const fs::path key = dir / "client.key";
        fs::remove(key);
        fs::copy_file(tlsDir() / "client.key", key);
        fs::permissions(key, mode);
        auto config = clientConfig();
        config.tls.clientKeyFile = key.string();
        const bool loose = (mode & fs::perms(077)) != fs::perms::none;
        // Act
        auto transport = terminal::HttpsTransport::create(config.tls);
        auto signer = terminal::AttestationSigner::fromKeyFile(key.string());
        // Assert
        char octal[8];
        std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
        if (loose) {
            ASSERT_FALSE(transport) << octal;
            EXPECT_EQ(transport.error().code, QualificationErrorCode::kConfiguration);
            const std::string message = transport.error().message();
            EXPECT_NE(message.find(key.string() + " has mode " + octal), std::string::npos)
                << message;
            EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
            ASSERT_FALSE(signer) << octal;
            EXPECT_NE(signer.error().message().find("has mode"), std::string::npos);
        } else {
            EXPECT_TRUE(transport) << octal << ": " << transport.error().message();
            EXPECT_TRUE(signer) << octal;
        }
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace uketsuke::testing
