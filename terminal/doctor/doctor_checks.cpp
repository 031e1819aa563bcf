// The measurements behind `uketsuke doctor`: each check touches the real thing (pcscd, the camera,
// the model files, a TLS connection to the qualification service, the log, the file system, the
// kernel clock) and never changes state a running kiosk depends on (no file is created as the
// user running doctor, no card is connected, no request reaches the qualification API).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

#include "card/pcsc_reader.h"
#include "terminal/app/terminal_app.h"
#include "terminal/doctor/doctor.h"
#include "terminal/log/confirmation_log.h"
#include "terminal/log/confirmation_record.h"
#include "terminal/log/log_checkpoint.h"
#include "terminal/log/log_config.h"
#include "terminal/session/staff_auth.h"
#include "vision/frame_source.h"

namespace uketsuke::terminal::doctor {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

CheckResult make(std::string name, CheckStatus status, std::string detail) {
    return CheckResult{std::move(name), status, std::move(detail)};
}

fs::path resolvePath(const Config& config, const std::string& value) {
    fs::path p(value);
    return p.is_absolute() || value.empty() ? p : config.file.parent_path() / p;
}

std::string opensslErrors() {
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        out += (out.empty() ? "" : "; ") + std::string(buf);
    }
    return out.empty() ? "unknown OpenSSL error" : out;
}

// --- reader -------------------------------------------------------------------------------------

void checkReader(const Config& config, std::vector<CheckResult>& out) {
    auto context = card::PcscContext::establish();
    if (!context) {
        out.push_back(make("pcscd", CheckStatus::kFail,
                           "cannot reach pcscd (" + context.error().toString() +
                               "): apt-get install pcscd; systemctl start pcscd.socket"));
        return;
    }
    out.push_back(make("pcscd", CheckStatus::kOk, "reachable"));
    auto readers = (*context)->listReaders();
    std::vector<std::string> present;
    if (readers)
        present = *readers;
    auto reader = evaluateReader(config.card.reader, defaultReaderName(), present);
    const bool readerOk = reader.status != CheckStatus::kFail;
    out.push_back(std::move(reader));
    if (!readerOk)
        return;
    const std::string wanted =
        config.card.reader.empty() ? defaultReaderName() : config.card.reader;
    // A pattern (card.reader "SONY FeliCa RC-S380*", issue 16): the first present reader it names.
    std::string name = wanted;
    for (const auto& r : present) {
        if (card::readerMatches(wanted, r)) {
            name = r;
            break;
        }
    }
    SCARD_READERSTATE state{};
    state.szReader = name.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    const LONG rv = SCardGetStatusChange((*context)->handle(), 0, &state, 1);
    if (rv != SCARD_S_SUCCESS && rv != static_cast<LONG>(SCARD_E_TIMEOUT)) {
        out.push_back(
            make("card", CheckStatus::kFail,
                 std::string("cannot read the reader's state: ") + pcsc_stringify_error(rv)));
        return;
    }
    const DWORD s = state.dwEventState;
    if (s & SCARD_STATE_MUTE)
        out.push_back(
            make("card", CheckStatus::kWarn, "a card is present but does not answer (mute)"));
    else if (s & SCARD_STATE_PRESENT) {
        std::string atr;
        char hex[4];
        for (DWORD i = 0; i < state.cbAtr; ++i) {
            std::snprintf(hex, sizeof hex, "%02X", state.rgbAtr[i]);
            atr += hex;
        }
        out.push_back(make("card", CheckStatus::kOk,
                           std::string("card present") +
                               ((s & SCARD_STATE_INUSE) ? " (in use)" : "") + ", ATR " + atr));
    } else
        out.push_back(make("card", CheckStatus::kOk, "no card in the reader (ready)"));
}

// --- camera -------------------------------------------------------------------------------------

void checkCamera(const Config& config, const DoctorOptions& options,
                 std::vector<CheckResult>& out) {
    std::string spec = options.cameraSpec;
    if (spec.empty() && config.raw.contains("vision"))
        spec = config.raw.at("vision").value("camera", "");
    if (spec.empty())
        spec = "camera:0";
    auto parsed = vision::FrameSourceSpec::parse(spec, vision::Pacing::kRealTime);
    if (parsed.kind != vision::FrameSourceKind::kCamera)
        parsed.location = resolvePath(config, parsed.location).string();
    const char* kind = parsed.kind == vision::FrameSourceKind::kCamera ? "camera" : "file camera";
    auto source = vision::openFrameSource(parsed);
    if (!source) {
        out.push_back(make("camera", CheckStatus::kFail,
                           std::string(kind) + " " + spec +
                               " does not open: " + std::string(vision::describe(source.error()))));
        return;
    }
    const std::string negotiated = (*source)->negotiated();
    const auto start = Clock::now();
    int frames = 0;
    int width = 0, height = 0;
    double lumaSum = 0.0, clippedSum = 0.0;
    while (std::chrono::duration<double>(Clock::now() - start).count() < options.cameraSeconds) {
        auto frame = (*source)->next();
        if (!frame) {
            if (parsed.kind == vision::FrameSourceKind::kCamera)
                break;  // a camera that stops delivering: counted below
            source = vision::openFrameSource(parsed);  // a file camera loops, as the kiosk's does
            if (!source)
                break;
            continue;
        }
        ++frames;
        width = frame->bgr.cols;
        height = frame->bgr.rows;
        cv::Mat grey;
        cv::cvtColor(frame->bgr, grey, cv::COLOR_BGR2GRAY);
        lumaSum += cv::mean(grey)[0];
        const double pixels = static_cast<double>(grey.total());
        clippedSum += (cv::countNonZero(grey < 8) + cv::countNonZero(grey > 247)) / pixels;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    auto verdict = evaluateFrameRate(frames, seconds);
    verdict.detail = std::string(kind) + " " + spec + " " + std::to_string(width) + "x" +
                     std::to_string(height) + ": " + verdict.detail;
    if (!negotiated.empty())
        verdict.detail += " (" + negotiated + ")";
    out.push_back(std::move(verdict));
    out.push_back(evaluateExposure(Exposure{frames, frames > 0 ? lumaSum / frames : 0.0,
                                            frames > 0 ? clippedSum / frames : 0.0}));
}

// --- models -------------------------------------------------------------------------------------

void checkModels(const Config& config, std::vector<CheckResult>& out) {
    auto models = pinnedModels();
    for (auto& m : models)
        m.actualSha256 = sha256File(config.vision.modelsDir / m.file);
    auto verdict = evaluateModels(models);
    verdict.detail += " (" + config.vision.modelsDir.string() + ")";
    out.push_back(std::move(verdict));
}

// --- qualification service ----------------------------------------------------------------------

struct SslDeleter {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
    void operator()(SSL* s) const { SSL_free(s); }
    void operator()(X509* x) const { X509_free(x); }
};

void checkCertificateFile(const fs::path& file, int warnDays, std::vector<CheckResult>& out) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "r"), &std::fclose);
    if (!f) {
        out.push_back(make("client-certificate", CheckStatus::kFail,
                           "cannot read " + file.string() + ": " + std::strerror(errno)));
        return;
    }
    std::unique_ptr<X509, SslDeleter> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        out.push_back(make("client-certificate", CheckStatus::kFail,
                           file.string() + " is not a PEM certificate"));
        return;
    }
    int days = 0, secs = 0;
    ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert.get()));
    if (days == 0 && secs < 0)
        days = -1;
    const bool notYet = X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0;
    auto verdict = evaluateCertificateExpiry(days, notYet, warnDays);
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(cert.get()), subject, sizeof subject);
    verdict.detail += " (" + std::string(subject) + ")";
    out.push_back(std::move(verdict));
}

// TCP connect with a deadline; -1 and `error` set on failure.
int connectWithTimeout(const std::string& host, int port, int timeoutMs, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc) {
        error = "cannot resolve " + host + ": " + gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (addrinfo* a = res; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0)
            continue;
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = ::poll(&p, 1, timeoutMs);
            if (rc == 1) {
                int soerr = 0;
                socklen_t len = sizeof soerr;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
                rc = soerr == 0 ? 0 : -1;
                errno = soerr;
            } else {
                if (rc == 0)
                    errno = ETIMEDOUT;
                rc = -1;
            }
        }
        if (rc == 0)
            break;
        error =
            "cannot connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        timeval tv{timeoutMs / 1000, static_cast<suseconds_t>(timeoutMs % 1000) * 1000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    return fd;
}

void checkQualification(const Config& config, const DoctorOptions& options,
                        std::vector<CheckResult>& out) {
    if (!config.raw.contains("qualification")) {
        out.push_back(make("qualification", CheckStatus::kFail, "no \"qualification\" section"));
        return;
    }
    const auto& q = config.raw.at("qualification");
    const std::string host = q.value("host", "");
    const int port = q.value("port", 0);
    const auto caFile = resolvePath(config, q.value("ca_file", ""));
    const auto certFile = resolvePath(config, q.value("client_cert", ""));
    auto keyChoice = terminalKeyChoice(config);
    const int timeoutMs = q.value("connect_timeout_ms", 3000);

    std::vector<CheckResult> certResult;
    checkCertificateFile(certFile, options.certificateWarnDays, certResult);

    const std::string where = host + ":" + std::to_string(port);
    auto fail = [&](const std::string& detail) {
        out.push_back(make("qualification", CheckStatus::kFail, where + ": " + detail));
        out.insert(out.end(), certResult.begin(), certResult.end());
    };
    if (!keyChoice)
        return fail(keyChoice.error().message);
    auto key = loadTerminalKey(keyChoice->spec);
    if (!key)
        return fail("cannot load the client key: " + key.error().message());
    ERR_clear_error();
    std::unique_ptr<SSL_CTX, SslDeleter> ctx(
        SSL_CTX_new_ex(nullptr, propertyQueryFor(key.value().get()), TLS_client_method()));
    if (!ctx)
        return fail(opensslErrors());
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    if (SSL_CTX_load_verify_locations(ctx.get(), caFile.c_str(), nullptr) != 1)
        return fail("cannot load the CA file " + caFile.string() + ": " + opensslErrors());
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), certFile.c_str()) != 1)
        return fail("cannot load the client certificate " + certFile.string() + ": " +
                    opensslErrors());
    if (SSL_CTX_use_PrivateKey(ctx.get(), key.value().get()) != 1)
        return fail("cannot use the client key: " + opensslErrors());
    if (SSL_CTX_check_private_key(ctx.get()) != 1)
        return fail("the client key does not match the client certificate");
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);

    std::string error;
    const int fd = connectWithTimeout(host, port, timeoutMs, error);
    if (fd < 0)
        return fail(error);
    std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
    SSL_set_fd(ssl.get(), fd);
    in6_addr ip6{};
    in_addr ip4{};
    const bool isIp =
        inet_pton(AF_INET, host.c_str(), &ip4) == 1 || inet_pton(AF_INET6, host.c_str(), &ip6) == 1;
    if (isIp)
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), host.c_str());
    else {
        SSL_set_tlsext_host_name(ssl.get(), host.c_str());
        SSL_set1_host(ssl.get(), host.c_str());
    }
    const auto start = Clock::now();
    if (SSL_connect(ssl.get()) != 1) {
        const long verify = SSL_get_verify_result(ssl.get());
        std::string why = verify != X509_V_OK ? std::string("server certificate refused: ") +
                                                    X509_verify_cert_error_string(verify)
                                              : "TLS handshake failed: " + opensslErrors();
        ::close(fd);
        return fail(why);
    }
    // TLS 1.3 sends the server's verdict on the client certificate after the handshake: one
    // harmless request (GET /, which the API does not serve) shows whether the server accepted it.
    const std::string request = "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    std::string answer;
    if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) > 0) {
        std::array<char, 512> buf{};
        const int n = SSL_read(ssl.get(), buf.data(), static_cast<int>(buf.size()));
        if (n > 0)
            answer.assign(buf.data(), static_cast<std::size_t>(n));
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const std::string version = SSL_get_version(ssl.get());
    std::string server;
    if (X509* peer = SSL_get1_peer_certificate(ssl.get())) {
        char subject[256];
        X509_NAME_oneline(X509_get_subject_name(peer), subject, sizeof subject);
        server = subject;
        X509_free(peer);
    }
    SSL_shutdown(ssl.get());
    ::close(fd);
    if (answer.rfind("HTTP/1.", 0) != 0)
        return fail(version + " handshake done but the server closed the connection (" +
                    opensslErrors() + "): the client certificate was probably refused");
    char took[32];
    std::snprintf(took, sizeof took, "%.0f ms", ms);
    out.push_back(make("qualification", CheckStatus::kOk,
                       where + ": " + version + " mutual TLS in " + took + ", server " + server +
                           ", client certificate accepted"));
    out.insert(out.end(), certResult.begin(), certResult.end());
}

// --- log, result folder, staff file, disk, clock
// --------------------------------------------------

bool writableDir(const fs::path& dir) {
    return ::access(dir.c_str(), W_OK | X_OK) == 0;
}

void checkLog(const Config& config, std::vector<CheckResult>& out) {
    if (!config.raw.contains("log")) {
        out.push_back(make("log", CheckStatus::kFail, "no \"log\" section"));
        return;
    }
    auto logConfig = LogConfig::fromJson(config.raw.at("log"), config.file.parent_path());
    if (!logConfig) {
        out.push_back(make("log", CheckStatus::kFail, logConfig.error().toString()));
        return;
    }
    if (logConfig->backend == LogBackend::kSqlite) {
        std::error_code ec;
        const fs::path dir = logConfig->path.parent_path();
        if (!fs::exists(logConfig->path, ec)) {
            // Not opened here: doctor, run as another user, must not create the kiosk's log.
            if (writableDir(dir))
                out.push_back(
                    make("log", CheckStatus::kOk,
                         logConfig->path.string() +
                             " not created yet (the first session creates it); folder writable"));
            else
                out.push_back(make("log", CheckStatus::kFail,
                                   "cannot create " + logConfig->path.string() + ": folder " +
                                       dir.string() + " is not writable"));
            return;
        }
        if (::access(logConfig->path.c_str(), R_OK | W_OK) != 0 || !writableDir(dir)) {
            out.push_back(make("log", CheckStatus::kFail,
                               logConfig->path.string() + " is not readable and writable here"));
            return;
        }
    }
    auto log = openConfirmationLog(*logConfig);
    if (!log) {
        out.push_back(make("log", CheckStatus::kFail, log.error().toString()));
        return;
    }
    auto report = (*log)->verify();
    if (!report) {
        out.push_back(make("log", CheckStatus::kFail,
                           (*log)->describe() + ": cannot verify: " + report.error().toString()));
        return;
    }
    if (!report->ok()) {
        out.push_back(make("log", CheckStatus::kFail,
                           (*log)->describe() + ": chain broken at row " +
                               std::to_string(report->firstBreak->sequence) + ": " +
                               report->firstBreak->detail));
        return;
    }
    std::string detail = (*log)->describe() + ": " + std::to_string(report->rowsChecked) +
                         " rows, chain verifies (" + std::string(toString(report->mode)) + ")";
    CheckStatus status = CheckStatus::kOk;
    if (!logConfig->checkpointDir.empty()) {
        // The signed checkpoint on the audit medium: authentic, still in the log, and recent.
        const auto keyFile = logConfig->checkpointKeyFile.empty() ? logConfig->chainKeyFile
                                                                  : logConfig->checkpointKeyFile;
        auto key = loadChainKey(keyFile);
        auto checkpoint = key ? readCheckpoint(logConfig->checkpointDir, key.value())
                              : LogResult<Checkpoint>(fail(key.error()));
        if (!checkpoint) {
            if (report->rowsChecked == 0 && checkpoint.error().code == LogErrorCode::kIo) {
                detail += "; no checkpoint yet (no rows)";
            } else {
                out.push_back(make("log", CheckStatus::kFail,
                                   detail + "; checkpoint: " + checkpoint.error().toString()));
                return;
            }
        } else {
            auto anchored = (*log)->verify(ChainHead{checkpoint->sequence, checkpoint->headHash});
            if (checkpoint->logId != report->logId || !anchored || !anchored->ok()) {
                out.push_back(make("log", CheckStatus::kFail,
                                   detail + "; the log no longer holds the checkpoint's row " +
                                       std::to_string(checkpoint->sequence) +
                                       " (truncated, rolled back or replaced)"));
                return;
            }
            std::int64_t age = 0;
            if (auto written = parseTimestamp(checkpoint->writtenAt))
                age = std::chrono::duration_cast<std::chrono::seconds>(nowUtc() - *written).count();
            bool lagging = false;
            detail += "; " + describeCheckpoint({report->lastSequence, checkpoint->sequence, age,
                                                 logConfig->checkpointEvery},
                                                lagging);
            if (lagging)
                status = CheckStatus::kWarn;
        }
    }
    out.push_back(make("log", status, detail));
}

void checkResultFolder(const Config& config, std::vector<CheckResult>& out) {
    const auto section = config.raw.value("result_file", nlohmann::json::object());
    const auto folder = resolvePath(config, section.value("res_folder", ""));
    std::error_code ec;
    if (folder.empty())
        out.push_back(
            make("result-folder", CheckStatus::kFail, "result_file.res_folder is not set"));
    else if (!fs::is_directory(folder, ec))
        out.push_back(
            make("result-folder", CheckStatus::kFail, folder.string() + " does not exist"));
    else if (!writableDir(folder))
        out.push_back(
            make("result-folder", CheckStatus::kFail, folder.string() + " is not writable"));
    else
        out.push_back(make("result-folder", CheckStatus::kOk, folder.string() + " writable"));
}

void checkStaffFile(const Config& config, std::vector<CheckResult>& out) {
    const auto session = config.raw.value("session", nlohmann::json::object());
    const auto file = resolvePath(config, session.value("staff_file", ""));
    struct stat st {};
    if (file.empty() || ::stat(file.c_str(), &st) != 0) {
        out.push_back(
            make("staff-file", CheckStatus::kFail,
                 (file.empty() ? std::string("session.staff_file is not set")
                               : file.string() + " is missing") +
                     ": create it with `uketsuke session staff-file --out FILE --staff ID`"));
        return;
    }
    auto staff = StaffFile::load(file);
    if (!staff) {
        out.push_back(make("staff-file", CheckStatus::kFail, file.string() + ": " + staff.error()));
        return;
    }
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    const std::string detail =
        file.string() + ": " + std::to_string(staff->staffIds.size()) + " staff IDs, mode " + mode;
    if (st.st_mode & 077)
        out.push_back(make("staff-file", CheckStatus::kWarn, detail + " (should be 0600)"));
    else
        out.push_back(make("staff-file", CheckStatus::kOk, detail));
}

void checkDisk(const Config& config, std::vector<CheckResult>& out) {
    fs::path where = config.file.parent_path();
    if (config.raw.contains("log")) {
        const auto p = resolvePath(config, config.raw.at("log").value("path", ""));
        if (!p.empty())
            where = p.parent_path();
    }
    struct statvfs vfs {};
    if (::statvfs(where.c_str(), &vfs) != 0) {
        out.push_back(make("disk", CheckStatus::kFail,
                           "cannot stat " + where.string() + ": " + std::strerror(errno)));
        return;
    }
    auto verdict = evaluateDiskSpace(static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize,
                                     static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize);
    verdict.detail += " (" + where.string() + ")";
    out.push_back(std::move(verdict));
}

void checkClock(std::vector<CheckResult>& out) {
    timex tx{};
    const int state = ::adjtimex(&tx);
    ClockState clock;
    clock.now = std::chrono::system_clock::now();
    clock.notBefore =
        std::chrono::system_clock::time_point(std::chrono::seconds(UKETSUKE_BUILD_EPOCH));
    clock.synchronised = state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
    clock.estimatedErrorUs = tx.esterror;
    out.push_back(evaluateClock(clock));
}

}  // namespace

std::vector<ModelDigest> pinnedModels() {
    return {
        {"dlib_face_recognition_resnet_model_v1.dat", UKETSUKE_RECOGNITION_SHA256, std::nullopt},
        {"shape_predictor_68_face_landmarks.dat", UKETSUKE_LANDMARKS_SHA256, std::nullopt},
    };
}

std::optional<std::string> sha256File(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1)
        return std::nullopt;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0)
            EVP_DigestUpdate(md.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad())
        return std::nullopt;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(md.get(), digest, &len);
    std::string hex;
    char two[3];
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(two, sizeof two, "%02x", digest[i]);
        hex += two;
    }
    return hex;
}

// Where the terminal key lives (issue 16): in the TPM is ok; a plain file key is a warning even
// when the configuration allows it (insecure_file_key), because a copy of it is the terminal.
void checkTerminalKey(const Config& config, std::vector<CheckResult>& out) {
    auto choice = terminalKeyChoice(config);
    if (!choice) {
        out.push_back(make("terminal-key", CheckStatus::kFail, choice.error().message));
        return;
    }
    auto key = loadTerminalKey(choice->spec);
    if (!key) {
        out.push_back(make("terminal-key", CheckStatus::kFail, key.error().message()));
        return;
    }
    if (choice->spec.store == KeyStore::kTpm2) {
        out.push_back(make("terminal-key", CheckStatus::kOk,
                           "in the TPM (" + choice->spec.location + "), not copyable"));
        return;
    }
    out.push_back(make("terminal-key", CheckStatus::kWarn,
                       "plain key file " + choice->spec.location +
                           " (insecure_file_key: anyone who copies it can act as this terminal)"));
}

DoctorReport runDoctor(const Config& config, const DoctorOptions& options) {
    DoctorReport report;
    auto& out = report.checks;
    checkReader(config, out);
    if (options.cameraFromKiosk)
        out.push_back(*options.cameraFromKiosk);
    else
        checkCamera(config, options, out);
    checkModels(config, out);
    checkTerminalKey(config, out);
    checkQualification(config, options, out);
    checkLog(config, out);
    checkResultFolder(config, out);
    checkStaffFile(config, out);
    checkClock(out);
    checkDisk(config, out);
    return report;
}

}  // namespace uketsuke::terminal::doctor
