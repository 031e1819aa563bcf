// The reference service's limits (issue 14): idle TCP connections and stalled TLS handshakes do
// not keep a terminal from being served, the control API is off unless asked for, and the
// challenge quota is per client certificate. Everything on 127.0.0.1, on a free port, bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::HttpsTransport;
using LimitsTest = QualificationServiceTest;
using sim::UniqueX509;
using Ms = std::chrono::milliseconds;

Ms since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t);
}

// Connected loopback sockets, closed on destruction (so the server's workers are freed at once).
class Flood {
  public:
    // `idle` connections that send nothing, `stalled` that send the first bytes of a TLS record
    // (a ClientHello header announcing 512 bytes) and then nothing more.
    Flood(int port, int idle, int stalled) {
        for (int i = 0; i < idle + stalled; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0)
                continue;
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_port = htons(static_cast<std::uint16_t>(port));
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
                ::close(fd);
                continue;
            }
            if (i >= idle) {
                const unsigned char header[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
                if (::send(fd, header, sizeof header, MSG_NOSIGNAL) != sizeof header) {
                    ::close(fd);
                    continue;
                }
            }
            fds_.push_back(fd);
        }
    }
    ~Flood() {
        for (int fd : fds_)
            ::close(fd);
    }
    std::size_t connected() const { return fds_.size(); }

    // How many of the connections the server has closed (EOF or reset) within `deadline`.
    std::size_t closedBy(std::chrono::steady_clock::time_point deadline) const {
        std::vector<bool> closed(fds_.size(), false);
        std::size_t n = 0;
        while (n < fds_.size() && std::chrono::steady_clock::now() < deadline) {
            for (std::size_t i = 0; i < fds_.size(); ++i) {
                if (closed[i])
                    continue;
                pollfd p{fds_[i], POLLIN, 0};
                if (::poll(&p, 1, 0) > 0) {
                    char c[64];
                    const ssize_t r = ::recv(fds_[i], c, sizeof c, MSG_DONTWAIT);
                    if (r <= 0) {
                        closed[i] = true;
                        ++n;
                    }
                }
            }
            std::this_thread::sleep_for(Ms(20));
        }
        return n;
    }

  private:
    std::vector<int> fds_;
};

// 50 idle TCP connections and 20 stalled TLS handshakes, then a terminal's whole PIN-path
// confirmation (challenge + confirm over mutual TLS): served at once, not after the timeouts.
TEST_F(LimitsTest, TerminalIsServedDespiteFiftyIdleConnectionsAndStalledHandshakes) {
    REQUIRE_PERSONA("normal");
    // Arrange
    const auto floodStart = std::chrono::steady_clock::now();
    Flood flood(server_->port(), 50, 20);
    const Ms floodTook = since(floodStart);
    ASSERT_EQ(flood.connected(), 70u);
    std::this_thread::sleep_for(Ms(200));  // the server has accepted them and holds them
    // Act
    const auto start = std::chrono::steady_clock::now();
    auto result = confirmWithPin("normal");
    const Ms took = since(start);
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    std::printf(
        "70 connects: %lld ms; confirmation with 50 idle + 20 stalled-handshake "
        "connections open: %lld ms\n",
        static_cast<long long>(floodTook.count()), static_cast<long long>(took.count()));
    EXPECT_LT(took, Ms(2000)) << "served only after the connections timed out";
    // A dropped SYN (full listen backlog) costs a 1 s retransmission: none may be dropped.
    EXPECT_LT(floodTook, Ms(900)) << "the listen backlog overflowed";
}

// The same flood against a server with httplib's old shape (8 workers) shows what the test
// measures: the terminal is not served within its timeouts.
TEST_F(LimitsTest, EightWorkersAreStarvedBySameFlood) {
    // Arrange
    server_.reset();
    auto checker = sim::CertificateChecker::load((pkiDir() / "jpki-auth-root.pem").string(),
                                                 (pkiDir() / "jpki-auth-ca.pem").string(),
                                                 (pkiDir() / "jpki-auth-ca.crl.pem").string());
    auto personas = sim::PersonaDirectory::scan((pkiDir() / "personas").string());
    auto insured = sim::InsuredDatabase::load(insuredFile().string());
    ASSERT_TRUE(checker && personas && insured);
    service_ = std::make_unique<sim::QualificationService>(std::move(checker).takeValue(),
                                                           std::move(personas).takeValue(),
                                                           std::move(insured).takeValue());
    sim::ServerOptions options;
    options.serverCertFile = (tlsDir() / "server.pem").string();
    options.serverKeyFile = (tlsDir() / "server.key").string();
    options.clientCaFile = (tlsDir() / "institution-ca.pem").string();
    options.workers = 8;
    options.ioTimeoutMs = 10000;  // the old timeout
    auto server = sim::QualificationServer::start(*service_, options);
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(server).takeValue();
    std::optional<Flood> flood(std::in_place, server_->port(), 50, 20);
    std::this_thread::sleep_for(Ms(200));
    auto config = clientConfig();
    config.tls.responseTimeoutMs = 1500;
    config.challengeAttempts = 1;
    // Act
    auto challenge = client(config).requestChallenge();
    flood.reset();  // frees the workers before the server stops
    // Assert
    EXPECT_FALSE(challenge) << "8 workers were expected to be starved by 70 connections";
}

// Idle connections and stalled handshakes are closed by the server after its I/O timeout.
TEST_F(LimitsTest, IdleConnectionsAndStalledHandshakesAreClosedAfterIoTimeout) {
    // Arrange
    startService(sim::InsuredDatabase::load(insuredFile().string()), {}, true, 1000);
    Flood flood(server_->port(), 10, 10);
    ASSERT_EQ(flood.connected(), 20u);
    // Act
    const auto start = std::chrono::steady_clock::now();
    const std::size_t closed = flood.closedBy(start + std::chrono::seconds(4));
    const Ms took = since(start);
    // Assert
    EXPECT_EQ(closed, 20u);
    EXPECT_GE(took, Ms(700)) << "closed before the timeout: not what this test measures";
    std::printf("20 idle/stalled connections closed by the server after %lld ms (timeout 1000)\n",
                static_cast<long long>(took.count()));
}

// Without --control the control API does not exist: faults and suspensions cannot be forced.
TEST_F(LimitsTest, ControlApiIsOffUnlessEnabled) {
    REQUIRE_PERSONA("normal");
    // Arrange
    startService(sim::InsuredDatabase::load(insuredFile().string()), {}, /*control=*/false);
    auto transport = HttpsTransport::create(clientConfig().tls);
    ASSERT_TRUE(transport);
    // Act
    auto faults = transport.value().post("/v1/control/faults", R"({"fail_status": 503})");
    auto suspend = transport.value().post("/v1/control/suspend",
                                          R"({"persona": "normal", "suspended": true})");
    auto refuse = transport.value().post("/v1/control/refuse", R"({"duration_ms": 5000})");
    auto result = confirmWithPin("normal");
    // Assert
    ASSERT_TRUE(faults);
    EXPECT_EQ(faults.value().status, 404);
    ASSERT_TRUE(suspend);
    EXPECT_EQ(suspend.value().status, 404);
    ASSERT_TRUE(refuse);
    EXPECT_EQ(refuse.value().status, 404);
    EXPECT_EQ(server_->faults().failStatus, 0);
    EXPECT_TRUE(result) << "the person was suspended or the service faulted: "
                        << result.error().message();
}

UniqueX509 loadCertificate(const fs::path& pem) {
    std::FILE* f = std::fopen(pem.c_str(), "rb");
    if (f == nullptr)
        return UniqueX509(nullptr);
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    return UniqueX509(cert);
}

// One client at its quota gets 429; another client certificate is still served.
TEST_F(LimitsTest, ChallengeQuotaIsPerClient) {
    // Arrange
    sim::ServiceConfig config;
    config.maxChallengesPerClient = 5;
    config.maxOutstandingChallenges = 12;
    startService(sim::InsuredDatabase::load(insuredFile().string()), config);
    UniqueX509 greedy = loadCertificate(tlsDir() / "client.pem");
    UniqueX509 other = loadCertificate(tlsDir() / "rogue-client.pem");
    ASSERT_TRUE(greedy && other);
    // Act
    int greedyServed = 0;
    int greedyRefused = 0;
    for (int i = 0; i < 50; ++i) {
        const auto r = service_->challenge(greedy.get());
        (r.httpStatus == 200 ? greedyServed : greedyRefused)++;
        if (r.httpStatus != 200) {
            EXPECT_EQ(r.httpStatus, 429);
        }
    }
    int otherServed = 0;
    for (int i = 0; i < 5; ++i)
        otherServed += service_->challenge(other.get()).httpStatus == 200 ? 1 : 0;
    // Assert
    EXPECT_EQ(greedyServed, 5);
    EXPECT_EQ(greedyRefused, 45);
    EXPECT_EQ(otherServed, 5);
    EXPECT_EQ(service_->outstandingChallenges(greedy.get()), 5u);
    EXPECT_EQ(service_->outstandingChallenges(other.get()), 5u);
}

// Over mutual TLS: the terminal's own requests beyond its quota are answered 429.
TEST_F(LimitsTest, QuotaAnswers429OverTls) {
    // Arrange
    sim::ServiceConfig config;
    config.maxChallengesPerClient = 3;
    startService(sim::InsuredDatabase::load(insuredFile().string()), config);
    auto c = clientConfig();
    c.challengeAttempts = 1;
    QualificationClient terminal = client(c);
    // Act
    std::vector<int> statuses;
    for (int i = 0; i < 4; ++i) {
        auto r = terminal.requestChallenge();
        statuses.push_back(r ? 200 : r.error().httpStatus);
    }
    // Assert
    EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 429}));
}

}  // namespace
}  // namespace uketsuke::testing
