// uketsuke-vcard: the virtual My Number Card as a vpcd client (toolchain.md §4, card-protocol.md
// Errata 5) plus the control socket of sim/README.md. One thread, one poll() over the vpcd
// connection, the control listener and its clients. The card logic is VcardController.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "sim/vcard_controller.h"
#include "uketsuke/guarded_main.h"

namespace {

using uketsuke::Bytes;
using uketsuke::ByteView;
using uketsuke::sim::VcardController;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) {
    gStop = 1;
}

// vpcd control bytes (vsmartcard vpcd.h).
constexpr std::uint8_t kVpcdPowerOff = 0x00, kVpcdPowerOn = 0x01, kVpcdReset = 0x02,
                       kVpcdGetAtr = 0x04;
constexpr auto kReconnectInterval = std::chrono::milliseconds(200);
constexpr int kConnectTimeoutMs = 300;
// After a removal the card stays out at least this long, so that pcscd (which polls card
// presence every 400 ms) sees the removal before a replacement card arrives.
constexpr auto kRemovalGap = std::chrono::milliseconds(1000);
constexpr std::size_t kMaxControlLine = 1024;

// vpcd sends the 2-byte length and the payload in two send() calls; without an immediate ACK
// each APDU waits for the peer's delayed-ACK timer (~44 ms). QUICKACK is cleared by the kernel
// after use, so it is re-armed after every recv (card-protocol.md Errata 5).
void armQuickAck(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

bool sendAll(int fd, const Bytes& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool sendFrame(int fd, ByteView payload) {
    Bytes frame = {static_cast<std::uint8_t>(payload.size() >> 8),
                   static_cast<std::uint8_t>(payload.size())};
    frame.insert(frame.end(), payload.begin(), payload.end());
    return sendAll(fd, frame);
}

int connectVpcd(const std::string& host, int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
        return -1;
    // Non-blocking connect with a short timeout: vpcd listens with a backlog of 0, so while the
    // driver has not yet accepted an earlier connection (pcscd serialises all readers of one
    // driver), a blocking connect() would sit in SYN retries for up to two minutes and freeze
    // this card's control socket. Retrying every kReconnectInterval gets in as soon as there is
    // room.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        pollfd p{fd, POLLOUT, 0};
        int error = 0;
        socklen_t len = sizeof error;
        if (errno != EINPROGRESS || ::poll(&p, 1, kConnectTimeoutMs) != 1 ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
            ::close(fd);
            return -1;
        }
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    armQuickAck(fd);
    return fd;
}

int listenControl(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        return -1;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ::unlink(path.c_str());
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 8) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct ControlClient {
    int fd;
    std::string buffer;
};

class Vcard {
  public:
    Vcard(VcardController& controller, std::string host, int port)
        : controller_(controller), host_(std::move(host)), port_(port) {}

    void run(int controlFd) {
        while (!gStop) {
            manageVpcd();
            std::vector<pollfd> fds;
            fds.push_back({controlFd, POLLIN, 0});
            for (const auto& c : clients_)
                fds.push_back({c.fd, POLLIN, 0});
            if (vpcdFd_ >= 0)
                fds.push_back({vpcdFd_, POLLIN, 0});
            const int timeoutMs = controller_.inserted() && vpcdFd_ < 0 ? 50 : 500;
            if (::poll(fds.data(), fds.size(), timeoutMs) < 0) {
                if (errno == EINTR)
                    continue;
                spdlog::error("vcard: poll: {}", std::strerror(errno));
                break;
            }
            if (vpcdFd_ >= 0 && fds.back().fd == vpcdFd_ && fds.back().revents != 0)
                readVpcd();
            for (std::size_t i = 0; i < clients_.size(); ++i)
                if (fds[1 + i].revents != 0)
                    readClient(clients_[i]);
            std::erase_if(clients_, [](const ControlClient& c) { return c.fd < 0; });
            if (fds[0].revents & POLLIN) {
                const int fd = ::accept4(controlFd, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0)
                    clients_.push_back({fd, {}});
            }
        }
        closeVpcd("shutdown");
        for (auto& c : clients_)
            ::close(c.fd);
    }

  private:
    // The card is in the reader exactly while the vpcd connection is open.
    void manageVpcd() {
        if (!controller_.inserted()) {
            closeVpcd("card removed");
            return;
        }
        if (vpcdFd_ >= 0 && connectedInsertion_ != controller_.insertion())
            closeVpcd("card replaced");
        if (vpcdFd_ >= 0 || Clock::now() < nextAttempt_)
            return;
        vpcdFd_ = connectVpcd(host_, port_);
        if (vpcdFd_ < 0) {
            nextAttempt_ = Clock::now() + kReconnectInterval;
            if (!waitingLogged_)
                spdlog::info("vcard: waiting for vpcd on {}:{}", host_, port_);
            waitingLogged_ = true;
            return;
        }
        waitingLogged_ = false;
        connectedInsertion_ = controller_.insertion();
        inbuf_.clear();
        spdlog::info("vcard: card {} inserted (vpcd {}:{})", controller_.persona(), host_, port_);
    }

    void closeVpcd(const char* why) {
        if (vpcdFd_ < 0)
            return;
        ::close(vpcdFd_);
        vpcdFd_ = -1;
        nextAttempt_ = Clock::now() + kRemovalGap;
        controller_.powerOff();
        spdlog::info("vcard: vpcd connection closed ({})", why);
    }

    void readVpcd() {
        std::uint8_t chunk[4096];
        const ssize_t n = ::recv(vpcdFd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                return;
            closeVpcd("vpcd closed the connection");
            // pcscd went away: try again later, as long as the card is inserted.
            nextAttempt_ = Clock::now() + kReconnectInterval;
            return;
        }
        armQuickAck(vpcdFd_);
        inbuf_.insert(inbuf_.end(), chunk, chunk + n);
        while (vpcdFd_ >= 0 && inbuf_.size() >= 2) {
            const std::size_t len = (std::size_t{inbuf_[0]} << 8) | inbuf_[1];
            if (inbuf_.size() < 2 + len)
                break;
            const Bytes payload(inbuf_.begin() + 2,
                                inbuf_.begin() + 2 + static_cast<std::ptrdiff_t>(len));
            inbuf_.erase(inbuf_.begin(), inbuf_.begin() + 2 + static_cast<std::ptrdiff_t>(len));
            handleFrame(payload);
        }
    }

    void handleFrame(const Bytes& payload) {
        if (payload.size() == 1) {
            switch (payload[0]) {
                case kVpcdPowerOff:
                    controller_.powerOff();
                    return;
                case kVpcdPowerOn:
                case kVpcdReset:
                    controller_.reset();
                    return;
                case kVpcdGetAtr:
                    if (!sendFrame(vpcdFd_, controller_.atr()))
                        closeVpcd("send failed");
                    return;
                default:
                    spdlog::warn("vcard: unknown vpcd control byte {:02X}", payload[0]);
                    return;
            }
        }
        if (payload.empty())
            return;
        if (controller_.apduDelayMs() > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(controller_.apduDelayMs()));
        const auto reply = controller_.transmit(payload);
        if (reply.pullCard) {
            closeVpcd("fault: card pulled out");
            return;
        }
        // Never an empty answer: vpcd would block waiting for one (Errata 5). The card always
        // answers at least a status word, so this is a guard, not a path.
        if (reply.response.empty() || !sendFrame(vpcdFd_, reply.response))
            closeVpcd("send failed");
    }

    void readClient(ControlClient& c) {
        char chunk[512];
        const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            ::close(c.fd);
            c.fd = -1;
            return;
        }
        c.buffer.append(chunk, static_cast<std::size_t>(n));
        for (std::size_t eol = c.buffer.find('\n'); eol != std::string::npos;
             eol = c.buffer.find('\n')) {
            std::string line = c.buffer.substr(0, eol);
            c.buffer.erase(0, eol + 1);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            const std::string answer = controller_.handle(line) + "\n";
            spdlog::info("vcard: control '{}' -> {}", line, answer.substr(0, answer.find(' ')));
            if (!sendAll(c.fd, Bytes(answer.begin(), answer.end())))
                break;
        }
        if (c.buffer.size() > kMaxControlLine) {
            sendAll(c.fd, uketsuke::bytesOf("error request too long\n"));
            ::close(c.fd);
            c.fd = -1;
        }
    }

    VcardController& controller_;
    std::string host_;
    int port_;
    int vpcdFd_ = -1;
    std::uint64_t connectedInsertion_ = 0;
    Clock::time_point nextAttempt_{};
    bool waitingLogged_ = false;
    Bytes inbuf_;
    std::vector<ControlClient> clients_;
};

}  // namespace

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Virtual My Number Card for pcscd's vpcd driver (test material)"};
    std::string personasDir, pkiDir, controlPath, host = "127.0.0.1", insert;
    int port = 35963, delayMs = 0;
    std::string extendedLength = "persona";
    app.add_option("--personas", personasDir, "folder of persona JSON files")->required();
    app.add_option("--pki", pkiDir, "test PKI folder (build/pki)")->required();
    app.add_option("--control", controlPath, "control socket path")->required();
    app.add_option("--port", port, "vpcd port: 35963 = Virtual PCD 00 00, 35964 = 00 01");
    app.add_option("--host", host, "vpcd host (IPv4)");
    app.add_option("--insert", insert, "persona to insert at start");
    app.add_option("--apdu-delay-ms", delayMs, "delay before each answer (benchmarks)");
    app.add_option("--extended-length", extendedLength,
                   "extended-Le READ BINARY: on (answered), off (6700), persona (each persona's)")
        ->check(CLI::IsMember({"on", "off", "persona"}));
    CLI11_PARSE(app, argc, argv);

    auto personas = uketsuke::sim::loadPersonaDir(personasDir);
    if (!personas) {
        spdlog::error("vcard: {}", personas.error().message());
        return 1;
    }
    VcardController controller(std::move(personas).takeValue(), pkiDir);
    for (const auto& failure : controller.preload())
        spdlog::warn("vcard: persona not available: {}", failure.message());
    controller.setApduDelayMs(delayMs);
    if (extendedLength != "persona")
        controller.setExtendedLengthOverride(extendedLength == "on");
    if (!insert.empty()) {
        auto r = controller.insert(insert);
        if (!r) {
            spdlog::error("vcard: --insert {}: {}", insert, r.error().message());
            return 1;
        }
    }

    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    const int controlFd = listenControl(controlPath);
    if (controlFd < 0) {
        spdlog::error("vcard: cannot listen on {}: {}", controlPath, std::strerror(errno));
        return 1;
    }
    spdlog::info("vcard: control socket {}", controlPath);
    Vcard(controller, host, port).run(controlFd);
    ::close(controlFd);
    ::unlink(controlPath.c_str());
    spdlog::info("vcard: stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return uketsuke::guardedMain("vcard", 1, [&] { return run(argc, argv); });
}
