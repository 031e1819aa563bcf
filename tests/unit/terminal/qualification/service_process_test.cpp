// The uketsuke-qualification-service executable as a child process: start on a free port, serve
// over mutual TLS, apply faults from the command line, stop on SIGTERM and remove its pid file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/unit/terminal/qualification/service_fixture.h"

extern char** environ;

namespace uketsuke::testing {
namespace {

class ServiceProcess {
  public:
    // Starts the service with extra arguments; port() is 0 when it did not come up.
    ServiceProcess(std::vector<std::string> extra, const fs::path& pidFile,
                   const fs::path& insured = insuredFile()) {
        std::vector<std::string> args = {UKETSUKE_QUALIFICATION_SERVICE_EXE,
                                         "--port",
                                         "0",
                                         "--pki",
                                         pkiDir().string(),
                                         "--insured",
                                         insured.string(),
                                         "--pid-file",
                                         pidFile.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        int out[2];
        if (::pipe(out) != 0)
            return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0)
            pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        // Read "listening on 127.0.0.1:PORT" with a deadline, so a broken service cannot hang us.
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (pid_ > 0 && line.find('\n') == std::string::npos &&
               std::chrono::steady_clock::now() < deadline) {
            pollfd p{out[0], POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0)
                continue;
            char c[128];
            const ssize_t n = ::read(out[0], c, sizeof c);
            if (n <= 0)
                break;
            line.append(c, static_cast<std::size_t>(n));
        }
        ::close(out[0]);
        const auto colon = line.rfind(':');
        if (line.rfind("listening on ", 0) == 0 && colon != std::string::npos)
            port_ = std::atoi(line.c_str() + colon + 1);
    }
    ~ServiceProcess() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    int port() const { return port_; }
    pid_t pid() const { return pid_; }

    // SIGTERM, then the exit status (or -1 when it did not exit within 5 s).
    int terminate() {
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -1;
    }

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    bool exited_ = false;
};

class ServiceProcessTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(pkiDir() / "jpki-auth-root.pem") || !fs::exists(tlsDir() / "client.pem"))
            GTEST_SKIP() << "test PKIs missing in " << pkiDir()
                         << " (build test_pki and qualification_pki)";
        dir_ = fs::temp_directory_path() / ("uketsuke-qs-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    QualificationClient clientFor(int port) {
        QualificationClientConfig c;
        c.tls.port = port;
        c.tls.caFile = (tlsDir() / "institution-ca.pem").string();
        c.tls.clientCertFile = (tlsDir() / "client.pem").string();
        c.tls.clientKeyFile = (tlsDir() / "client.key").string();
        c.challengeAttempts = 1;
        auto client = QualificationClient::create(c);
        EXPECT_TRUE(client);
        return std::move(client).takeValue();
    }

    fs::path dir_;
};

// The executable serves challenges over mutual TLS and stops cleanly on SIGTERM.
TEST_F(ServiceProcessTest, ServesAndStopsOnSigterm) {
    // Arrange
    const fs::path pidFile = dir_ / "service.pid";
    ServiceProcess service({}, pidFile);
    ASSERT_GT(service.port(), 0) << "the service did not report its port";
    // Act
    auto challenge = clientFor(service.port()).requestChallenge();
    const bool pidFileWhileRunning = fs::exists(pidFile);
    const int status = service.terminate();
    // Assert
    EXPECT_TRUE(challenge) << challenge.error().message();
    EXPECT_TRUE(pidFileWhileRunning);
    EXPECT_EQ(status, 0);
    EXPECT_FALSE(fs::exists(pidFile));
}

// --fail-status and --latency-ms apply faults from the command line.
TEST_F(ServiceProcessTest, CommandLineFaultsApply) {
    // Arrange
    ServiceProcess service({"--fail-status", "503", "--latency-ms", "100"}, dir_ / "s.pid");
    ASSERT_GT(service.port(), 0);
    // Act
    auto challenge = clientFor(service.port()).requestChallenge();
    // Assert
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kServerError);
    EXPECT_EQ(challenge.error().httpStatus, 503);
    EXPECT_EQ(service.terminate(), 0);
}

// A missing insured database is reported and the service exits non-zero without serving.
TEST_F(ServiceProcessTest, MissingDatabaseFailsToStart) {
    // Arrange / Act
    ServiceProcess service({}, dir_ / "x.pid", dir_ / "absent.json");
    // Assert
    EXPECT_EQ(service.port(), 0);
    EXPECT_EQ(service.terminate(), 1);
}

terminal::TlsClientConfig tlsFor(int port) {
    terminal::TlsClientConfig tls;
    tls.host = "127.0.0.1";
    tls.port = port;
    tls.caFile = (tlsDir() / "institution-ca.pem").string();
    tls.clientCertFile = (tlsDir() / "client.pem").string();
    tls.clientKeyFile = (tlsDir() / "client.key").string();
    return tls;
}

// The control API (faults, suspensions, refusals) answers 404 unless started with --control.
TEST_F(ServiceProcessTest, ControlApiNeedsControlFlag) {
    // Arrange
    ServiceProcess plain({}, dir_ / "plain.pid");
    ServiceProcess control({"--control"}, dir_ / "control.pid");
    ASSERT_GT(plain.port(), 0);
    ASSERT_GT(control.port(), 0);
    auto plainTransport = terminal::HttpsTransport::create(tlsFor(plain.port()));
    auto controlTransport = terminal::HttpsTransport::create(tlsFor(control.port()));
    ASSERT_TRUE(plainTransport && controlTransport);
    // Act
    auto refused = plainTransport.value().post("/v1/control/faults", R"({"fail_status": 503})");
    auto suspend = plainTransport.value().post("/v1/control/suspend",
                                               R"({"persona": "normal", "suspended": true})");
    auto stillServed = clientFor(plain.port()).requestChallenge();
    auto accepted = controlTransport.value().post("/v1/control/faults", R"({"fail_status": 503})");
    auto faulted = clientFor(control.port()).requestChallenge();
    // Assert
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused.value().status, 404);
    ASSERT_TRUE(suspend);
    EXPECT_EQ(suspend.value().status, 404);
    EXPECT_TRUE(stillServed) << stillServed.error().message();
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted.value().status, 200);
    ASSERT_FALSE(faulted);
    EXPECT_EQ(faulted.error().httpStatus, 503);
    EXPECT_EQ(plain.terminate(), 0);
    EXPECT_EQ(control.terminate(), 0);
}

// The executable with its default limits: 50 idle TCP connections and 20 stalled TLS handshakes
// do not keep a terminal's challenge from being served.
TEST_F(ServiceProcessTest, FloodOfIdleConnectionsDoesNotStarveTerminal) {
    // Arrange
    ServiceProcess service({}, dir_ / "flood.pid");
    ASSERT_GT(service.port(), 0);
    std::vector<int> fds;
    for (int i = 0; i < 70; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(service.port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
            // The last 20 start a TLS record (ClientHello header) and stall.
            const unsigned char header[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
            if (i < 50 || ::send(fd, header, sizeof header, MSG_NOSIGNAL) == sizeof header)
                fds.push_back(fd);
            else
                ::close(fd);
        } else if (fd >= 0) {
            ::close(fd);
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // Act
    const auto start = std::chrono::steady_clock::now();
    auto challenge = clientFor(service.port()).requestChallenge();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    for (int fd : fds)
        ::close(fd);
    // Assert
    EXPECT_EQ(fds.size(), 70u);
    EXPECT_TRUE(challenge) << challenge.error().message();
    std::printf(
        "uketsuke-qualification-service, 70 idle/stalled connections: challenge in %lld ms\n",
        static_cast<long long>(took.count()));
    EXPECT_LT(took.count(), 2000);
    EXPECT_EQ(service.terminate(), 0);
}

}  // namespace
}  // namespace uketsuke::testing
