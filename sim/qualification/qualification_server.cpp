// HTTPS (mutual TLS) front of the reference qualification service with fault injection
// (sim/qualification/README.md, "API" and "Fault injection").
#include "sim/qualification/qualification_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <vector>

namespace uketsuke::sim {
namespace {

constexpr std::size_t kMaxRequestBytes = std::size_t{64} * 1024;
constexpr int kWriteTimeoutS = 10;
// httplib listens with a backlog of 5: a burst of connections (a flood, or many terminals after a
// network outage) overflows it and each dropped SYN costs the client a 1 s retransmission.
constexpr int kListenBacklog = 1024;
constexpr auto kRebindRetry = std::chrono::milliseconds(50);
constexpr const char* kJson = "application/json";

// httplib's task queue with a bound: `workers` threads, at most `maxQueued` accepted connections
// waiting for one. enqueue() (called by the accept loop) blocks while the queue is full, so a
// flood of connections waits in the kernel's listen backlog, not in our memory.
class BoundedThreadPool : public httplib::TaskQueue {
  public:
    BoundedThreadPool(int workers, std::size_t maxQueued) : maxQueued_(maxQueued) {
        for (int i = 0; i < workers; ++i)
            threads_.emplace_back([this] { work(); });
    }
    ~BoundedThreadPool() override { shutdown(); }
    BoundedThreadPool(const BoundedThreadPool&) = delete;
    BoundedThreadPool& operator=(const BoundedThreadPool&) = delete;

    void enqueue(std::function<void()> fn) override {
        {
            std::unique_lock lock(mutex_);
            spaceFree_.wait(lock, [this] { return jobs_.size() < maxQueued_ || shutdown_; });
            jobs_.push_back(std::move(fn));
        }
        jobReady_.notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            if (shutdown_ && threads_.empty())
                return;
            shutdown_ = true;
        }
        jobReady_.notify_all();
        spaceFree_.notify_all();
        for (auto& t : threads_)
            t.join();
        threads_.clear();
    }

  private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                jobReady_.wait(lock, [this] { return !jobs_.empty() || shutdown_; });
                if (jobs_.empty())
                    return;  // shut down, nothing left (queued connections are still served)
                fn = std::move(jobs_.front());
                jobs_.pop_front();
            }
            spaceFree_.notify_one();
            fn();
        }
    }

    const std::size_t maxQueued_;
    std::mutex mutex_;
    std::condition_variable jobReady_;
    std::condition_variable spaceFree_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    bool shutdown_ = false;
};

UniqueX509 peerCertificate(const httplib::Request& req) {
    return UniqueX509(req.ssl != nullptr ? SSL_get1_peer_certificate(req.ssl) : nullptr);
}

void sendReply(httplib::Response& res, const ServiceReply& reply) {
    res.status = reply.httpStatus;
    res.set_content(reply.body.dump(), kJson);
}

nlohmann::json faultsToJson(const Faults& f) {
    return {{"latency_ms", f.latencyMs},
            {"fail_status", f.failStatus},
            {"fail_times", f.failTimes},
            {"drop", f.dropConnection},
            {"drop_times", f.dropTimes},
            {"answer_echo", f.answerEcho == Faults::AnswerEcho::kOmit        ? "omit"
                            : f.answerEcho == Faults::AnswerEcho::kOtherCard ? "other-card"
                                                                             : "correct"}};
}

// Reads a fault set from the control body; fields left out keep their default (no fault).
std::optional<Faults> faultsFromJson(const nlohmann::json& j) {
    if (!j.is_object())
        return std::nullopt;
    Faults f;
    auto intField = [&](const char* key, int& out, int lo, int hi) {
        if (!j.contains(key))
            return true;
        if (!j[key].is_number_integer())
            return false;
        const auto v = j[key].get<long long>();
        if (v < lo || v > hi)
            return false;
        out = static_cast<int>(v);
        return true;
    };
    if (!intField("latency_ms", f.latencyMs, 0, 600000) ||
        !intField("fail_status", f.failStatus, 0, 599) ||
        !intField("fail_times", f.failTimes, -1, 1000000) ||
        !intField("drop_times", f.dropTimes, -1, 1000000))
        return std::nullopt;
    if (f.failStatus != 0 && f.failStatus < 400)
        return std::nullopt;
    if (j.contains("drop")) {
        if (!j["drop"].is_boolean())
            return std::nullopt;
        f.dropConnection = j["drop"].get<bool>();
    }
    if (j.contains("answer_echo")) {
        const auto& e = j["answer_echo"];
        if (e == "correct")
            f.answerEcho = Faults::AnswerEcho::kCorrect;
        else if (e == "omit")
            f.answerEcho = Faults::AnswerEcho::kOmit;
        else if (e == "other-card")
            f.answerEcho = Faults::AnswerEcho::kOtherCard;
        else
            return std::nullopt;
    }
    return f;
}

}  // namespace

QualificationServer::QualificationServer(QualificationService& service, ServerOptions options)
    : service_(service), options_(std::move(options)), faults_(options_.faults) {}

QualificationServer::~QualificationServer() {
    stop();
}

Result<std::unique_ptr<QualificationServer>, std::string> QualificationServer::start(
    QualificationService& service, const ServerOptions& options) {
    std::unique_ptr<QualificationServer> server(new QualificationServer(service, options));
    server->http_ = std::make_unique<httplib::SSLServer>(options.serverCertFile.c_str(),
                                                         options.serverKeyFile.c_str(),
                                                         options.clientCaFile.c_str());
    if (!server->http_->is_valid())
        return fail("cannot load the server certificate, key or client CA (" +
                    options.serverCertFile + ", " + options.clientCaFile + ")");
    // Modern TLS only; the client certificate requirement is set by httplib from the CA file
    // (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
    SSL_CTX_set_min_proto_version(server->http_->ssl_context(), TLS1_2_VERSION);
    server->http_->set_payload_max_length(kMaxRequestBytes);
    // The read timeout also bounds the TLS handshake (httplib's SSL accept waits for it): an idle
    // TCP connection or a stalled handshake holds a worker at most this long.
    const int io = std::max(options.ioTimeoutMs, 1);
    server->http_->set_read_timeout(std::chrono::milliseconds(io));
    server->http_->set_write_timeout(kWriteTimeoutS, 0);
    server->http_->set_keep_alive_timeout(std::max(options.keepAliveTimeoutS, 1));
    server->http_->set_keep_alive_max_count(32);
    const int workers = std::max(options.workers, 1);
    const std::size_t queued = std::max<std::size_t>(options.maxQueuedConnections, 1);
    server->http_->new_task_queue = [workers, queued] {
        return new BoundedThreadPool(workers, queued);
    };
    server->installRoutes();
    QualificationServer* raw = server.get();
    server->http_->set_socket_options([raw](socket_t sock) {
        httplib::default_socket_options(sock);
        raw->listenSocket_.store(sock);
    });

    if (options.port == 0) {
        server->port_ = server->http_->bind_to_any_port(options.host);
        if (server->port_ <= 0)
            return fail("cannot bind " + options.host);
    } else {
        if (!server->http_->bind_to_port(options.host, options.port))
            return fail("cannot bind " + options.host + ":" + std::to_string(options.port));
        server->port_ = options.port;
    }
    server->raiseBacklog();
    QualificationServer* self = server.get();
    server->thread_ = std::thread([self] { self->serveLoop(); });
    return server;
}

void QualificationServer::serveLoop() {
    // `bound`: the listening socket is open (httplib's bind_to_port also calls listen(), so the
    // kernel queues connections from then on). The loop never parks while bound: a refusal must
    // close the socket, and only a running listen_after_bind() can be stopped.
    bool bound = true;
    std::unique_lock lock(mutex_);
    while (!shutdown_) {
        if (!bound && std::chrono::steady_clock::now() < refuseUntil_) {
            serveState_ = ServeState::kParked;
            const auto until = refuseUntil_;
            wake_.wait_until(lock, until, [this] {
                return shutdown_ || std::chrono::steady_clock::now() >= refuseUntil_;
            });
            continue;
        }
        if (!bound) {
            serveState_ = ServeState::kBinding;
            lock.unlock();
            bound = http_->bind_to_port(options_.host, port_);
            if (bound)
                raiseBacklog();
            lock.lock();
            if (!bound) {
                serveState_ = ServeState::kParked;
                wake_.wait_for(lock, kRebindRetry, [this] { return shutdown_; });
                continue;
            }
        }
        serveState_ = ServeState::kListening;
        lock.unlock();
        http_->listen_after_bind();  // returns once closeListener() closed the socket
        lock.lock();
        bound = false;
    }
    serveState_ = ServeState::kExited;
}

void QualificationServer::raiseBacklog() {
    // listen() again on a listening socket only changes its backlog (Linux); best effort.
    const int sock = listenSocket_.load();
    if (sock >= 0 && ::listen(sock, kListenBacklog) != 0)
        spdlog::warn("qualification-service: cannot raise the listen backlog");
}

void QualificationServer::closeListener() {
    // httplib's stop() does nothing until listen_after_bind() runs, so a stop requested in that
    // window would be lost: wait until the loop is listening (then stop it) or parked/exited
    // (nothing open). Bounded, so that a broken state cannot hang the caller.
    for (int i = 0; i < 2500; ++i) {
        {
            std::lock_guard lock(mutex_);
            if (serveState_ == ServeState::kParked || serveState_ == ServeState::kExited)
                return;
            if (serveState_ == ServeState::kListening && http_->is_running()) {
                http_->stop();
                return;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    spdlog::error("qualification-service: the listener did not stop");
}

void QualificationServer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (shutdown_)
            return;
        shutdown_ = true;
    }
    wake_.notify_all();
    if (http_)
        closeListener();
    if (thread_.joinable())
        thread_.join();
}

void QualificationServer::setFaults(const Faults& faults) {
    std::lock_guard lock(mutex_);
    faults_ = faults;
}

Faults QualificationServer::faults() const {
    std::lock_guard lock(mutex_);
    return faults_;
}

void QualificationServer::acceptConnectionsAgain() {
    {
        std::lock_guard lock(mutex_);
        refuseUntil_ = std::chrono::steady_clock::time_point{};
    }
    wake_.notify_all();
}

void QualificationServer::refuseConnectionsFor(int durationMs) {
    {
        std::lock_guard lock(mutex_);
        refuseUntil_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(durationMs);
    }
    closeListener();
}

bool QualificationServer::applyFaultsBefore(std::string& body, int& status) {
    std::unique_lock lock(mutex_);
    if (faults_.latencyMs > 0) {
        // Interruptible by stop(), so that a slow fault never holds up shutdown.
        wake_.wait_for(lock, std::chrono::milliseconds(faults_.latencyMs),
                       [this] { return shutdown_; });
    }
    if (faults_.failStatus != 0 && faults_.failTimes != 0) {
        if (faults_.failTimes > 0)
            --faults_.failTimes;
        ServiceReply r = errorReply(ServiceError::kInjectedFault);
        status = faults_.failStatus;
        body = r.body.dump();
        return true;
    }
    return false;
}

void QualificationServer::applyAnswerEcho(ServiceReply& reply) const {
    const Faults::AnswerEcho echo = [this] {
        std::lock_guard lock(mutex_);
        return faults_.answerEcho;
    }();
    if (reply.httpStatus != 200 || !reply.body.contains("request"))
        return;
    if (echo == Faults::AnswerEcho::kOmit)
        reply.body.erase("request");
    else if (echo == Faults::AnswerEcho::kOtherCard)
        reply.body["request"]["auth_certificate_sha256"] = std::string(64, '0');
}

bool QualificationServer::takeDrop() {
    std::lock_guard lock(mutex_);
    if (!faults_.dropConnection || faults_.dropTimes == 0)
        return false;
    if (faults_.dropTimes > 0)
        --faults_.dropTimes;
    return true;
}

void QualificationServer::installRoutes() {
    // The API handlers: faults first, then the service, then possibly a dropped connection.
    auto api = [this](auto call) {
        return [this, call](const httplib::Request& req, httplib::Response& res) {
            std::string body;
            int status = 0;
            if (applyFaultsBefore(body, status)) {
                res.status = status;
                res.set_content(body, kJson);
                return;
            }
            UniqueX509 peer = peerCertificate(req);
            ServiceReply reply = call(req, peer.get());
            applyAnswerEcho(reply);
            spdlog::info("qualification-service {} -> {}", req.path, reply.httpStatus);
            if (takeDrop()) {
                // Headers promise the full body; half of it is sent, then the connection closes.
                auto text = std::make_shared<std::string>(reply.body.dump());
                res.status = reply.httpStatus;
                res.set_content_provider(text->size(), kJson,
                                         [text](std::size_t, std::size_t, httplib::DataSink& sink) {
                                             sink.write(text->data(), text->size() / 2);
                                             return false;
                                         });
                return;
            }
            sendReply(res, reply);
        };
    };
    http_->Post("/v1/challenge", api([this](const httplib::Request&, X509* peer) {
                    return service_.challenge(peer);
                }));
    http_->Post("/v1/confirm", api([this](const httplib::Request& req, X509* peer) {
                    return service_.confirm(req.body, peer);
                }));
    http_->Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok"})", kJson);
    });

    if (options_.controlEnabled) {
        http_->Get("/v1/control/faults", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(faultsToJson(faults()).dump(), kJson);
        });
        http_->Post(
            "/v1/control/faults", [this](const httplib::Request& req, httplib::Response& res) {
                const auto f = faultsFromJson(nlohmann::json::parse(req.body, nullptr, false));
                if (!f)
                    return sendReply(res, errorReply(ServiceError::kBadRequest, "bad fault set"));
                setFaults(*f);
                res.set_content(faultsToJson(*f).dump(), kJson);
            });
        http_->Post("/v1/control/refuse", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
            const auto j = nlohmann::json::parse(req.body, nullptr, false);
            if (!j.is_object() || !j.contains("duration_ms") ||
                !j["duration_ms"].is_number_integer() || j["duration_ms"].get<long long>() < 0 ||
                j["duration_ms"].get<long long>() > 600000)
                return sendReply(res, errorReply(ServiceError::kBadRequest, "duration_ms"));
            const int ms = j["duration_ms"].get<int>();
            res.set_content(nlohmann::json{{"refusing_ms", ms}}.dump(), kJson);
            // The listening socket closes after this answer is queued; this connection survives.
            refuseConnectionsFor(ms);
        });
        http_->Post("/v1/control/suspend", [this](const httplib::Request& req,
                                                  httplib::Response& res) {
            const auto j = nlohmann::json::parse(req.body, nullptr, false);
            if (!j.is_object() || !j.contains("persona") || !j["persona"].is_string() ||
                !j.contains("suspended") || !j["suspended"].is_boolean())
                return sendReply(res, errorReply(ServiceError::kBadRequest, "persona, suspended"));
            service_.setSuspended(j["persona"].get<std::string>(), j["suspended"].get<bool>());
            res.set_content(j.dump(), kJson);
        });
    }
    // Anything else: a JSON 404, so that every answer of the service has the same error shape.
    auto notFound = [](const httplib::Request&, httplib::Response& res) {
        sendReply(res, errorReply(ServiceError::kNotFound));
    };
    http_->Get(".*", notFound);
    http_->Post(".*", notFound);
}

}  // namespace uketsuke::sim
