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
#include "terminal/qualification/terminal_key.h"
#include "uketsuke/result.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace uketsuke::terminal {

struct TlsClientConfig {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string caFile;          // CA the server certificate must chain to
    std::string clientCertFile;  // the terminal's (medical institution's) certificate
    std::string clientKeyFile;   // the key's location (see TerminalKeySpec)
    KeyStore clientKeyStore = KeyStore::kFile;
    std::string tpm2Tcti;           // KeyStore::kTpm2 only
    int connectTimeoutMs = 3000;    // TCP connect + TLS handshake
    int responseTimeoutMs = 10000;  // sending the request + receiving the whole answer
};

struct HttpResponse {
    int status = 0;
    std::string body;
};

// The terminal key named by a TLS configuration.
inline TerminalKeySpec clientKeySpec(const TlsClientConfig& config) {
    return TerminalKeySpec{config.clientKeyStore, config.clientKeyFile, config.tpm2Tcti};
}

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
