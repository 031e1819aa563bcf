// HTTPS front of the reference qualification service: mutual TLS on loopback (the client
// certificate is required and verified against the medical-institution CA), the JSON API and the
// fault-injection controls of sim/qualification/README.md.
//
// Lifetime: start() binds and serves on a background thread until stop() or destruction. The
// QualificationService must outlive the server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sim/qualification/qualification_service.h"
#include "uketsuke/result.h"

namespace httplib {
class SSLServer;
}

namespace uketsuke::sim {

// Faults applied to the API endpoints (never to /v1/control/*). A count of -1 means "until
// cleared"; a positive count applies to that many requests.
struct Faults {
    int latencyMs = 0;
    int failStatus = 0;  // 0: none; otherwise e.g. 500 or 503
    int failTimes = -1;
    bool dropConnection = false;  // send the headers and half the body, then close
    int dropTimes = -1;
    // The answer's echo of the request it answers ("request": challenge, certificate hash):
    // kOmit leaves it out (a service without the echo), kOtherCard names another certificate
    // (an answer meant for another terminal's request).
    enum class AnswerEcho { kCorrect, kOmit, kOtherCard };
    AnswerEcho answerEcho = AnswerEcho::kCorrect;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port (see QualificationServer::port())
    std::string serverCertFile;
    std::string serverKeyFile;
    std::string clientCaFile;  // medical-institution CA: client certificates must chain to it
    // The /v1/control/* endpoints (suspend a person, force faults, refuse connections): off
    // unless the service is started with --control (tests and demo only).
    bool controlEnabled = false;
    // Connection limits (issue 14): idle or slow-handshake clients hold a worker at most
    // `ioTimeoutMs` (TLS handshake and every read), and `workers` threads serve connections
    // taken from a queue of at most `maxQueuedConnections`; when it is full the accept loop
    // waits (new connections stay in the kernel's backlog) instead of growing memory.
    int workers = 256;
    std::size_t maxQueuedConnections = 1024;
    int ioTimeoutMs = 3000;
    int keepAliveTimeoutS = 2;
    Faults faults;
};

class QualificationServer {
  public:
    static Result<std::unique_ptr<QualificationServer>, std::string> start(
        QualificationService& service, const ServerOptions& options);
    ~QualificationServer();
    QualificationServer(const QualificationServer&) = delete;
    QualificationServer& operator=(const QualificationServer&) = delete;

    int port() const { return port_; }
    void setFaults(const Faults& faults);
    Faults faults() const;
    // Closes the listening socket for this long (connections are refused), then listens again.
    void refuseConnectionsFor(int durationMs);
    // Ends a refusal now: the service listens again at once (tests wait for that event).
    void acceptConnectionsAgain();
    void stop();

  private:
    QualificationServer(QualificationService& service, ServerOptions options);
    void installRoutes();
    void serveLoop();
    void closeListener();
    // Applies latency and the failure fault; returns true when the request was answered.
    bool applyFaultsBefore(std::string& body, int& status);
    bool takeDrop();
    void applyAnswerEcho(ServiceReply& reply) const;

    QualificationService& service_;
    ServerOptions options_;
    std::unique_ptr<httplib::SSLServer> http_;
    int port_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    Faults faults_;
    std::chrono::steady_clock::time_point refuseUntil_{};
    bool shutdown_ = false;
    // Where the serve thread is; read by closeListener() to stop it reliably.
    enum class ServeState { kListening, kBinding, kParked, kExited };
    ServeState serveState_ = ServeState::kListening;
    std::thread thread_;
    // The listening socket httplib created last (recorded by its socket-options hook), so that
    // its backlog can be raised from httplib's compiled-in 5.
    std::atomic<int> listenSocket_{-1};
    void raiseBacklog();
};

}  // namespace uketsuke::sim
