// Service faults (latency, 5xx, dropped and refused connections) give typed client errors within
// the configured timeouts; only the challenge is retried.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::HttpsTransport;
using terminal::RefusalReason;
using FaultsTest = QualificationServiceTest;
using Ms = std::chrono::milliseconds;

Ms since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t);
}

// A slow service gives kTimeout after the response timeout, not after the service's delay.
TEST_F(FaultsTest, LatencyBeyondTimeoutIsTimeout) {
    // Arrange
    sim::Faults f;
    f.latencyMs = 3000;
    server_->setFaults(f);
    auto config = clientConfig();
    config.tls.responseTimeoutMs = 400;
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    const auto start = std::chrono::steady_clock::now();
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kTimeout);
    EXPECT_GE(since(start), Ms(350));
    EXPECT_LT(since(start), Ms(1500));
}

// Latency below the timeout is only slower.
TEST_F(FaultsTest, LatencyWithinTimeoutSucceeds) {
    // Arrange
    sim::Faults f;
    f.latencyMs = 200;
    server_->setFaults(f);
    const auto start = std::chrono::steady_clock::now();
    // Act
    auto challenge = client().requestChallenge();
    // Assert
    ASSERT_TRUE(challenge) << challenge.error().message();
    EXPECT_GE(since(start), Ms(190));
}

// HTTP 500 on confirm is kServerError(500) and is not retried.
TEST_F(FaultsTest, ServerErrorOnConfirmIsNotRetried) {
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    sim::Faults f;
    f.failStatus = 500;
    f.failTimes = 1;
    server_->setFaults(f);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", challenge.value().bytes);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, QualificationErrorCode::kServerError);
    EXPECT_EQ(result.error().httpStatus, 500);
    EXPECT_EQ(result.error().serverCode, "injected_fault");
    EXPECT_EQ(server_->faults().failTimes, 0) << "exactly one request reached the service";
}

// A transient 503 on the challenge is retried with backoff and then succeeds.
TEST_F(FaultsTest, TransientServiceUnavailableOnChallengeIsRetried) {
    // Arrange
    sim::Faults f;
    f.failStatus = 503;
    f.failTimes = 2;
    server_->setFaults(f);
    auto config = clientConfig();
    config.challengeAttempts = 3;
    config.initialBackoffMs = 50;
    QualificationClient c = client(config);
    std::vector<int> sleeps;
    c.setSleepForTesting([&](int ms) { sleeps.push_back(ms); });
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_TRUE(challenge) << challenge.error().message();
    EXPECT_EQ(sleeps, (std::vector<int>{50, 100}));
}

// A persistent 503 ends after the configured attempts with kServerError(503).
TEST_F(FaultsTest, PersistentServiceUnavailableGivesUpAfterAttempts) {
    // Arrange
    sim::Faults f;
    f.failStatus = 503;
    server_->setFaults(f);
    auto config = clientConfig();
    config.challengeAttempts = 3;
    QualificationClient c = client(config);
    int attempts = 0;
    c.setSleepForTesting([&](int) { ++attempts; });
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kServerError);
    EXPECT_EQ(challenge.error().httpStatus, 503);
    EXPECT_EQ(attempts, 2);
}

// A connection dropped mid-answer on confirm is kConnectionLost with requestSent; the challenge
// was consumed, so the same proof cannot simply be sent again.
TEST_F(FaultsTest, DroppedConfirmIsConnectionLostAndConsumesChallenge) {
    REQUIRE_PERSONA("normal");
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    sim::Faults f;
    f.dropConnection = true;
    f.dropTimes = 1;
    server_->setFaults(f);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = personaCertificateDer("normal");
    req.pinSignature = cardSign("normal", challenge.value().bytes);
    const auto start = std::chrono::steady_clock::now();
    // Act
    auto dropped = c.confirm(req);
    auto again = c.confirm(req);
    // Assert
    ASSERT_FALSE(dropped);
    EXPECT_EQ(dropped.error().code, QualificationErrorCode::kConnectionLost)
        << dropped.error().message();
    EXPECT_TRUE(dropped.error().requestSent);
    EXPECT_LT(since(start), Ms(2000));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().refusal, RefusalReason::kChallengeUnknown);
}

// A dropped challenge answer is retried (the challenge request is idempotent).
TEST_F(FaultsTest, DroppedChallengeIsRetried) {
    // Arrange
    sim::Faults f;
    f.dropConnection = true;
    f.dropTimes = 1;
    server_->setFaults(f);
    QualificationClient c = client();
    c.setSleepForTesting([](int) {});
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    EXPECT_TRUE(challenge) << challenge.error().message();
}

// While the service refuses connections the client reports kUnreachable at once; afterwards the
// service accepts again on the same port.
TEST_F(FaultsTest, RefusedConnectionsAreUnreachableThenRecover) {
    // Arrange
    auto config = clientConfig();
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    server_->refuseConnectionsFor(60000);
    const auto start = std::chrono::steady_clock::now();
    // Act
    auto refused = c.requestChallenge();
    const Ms refusedAfter = since(start);
    server_->acceptConnectionsAgain();
    // The serve loop re-binds the same port: poll for that event (not a guessed delay).
    auto recovered = c.requestChallenge();
    const auto reopened = std::chrono::steady_clock::now();
    while (!recovered && since(reopened) < Ms(5000)) {
        std::this_thread::sleep_for(Ms(20));
        recovered = c.requestChallenge();
    }
    // Assert
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, QualificationErrorCode::kUnreachable);
    EXPECT_LT(refusedAfter, Ms(500));
    EXPECT_TRUE(recovered) << recovered.error().message();
}

// Nothing listening on the port: kUnreachable, with no request sent.
TEST_F(FaultsTest, NoServiceIsUnreachable) {
    // Arrange: a port that was free a moment ago.
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);
    auto config = clientConfig();
    config.tls.port = ntohs(addr.sin_port);
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    // Act
    auto challenge = c.requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kUnreachable);
    EXPECT_FALSE(challenge.error().requestSent);
}

// The control endpoint sets faults over the same mutual-TLS connection that tests use.
TEST_F(FaultsTest, ControlEndpointSetsAndClearsFaults) {
    // Arrange
    auto transport = HttpsTransport::create(clientConfig().tls);
    ASSERT_TRUE(transport);
    auto config = clientConfig();
    config.challengeAttempts = 1;
    QualificationClient c = client(config);
    // Act
    auto set = transport.value().post("/v1/control/faults", R"({"fail_status": 500})");
    auto failing = c.requestChallenge();
    auto cleared = transport.value().post("/v1/control/faults", "{}");
    auto working = c.requestChallenge();
    auto bad = transport.value().post("/v1/control/faults", R"({"fail_status": "x"})");
    // Assert
    ASSERT_TRUE(set);
    EXPECT_EQ(set.value().status, 200);
    ASSERT_FALSE(failing);
    EXPECT_EQ(failing.error().httpStatus, 500);
    ASSERT_TRUE(cleared);
    EXPECT_TRUE(working) << working.error().message();
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad.value().status, 400);
}

// The control endpoint suspends a persona's certificate.
TEST_F(FaultsTest, ControlEndpointSuspendsCertificate) {
    REQUIRE_PERSONA("normal");
    // Arrange
    auto transport = HttpsTransport::create(clientConfig().tls);
    ASSERT_TRUE(transport);
    // Act
    auto r = transport.value().post("/v1/control/suspend",
                                    R"({"persona": "normal", "suspended": true})");
    auto result = confirmWithPin("normal");
    // Assert
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().status, 200);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kCertificateSuspended);
}

}  // namespace
}  // namespace uketsuke::testing
