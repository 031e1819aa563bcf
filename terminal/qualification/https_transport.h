// Minimal HTTPS/1.1 client for the qualification service over mutual TLS (OpenSSL 3):
// one POST per connection (`Connection: close`), the server verified against the configured CA
// and host name/IP, the terminal authenticated by its client certificate, and hard deadlines.
//
// Why not cpp-httplib's client: its Result reports a read timeout, a reset and a TLS alert all as
// "Read" and hides errno and the TLS alert, so the typed errors the session needs (timeout vs
// connection lost vs client certificate refused) cannot be told apart. The server side does use
// cpp-httplib (sim/qualification).
//
// Thread-safety: post() may be called concurrently; the SSL_CTX is shared read-only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "terminal/qualification/qualification_error.h"
#include "uketsuke/result.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace uketsuke::terminal {

struct TlsClientConfig {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string caFile;          // CA the server certificate must chain to
    std::string clientCertFile;  // the terminal's (medical institution's) certificate
    std::string clientKeyFile;
    int connectTimeoutMs = 3000;    // TCP connect + TLS handshake
    int responseTimeoutMs = 10000;  // sending the request + receiving the whole answer
};

struct HttpResponse {
    int status = 0;
    std::string body;
};

// The private-key file mode check of start-up (issue 14): "" when `path` is not readable or
// writable by group or others, otherwise the one-line reason (with the mode and the fix). A file
// that cannot be stat'ed gives "" (the key loader reports it).
std::string privateKeyFileModeProblem(const std::string& path);

class HttpsTransport {
  public:
    static Result<HttpsTransport, QualificationError> create(const TlsClientConfig& config);

    // kUnreachable/kTimeout/kTls/kConnectionLost/kMalformedResponse on failure; any HTTP status
    // is a success here (the caller interprets it).
    Result<HttpResponse, QualificationError> post(std::string_view path,
                                                  std::string_view jsonBody) const;

    const TlsClientConfig& config() const { return config_; }

  private:
    HttpsTransport(std::shared_ptr<SSL_CTX> ctx, TlsClientConfig config)
        : ctx_(std::move(ctx)), config_(std::move(config)) {}

    std::shared_ptr<SSL_CTX> ctx_;
    TlsClientConfig config_;
};

}  // namespace uketsuke::terminal
