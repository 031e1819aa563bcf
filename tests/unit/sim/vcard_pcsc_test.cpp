// uketsuke-vcard end to end: the real executable on vpcd port 35964 ("Virtual PCD 00 01"),
// reached through pcsc-lite like any middleware would. Needs a running pcscd with the vpcd
// driver (CTest fixture card_services); label `pcsc`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sim/sim_crypto.h"
#include "sim_test_support.h"

extern char** environ;

namespace uketsuke::sim::test {
namespace {

namespace fs = std::filesystem;
constexpr char kReader[] = "Virtual PCD 00 01";
constexpr int kPort = 35964;
constexpr DWORD kWaitMs = 10000;

class VcardProcessTest : public ::testing::Test {
  protected:
    void SetUp() override {
        runDir_ = fs::path(UKETSUKE_BUILD_DIR) / "run" / "sim-pcsc-test";
        fs::create_directories(runDir_);
        control_ = (runDir_ / "vcard.sock").string();
        const std::string exe = std::string(UKETSUKE_BUILD_DIR) + "/sim/uketsuke-vcard";
        const std::string personas = std::string(UKETSUKE_BUILD_DIR) + "/sim/personas";
        const std::string pki = std::string(UKETSUKE_BUILD_DIR) + "/pki";
        const std::string log = (runDir_ / "vcard.log").string();
        std::vector<std::string> args = {
            exe,      "--personas",          personas,   "--pki", pki, "--control", control_,
            "--port", std::to_string(kPort), "--insert", "normal"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ASSERT_EQ(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_),
                  SCARD_S_SUCCESS)
            << "pcscd is not running (start it with scripts/services.sh)";
        // A card left by an earlier test must be gone first, or its stale presence would pass
        // for ours.
        EXPECT_TRUE(waitForCard(false)) << kReader << " already holds a card: port " << kPort
                                        << " is in use by another virtual card";
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        ASSERT_EQ(posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ), 0)
            << "cannot start " << exe;
        posix_spawn_file_actions_destroy(&actions);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
        while (control("status").rfind("ok", 0) != 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ASSERT_EQ(control("status").rfind("ok persona=normal inserted=1", 0), 0u)
            << "control socket not answering (see " << log << ")";
    }

    void TearDown() override {
        if (card_ != 0)
            SCardDisconnect(card_, SCARD_RESET_CARD);
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (waitpid(pid_, &status, WNOHANG) == 0) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status, 0);
            }
        }
        // Leave the reader empty for the next test (pcscd notices within its 400 ms poll).
        if (context_ != 0) {
            waitForCard(false);
            SCardReleaseContext(context_);
        }
    }

    // Waits until the reader reports a card present (or absent).
    bool waitForCard(bool present) {
        SCARD_READERSTATE state{};
        state.szReader = kReader;
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
        while (std::chrono::steady_clock::now() < deadline) {
            const LONG rv = SCardGetStatusChange(context_, 500, &state, 1);
            if (rv == SCARD_S_SUCCESS || rv == SCARD_E_TIMEOUT) {
                const bool isPresent = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
                if (rv == SCARD_S_SUCCESS && isPresent == present)
                    return true;
                state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                state.dwCurrentState = SCARD_STATE_UNAWARE;
            }
        }
        return false;
    }

    Bytes transmit(const Bytes& apdu) {
        BYTE response[65538];
        DWORD length = sizeof response;
        const LONG rv = SCardTransmit(card_, SCARD_PCI_T1, apdu.data(),
                                      static_cast<DWORD>(apdu.size()), nullptr, response, &length);
        EXPECT_EQ(rv, SCARD_S_SUCCESS) << pcsc_stringify_error(rv);
        return rv == SCARD_S_SUCCESS ? Bytes(response, response + length) : Bytes{};
    }

    std::string control(const std::string& request) {
        const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, control_.c_str(), sizeof addr.sun_path - 1);
        std::string answer;
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
            const std::string line = request + "\n";
            if (send(fd, line.data(), line.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(line.size())) {
                timeval tv{5, 0};
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
                char c;
                while (recv(fd, &c, 1, 0) == 1 && c != '\n')
                    answer.push_back(c);
            }
        }
        close(fd);
        return answer;
    }

    fs::path runDir_;
    std::string control_;
    pid_t pid_ = -1;
    SCARDCONTEXT context_ = 0;
    SCARDHANDLE card_ = 0;
};

// Through pcsc-lite: the card appears, SELECT JPKI works and EF 000A is the persona's certificate.
TEST_F(VcardProcessTest, SelectAndReadAuthCertificateThroughPcsc) {
    ASSERT_TRUE(waitForCard(true))
        << "no card in " << kReader << " (see " << runDir_ << "/vcard.log)";
    DWORD protocol = 0;
    ASSERT_EQ(SCardConnect(context_, kReader, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1, &card_,
                           &protocol),
              SCARD_S_SUCCESS);
    // Act
    const Bytes select = transmit(selectAid(AppId::kJpki));
    const Bytes selectEfReply = transmit(selectEf(fid::kJpkiAuthCert));
    const Bytes header = transmit(readBinary(0, 4));
    ASSERT_EQ(header.size(), 6u);
    const std::size_t total = ((std::size_t{header[2]} << 8) | header[3]) + 4;
    Bytes der;
    for (std::size_t offset = 0; offset < total; offset += 256) {
        const Bytes r = transmit(readBinary(
            offset, static_cast<std::uint8_t>(std::min<std::size_t>(256, total - offset))));
        ASSERT_EQ(swOf(r), 0x9000);
        const Bytes d = dataOf(r);
        der.insert(der.end(), d.begin(), d.end());
    }
    // Assert
    EXPECT_EQ(swOf(select), 0x9000);
    EXPECT_EQ(swOf(selectEfReply), 0x9000);
    const auto expected = loadCertificateDer(pkiDir() / "personas/normal/auth.pem");
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(der, expected.value());
    EXPECT_EQ(control("selects").rfind("ok JPKI JPKI:000A", 0), 0u);
}

// The control socket's remove takes the card out of the reader; insert brings another one.
TEST_F(VcardProcessTest, ControlSocketRemovesAndInsertsCards) {
    ASSERT_TRUE(waitForCard(true));
    // Act / Assert
    EXPECT_EQ(control("remove"), "ok");
    EXPECT_TRUE(waitForCard(false));
    EXPECT_EQ(control("insert not-mynumber"), "ok");
    ASSERT_TRUE(waitForCard(true));
    DWORD protocol = 0;
    ASSERT_EQ(SCardConnect(context_, kReader, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1, &card_,
                           &protocol),
              SCARD_S_SUCCESS);
    EXPECT_EQ(swOf(transmit(selectAid(AppId::kJpki))), 0x6A82);
}

// TCP_NODELAY + TCP_QUICKACK: an APDU round trip stays far below the ~44 ms delayed-ACK stall.
TEST_F(VcardProcessTest, ApduRoundTripHasNoDelayedAckStall) {
    ASSERT_TRUE(waitForCard(true));
    DWORD protocol = 0;
    ASSERT_EQ(SCardConnect(context_, kReader, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1, &card_,
                           &protocol),
              SCARD_S_SUCCESS);
    constexpr int kApdus = 40;
    // Act
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kApdus; ++i)
        ASSERT_EQ(swOf(transmit(selectAid(AppId::kJpki))), 0x9000);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    // Assert
    const double perApduMs = std::chrono::duration<double, std::milli>(elapsed).count() / kApdus;
    EXPECT_LT(perApduMs, 15.0);
    RecordProperty("per_apdu_ms", std::to_string(perApduMs));
}

}  // namespace
}  // namespace uketsuke::sim::test
