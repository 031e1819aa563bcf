// The terminal key in a TPM 2.0 (issue 16): a software TPM (swtpm behind tpm2-abrmd, started here
// and stopped by PID) holds the key; the reference service, configured to serve only hardware-held
// terminal keys, accepts mutual TLS and a face attestation made with it, refuses the same request
// made with a key file, and a copy of the key blob signs nothing: not as a file key, not on another
// TPM.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "terminal/qualification/terminal_key.h"
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using terminal::KeyStore;
using terminal::TerminalKeySpec;

// Binds a loopback TCP socket to `port` (0: any free one) and returns the port it got, 0 when the
// port is taken. The socket is closed again: the port is only probed.
int bindLoopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    socklen_t len = sizeof a;
    int got = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        got = ntohs(a.sin_port);
    ::close(fd);
    return got;
}

// A free loopback port whose successor is free too: the swtpm TCTI expects the control channel
// on the server port + 1.
int freeLoopbackPortPair() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int port = bindLoopback(0);
        if (port > 0 && port < 65535 && bindLoopback(port + 1) == port + 1)
            return port;
    }
    return 0;
}

int sh(const std::string& command) {
    return std::system(command.c_str());
}

int readPid(const fs::path& file) {
    std::ifstream in(file);
    int pid = 0;
    return in >> pid ? pid : 0;
}

// One software TPM in its own state folder, on loopback ports. With a resource manager, also a
// private D-Bus session bus and tpm2-abrmd in front of it: what the kernel's /dev/tpmrm0 is on a
// reception PC (a TPM holds only a few objects at a time; the manager swaps them). Everything is
// stopped by PID.
class SoftwareTpm {
  public:
    SoftwareTpm(fs::path dir, bool resourceManager) : dir_(std::move(dir)) {
        fs::create_directories(dir_ / "state");
        port_ = freeLoopbackPortPair();
        const std::string swtpm =
            "swtpm socket --tpm2 --tpmstate dir=" + (dir_ / "state").string() +
            " --server type=tcp,port=" + std::to_string(port_) +
            ",bindaddr=127.0.0.1 --ctrl type=tcp,port=" + std::to_string(port_ + 1) +
            ",bindaddr=127.0.0.1 --flags not-need-init,startup-clear "
            "--daemon --pid file=" +
            (dir_ / "swtpm.pid").string() + " 2>" + (dir_ / "swtpm.err").string();
        if (sh(swtpm) != 0)
            return;
        if (!resourceManager) {
            started_ = true;
            return;
        }
        if (sh("dbus-daemon --session --fork --print-address=4 --print-pid=5 4>" +
               (dir_ / "bus.address").string() + " 5>" + (dir_ / "dbus.pid").string()) != 0)
            return;
        std::ifstream in(dir_ / "bus.address");
        std::string address;
        std::getline(in, address);
        ::setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1);
        sh("tpm2-abrmd --session --allow-root --flush-all --tcti=" + swtpmTcti() + " >" +
           (dir_ / "abrmd.log").string() + " 2>&1 & echo $! >" + (dir_ / "abrmd.pid").string());
        for (int i = 0; i < 100 && !started_; ++i) {
            started_ =
                sh("tpm2_getrandom -T " + std::string(kManagedTcti) + " 4 >/dev/null 2>&1") == 0;
            if (!started_)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        tcti_ = kManagedTcti;
    }
    ~SoftwareTpm() {
        for (const char* file : {"abrmd.pid", "swtpm.pid", "dbus.pid"}) {
            if (const int pid = readPid(dir_ / file); pid > 0)
                ::kill(pid, SIGTERM);
        }
    }
    bool started() const { return started_; }
    std::string tcti() const { return tcti_.empty() ? swtpmTcti() : tcti_; }

  private:
    static constexpr const char* kManagedTcti = "tabrmd:bus_type=session";
    std::string swtpmTcti() const { return "swtpm:host=127.0.0.1,port=" + std::to_string(port_); }

    fs::path dir_;
    int port_ = 0;
    std::string tcti_;
    bool started_ = false;
};

class TpmKeyTest : public QualificationServiceTest {
  protected:
    void SetUp() override {
        // The provider cannot be listed without a TPM: look for its module file.
        if (sh("command -v swtpm tpm2-abrmd dbus-daemon tpm2_getrandom >/dev/null && test -f "
               "\"$(openssl version -m | "
               "sed 's/^[^\"]*\"//; s/\"$//')/tpm2.so\"") != 0)
            GTEST_SKIP() << "swtpm, tpm2-abrmd, dbus or the OpenSSL TPM 2.0 provider is missing "
                            "(scripts/setup.sh installs them)";
        QualificationServiceTest::SetUp();
        if (IsSkipped())
            return;
        dir_ = fs::temp_directory_path() / ("uketsuke-tpm-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        tpm_ = std::make_unique<SoftwareTpm>(dir_ / "tpm-a", true);
        ASSERT_TRUE(tpm_->started()) << "swtpm with its resource manager did not start";
        // The terminal's key, generated inside the TPM; its certificate from the facility CA
        // with the hardware-key policy (what an enrolment that checked the TPM would issue).
        blob_ = dir_ / "terminal.tss2.pem";
        cert_ = dir_ / "terminal.pem";
        const std::string tpmEnv = "TPM2OPENSSL_TCTI='" + tpm_->tcti() + "' ";
        const std::string quiet = " >/dev/null 2>>" + (dir_ / "openssl.err").string();
        ASSERT_EQ(sh(tpmEnv +
                     "openssl genpkey -provider tpm2 -provider default -algorithm EC "
                     "-pkeyopt group:P-256 -out " +
                     blob_.string() + quiet),
                  0)
            << errors();
        fs::permissions(blob_, fs::perms::owner_read | fs::perms::owner_write);
        ASSERT_EQ(
            sh(tpmEnv + "openssl req -new -provider tpm2 -provider default -key " + blob_.string() +
               " -subj '/C=JP/O=UKETSUKE-TEST Medical Institution/CN=1312345678' -out " +
               (dir_ / "terminal.csr").string() + quiet),
            0);
        std::ofstream(dir_ / "terminal.ext")
            << "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
               "extendedKeyUsage=clientAuth\ncertificatePolicies="
            << sim::kHardwareKeyPolicyOid << "\n";
        ASSERT_EQ(sh("openssl x509 -req -in " + (dir_ / "terminal.csr").string() + " -CA " +
                     (tlsDir() / "institution-ca.pem").string() + " -CAkey " +
                     (tlsDir() / "institution-ca.key").string() + " -set_serial 0x" +
                     std::to_string(::getpid()) + "77 -days 30 -sha256 -extfile " +
                     (dir_ / "terminal.ext").string() + " -out " + cert_.string() + quiet),
                  0);
        sim::ServiceConfig config;
        config.requireHardwareKey = true;
        startService(sim::InsuredDatabase::load(insuredFile().string()), config);
    }
    void TearDown() override {
        QualificationServiceTest::TearDown();
        tpm_.reset();
        // The stopped daemons may still be deleting their own PID files: retry, never throw.
        std::error_code ec;
        for (int i = 0; i < 20 && !dir_.empty() && fs::exists(dir_, ec); ++i) {
            fs::remove_all(dir_, ec);
            if (ec)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    std::string errors() const {
        std::ifstream in(dir_ / "openssl.err");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    TerminalKeySpec tpmKey() const { return TerminalKeySpec{KeyStore::kTpm2, blob_, tpm_->tcti()}; }

    QualificationClientConfig tpmClientConfig() const {
        auto c = clientConfig();
        c.tls.clientCertFile = cert_.string();
        c.tls.clientKeyFile = blob_.string();
        c.tls.clientKeyStore = KeyStore::kTpm2;
        c.tls.tpm2Tcti = tpm_->tcti();
        return c;
    }

    fs::path dir_, blob_, cert_;
    std::unique_ptr<SoftwareTpm> tpm_;
};

// Mutual TLS and a face attestation with the TPM key: confirmed.
TEST_F(TpmKeyTest, TpmKeyConfirmsAFaceCheck) {
    REQUIRE_PERSONA("normal");
    auto created = QualificationClient::create(tpmClientConfig());
    ASSERT_TRUE(created) << created.error().message();
    QualificationClient c = std::move(created).takeValue();
    auto signer = terminal::AttestationSigner::fromKey(tpmKey());
    ASSERT_TRUE(signer) << signer.error().message();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge) << challenge.error().message();
    terminal::AttestationInput in;
    in.challenge = challenge.value().bytes;
    in.method = terminal::IdentityMethod::kFace;
    in.authCertificateDer = personaCertificateDer("normal");
    in.face = terminal::FaceCheck{0.25, 0.4};
    in.time = std::time(nullptr);
    auto attestation = signer.value().sign(in);
    ASSERT_TRUE(attestation) << attestation.error().message();
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = in.authCertificateDer;
    req.method = terminal::IdentityMethod::kFace;
    req.attestation = attestation.value();
    auto answer = c.confirm(req);
    ASSERT_TRUE(answer) << answer.error().message();
    EXPECT_EQ(answer.value().validity, terminal::QualificationValidity::kValid);
}

// The same request made with a key file (the terminal key as a copyable PEM) is refused by a
// service that serves only hardware-held keys.
TEST_F(TpmKeyTest, FileKeyIsRefusedByTheService) {
    QualificationClient c = client(clientConfig("client"));  // client.key: a plain PEM file
    auto challenge = c.requestChallenge();
    ASSERT_FALSE(challenge);
    EXPECT_EQ(challenge.error().code, QualificationErrorCode::kRefused)
        << challenge.error().message();
    EXPECT_NE(challenge.error().message().find("terminal_key_not_hardware"), std::string::npos)
        << challenge.error().message();
}

// A copy of the key material on disk signs nothing: OpenSSL cannot use the TSS2 blob as a key
// file, and another TPM (a second swtpm with its own state) does not accept it.
TEST_F(TpmKeyTest, CopyOfTheKeyBlobCannotSign) {
    const fs::path copy = dir_ / "copy.pem";
    fs::copy_file(blob_, copy);
    fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
    auto asFile = terminal::loadTerminalKey(TerminalKeySpec{KeyStore::kFile, copy, {}});
    EXPECT_FALSE(asFile);

    SoftwareTpm other(dir_ / "tpm-b", false);
    ASSERT_TRUE(other.started());
    std::ofstream(dir_ / "digest.bin", std::ios::binary) << std::string(32, 'x');
    const std::string sign = "openssl pkeyutl -provider tpm2 -provider default -sign -inkey " +
                             copy.string() + " -in " + (dir_ / "digest.bin").string() + " -out " +
                             (dir_ / "sig.bin").string() + " >/dev/null 2>&1";
    EXPECT_NE(sh("TPM2OPENSSL_TCTI='" + other.tcti() + "' " + sign), 0)
        << "another TPM signed with a copy of the key blob";
    // The original TPM still signs with it (the command itself is right).
    EXPECT_EQ(sh("TPM2OPENSSL_TCTI='" + tpm_->tcti() + "' " + sign), 0);
}

}  // namespace
}  // namespace uketsuke::testing
