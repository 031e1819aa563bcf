// HTTPS/1.1 POST over mutual TLS with deadlines and typed failures (see https_transport.h).
#include "terminal/qualification/https_transport.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace uketsuke::terminal {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxHeaderBytes = std::size_t{16} * 1024;
constexpr std::size_t kMaxBodyBytes = std::size_t{1024} * 1024;

QualificationError makeError(QualificationErrorCode code, std::string detail,
                             bool requestSent = false) {
    QualificationError e;
    e.code = code;
    e.detail = std::move(detail);
    e.requestSent = requestSent;
    return e;
}

int remainingMs(SteadyClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// 1 ready, 0 deadline passed, -1 poll error.
int waitFd(int fd, bool forWrite, SteadyClock::time_point deadline) {
    for (;;) {
        const int ms = remainingMs(deadline);
        if (ms == 0)
            return 0;
        pollfd p{fd, static_cast<short>(forWrite ? POLLOUT : POLLIN), 0};
        const int r = ::poll(&p, 1, ms);
        if (r > 0)
            return 1;
        if (r == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

std::string openSslErrorText() {
    const unsigned long err = ERR_peek_last_error();
    char buf[256] = "unknown TLS error";
    if (err != 0)
        ERR_error_string_n(err, buf, sizeof buf);
    ERR_clear_error();
    return buf;
}

// Writing to a socket the peer has closed raises SIGPIPE, which would kill the terminal. OpenSSL
// writes with write(2), not send(MSG_NOSIGNAL), so SIGPIPE is blocked on this thread for the
// duration of a request and a signal it raised is consumed before the mask is restored.
class SigpipeGuard {
  public:
    SigpipeGuard() {
        sigemptyset(&pipeSet_);
        sigaddset(&pipeSet_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipeSet_, &oldMask_);
        sigset_t pending;
        sigpending(&pending);
        pendingBefore_ = sigismember(&pending, SIGPIPE) == 1;
    }
    ~SigpipeGuard() {
        if (!pendingBefore_) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec zero{0, 0};
                sigtimedwait(&pipeSet_, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &oldMask_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

  private:
    sigset_t pipeSet_{};
    sigset_t oldMask_{};
    bool pendingBefore_ = false;
};

class Socket {
  public:
    explicit Socket(int fd = -1) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Socket& operator=(Socket&&) = delete;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

struct SslDeleter {
    void operator()(SSL* s) const { SSL_free(s); }
};

Result<Socket, QualificationError> connectTcp(const std::string& host, int port,
                                              SteadyClock::time_point deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &list) != 0 || list == nullptr)
        return fail(makeError(QualificationErrorCode::kUnreachable, "cannot resolve " + host));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, &::freeaddrinfo);

    int lastErrno = ECONNREFUSED;
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        Socket s(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          ai->ai_protocol));
        if (s.fd() < 0) {
            lastErrno = errno;
            continue;
        }
        if (::connect(s.fd(), ai->ai_addr, ai->ai_addrlen) == 0)
            return s;
        if (errno != EINPROGRESS) {
            lastErrno = errno;
            continue;
        }
        const int ready = waitFd(s.fd(), true, deadline);
        if (ready == 0)
            return fail(makeError(QualificationErrorCode::kTimeout, "connect timed out"));
        int soError = 0;
        socklen_t len = sizeof soError;
        if (ready > 0 && ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &soError, &len) == 0 &&
            soError == 0)
            return s;
        lastErrno = ready > 0 ? soError : errno;
    }
    return fail(makeError(QualificationErrorCode::kUnreachable,
                          "connect to " + host + ":" + service + ": " + std::strerror(lastErrno)));
}

// Classifies a failed SSL_* call. `phase` names the step for the log.
QualificationError sslFailure(SSL* ssl, int ret, const char* phase, bool requestSent) {
    const int err = SSL_get_error(ssl, ret);
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
        // EOF or reset without a TLS alert: the peer went away.
        const std::string why = errno != 0 && ret < 0 ? std::strerror(errno) : "closed by peer";
        ERR_clear_error();
        return makeError(QualificationErrorCode::kConnectionLost, std::string(phase) + ": " + why,
                         requestSent);
    }
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
        ERR_clear_error();
        return makeError(
            QualificationErrorCode::kTls,
            std::string("server certificate: ") + X509_verify_cert_error_string(verify),
            requestSent);
    }
    // A TLS alert from the server (e.g. certificate required, unknown CA) lands here.
    return makeError(QualificationErrorCode::kTls, std::string(phase) + ": " + openSslErrorText(),
                     requestSent);
}

// Runs an SSL_* step to completion, waiting for the socket until the deadline.
template <typename Step>
Result<int, QualificationError> drive(SSL* ssl, int fd, SteadyClock::time_point deadline,
                                      const char* phase, bool requestSent, Step step) {
    for (;;) {
        errno = 0;
        const int r = step();
        if (r > 0)
            return r;
        const int err = SSL_get_error(ssl, r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            const int ready = waitFd(fd, err == SSL_ERROR_WANT_WRITE, deadline);
            if (ready == 0)
                return fail(makeError(QualificationErrorCode::kTimeout,
                                      std::string(phase) + " timed out", requestSent));
            if (ready < 0)
                return fail(makeError(QualificationErrorCode::kConnectionLost,
                                      std::string(phase) + ": poll failed", requestSent));
            continue;
        }
        return fail(sslFailure(ssl, r, phase, requestSent));
    }
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

struct ParsedHead {
    int status = 0;
    std::size_t bodyOffset = 0;
    long long contentLength = -1;  // -1: until EOF
};

// Parses the status line and headers once "\r\n\r\n" is in `buf`. nullopt-like: status 0 means
// malformed.
ParsedHead parseHead(std::string_view buf, std::size_t end) {
    ParsedHead head;
    std::string_view text = buf.substr(0, end);
    const std::size_t lineEnd = text.find("\r\n");
    std::string_view statusLine = text.substr(0, lineEnd);
    if (statusLine.size() < 12 || statusLine.substr(0, 7) != "HTTP/1." || statusLine[8] != ' ')
        return head;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(statusLine[i])))
            return head;
        status = status * 10 + (statusLine[i] - '0');
    }
    std::size_t pos = lineEnd == std::string_view::npos ? text.size() : lineEnd + 2;
    while (pos < text.size()) {
        std::size_t next = text.find("\r\n", pos);
        if (next == std::string_view::npos)
            next = text.size();
        const std::string_view line = text.substr(pos, next - pos);
        pos = next + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return head;
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
            if (value.empty() || value.size() > 9)
                return head;
            long long n = 0;
            for (char c : value) {
                if (!std::isdigit(static_cast<unsigned char>(c)))
                    return head;
                n = n * 10 + (c - '0');
            }
            head.contentLength = n;
        } else if (iequals(name, "Transfer-Encoding") && !iequals(value, "identity")) {
            return head;  // chunked answers are not part of the service's protocol
        }
    }
    head.status = status;
    head.bodyOffset = end + 4;
    return head;
}

}  // namespace

Result<HttpsTransport, QualificationError> HttpsTransport::create(const TlsClientConfig& config) {
    std::shared_ptr<EVP_PKEY> clientKey;
    if (!config.clientKeyFile.empty()) {
        auto key = loadTerminalKey(clientKeySpec(config));
        if (!key)
            return key.failure();
        clientKey = std::move(key).takeValue();
    }
    std::shared_ptr<SSL_CTX> ctx(
        SSL_CTX_new_ex(nullptr, propertyQueryFor(clientKey.get()), TLS_client_method()),
        &SSL_CTX_free);
    if (!ctx)
        return fail(makeError(QualificationErrorCode::kCrypto, openSslErrorText()));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    // A peer closing without close_notify is reported as EOF (connection lost), not a TLS error.
    SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (config.caFile.empty() ||
        SSL_CTX_load_verify_locations(ctx.get(), config.caFile.c_str(), nullptr) != 1)
        return fail(makeError(QualificationErrorCode::kConfiguration,
                              "cannot load CA file " + config.caFile + ": " + openSslErrorText()));
    if (!config.clientCertFile.empty() || !config.clientKeyFile.empty()) {
        if (SSL_CTX_use_certificate_chain_file(ctx.get(), config.clientCertFile.c_str()) != 1 ||
            !clientKey || SSL_CTX_use_PrivateKey(ctx.get(), clientKey.get()) != 1 ||
            SSL_CTX_check_private_key(ctx.get()) != 1)
            return fail(makeError(QualificationErrorCode::kConfiguration,
                                  "cannot load client certificate/key " + config.clientCertFile +
                                      ": " + openSslErrorText()));
    }
    if (config.port <= 0 || config.port > 65535 || config.host.empty())
        return fail(makeError(QualificationErrorCode::kConfiguration, "bad host or port"));
    return HttpsTransport(std::move(ctx), config);
}

Result<HttpResponse, QualificationError> HttpsTransport::post(std::string_view path,
                                                              std::string_view jsonBody) const {
    SigpipeGuard sigpipe;
    const auto connectDeadline =
        SteadyClock::now() + std::chrono::milliseconds(config_.connectTimeoutMs);
    auto sock = connectTcp(config_.host, config_.port, connectDeadline);
    if (!sock)
        return sock.failure();
    const int fd = sock.value().fd();

    std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx_.get()));
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1)
        return fail(makeError(QualificationErrorCode::kCrypto, openSslErrorText()));
    // Verify the server's name: an IP literal against the IP SAN, otherwise the DNS name.
    in6_addr addr{};
    const bool isIp = ::inet_pton(AF_INET, config_.host.c_str(), &addr) == 1 ||
                      ::inet_pton(AF_INET6, config_.host.c_str(), &addr) == 1;
    if (isIp) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), config_.host.c_str());
    } else {
        SSL_set_tlsext_host_name(ssl.get(), config_.host.c_str());
        SSL_set1_host(ssl.get(), config_.host.c_str());
    }
    ERR_clear_error();
    auto hs = drive(ssl.get(), fd, connectDeadline, "TLS handshake", false,
                    [&] { return SSL_connect(ssl.get()); });
    if (!hs)
        return hs.failure();

    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(config_.responseTimeoutMs);
    std::string request = "POST " + std::string(path) + " HTTP/1.1\r\nHost: " + config_.host + ":" +
                          std::to_string(config_.port) +
                          "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                          "Connection: close\r\nContent-Length: " +
                          std::to_string(jsonBody.size()) + "\r\n\r\n";
    request.append(jsonBody);
    std::size_t written = 0;
    while (written < request.size()) {
        auto w = drive(ssl.get(), fd, deadline, "send", false, [&] {
            return SSL_write(ssl.get(), request.data() + written,
                             static_cast<int>(request.size() - written));
        });
        if (!w) {
            // A server that refuses the client certificate (TLS 1.3: after the client's side of
            // the handshake completed) sends an alert and closes, so the write may fail with
            // EPIPE while the alert waits in the receive buffer: read it to report kTls.
            if (w.error().code == QualificationErrorCode::kConnectionLost) {
                char probe[256];
                errno = 0;
                const int n = SSL_read(ssl.get(), probe, sizeof probe);
                if (n <= 0 && SSL_get_error(ssl.get(), n) == SSL_ERROR_SSL)
                    return fail(sslFailure(ssl.get(), n, "send", false));
                ERR_clear_error();
            }
            return w.failure();
        }
        written += static_cast<std::size_t>(w.value());
    }

    // From here on the service may have acted on the request (requestSent = true).
    std::string buf;
    ParsedHead head;
    char chunk[16384];
    for (;;) {
        if (head.status == 0) {
            const std::size_t end = buf.find("\r\n\r\n");
            if (end != std::string::npos) {
                head = parseHead(buf, end);
                if (head.status == 0 || head.contentLength > static_cast<long long>(kMaxBodyBytes))
                    return fail(makeError(QualificationErrorCode::kMalformedResponse,
                                          "bad HTTP response head", true));
            } else if (buf.size() > kMaxHeaderBytes) {
                return fail(makeError(QualificationErrorCode::kMalformedResponse,
                                      "HTTP response head too large", true));
            }
        }
        if (head.status != 0 && head.contentLength >= 0 &&
            buf.size() >= head.bodyOffset + static_cast<std::size_t>(head.contentLength))
            break;
        if (buf.size() > kMaxHeaderBytes + kMaxBodyBytes)
            return fail(makeError(QualificationErrorCode::kMalformedResponse,
                                  "HTTP response too large", true));
        errno = 0;
        const int n = SSL_read(ssl.get(), chunk, sizeof chunk);
        if (n > 0) {
            buf.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        const int err = SSL_get_error(ssl.get(), n);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            const int ready = waitFd(fd, err == SSL_ERROR_WANT_WRITE, deadline);
            if (ready == 0)
                return fail(makeError(QualificationErrorCode::kTimeout,
                                      "no complete answer within " +
                                          std::to_string(config_.responseTimeoutMs) + " ms",
                                      true));
            if (ready < 0)
                return fail(
                    makeError(QualificationErrorCode::kConnectionLost, "poll failed", true));
            continue;
        }
        // End of stream: complete only when the answer declared no length and the head is in.
        if (err == SSL_ERROR_ZERO_RETURN && head.status != 0 && head.contentLength < 0)
            break;
        QualificationError e = sslFailure(ssl.get(), n, "receive", true);
        if (e.code == QualificationErrorCode::kConnectionLost)
            e.detail += " after " + std::to_string(buf.size()) + " bytes of the answer";
        return fail(std::move(e));
    }
    SSL_shutdown(ssl.get());  // best effort, non-blocking: the connection closes anyway

    HttpResponse response;
    response.status = head.status;
    const std::size_t bodyLen = head.contentLength >= 0
                                    ? static_cast<std::size_t>(head.contentLength)
                                    : buf.size() - head.bodyOffset;
    response.body = buf.substr(head.bodyOffset, bodyLen);
    return response;
}

}  // namespace uketsuke::terminal
