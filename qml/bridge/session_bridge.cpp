#include "qml/bridge/session_bridge.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDate>
#include <QMetaEnum>
#include <QThreadPool>
#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace uketsuke::qml {
namespace {

constexpr int kPreviewWidthPx = 640;
constexpr int kServiceProbeTimeoutMs = 2000;

// A TCP connect to the qualification service (no request: a probe must not consume challenges).
bool tcpReachable(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
        return false;
    bool ok = false;
    for (addrinfo* a = found; a && !ok; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0)
            continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            ok = true;
        } else if (errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int error = 0;
            socklen_t len = sizeof error;
            ok = ::poll(&p, 1, kServiceProbeTimeoutMs) == 1 &&
                 ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return ok;
}

QVariantMap statusItem(const char* id, bool ok, const char* detail) {
    return {{QStringLiteral("id"), QString::fromLatin1(id)},
            {QStringLiteral("ok"), ok},
            {QStringLiteral("detail"), QString::fromLatin1(detail)}};
}

}  // namespace

SessionBridge::SessionBridge(BridgeOptions options, std::shared_ptr<FrameStore> frames,
                             QObject* parent)
    : SessionModel(parent), options_(std::move(options)), frames_(std::move(frames)) {
    qRegisterMetaType<SessionSnapshot>();
    if (options_.cameraSpec.empty())
        options_.cameraSpec = "camera:0";
    SessionSnapshot starting;
    starting.state = Starting;
    setSnapshot(starting);

    worker_ = new SessionWorker(options_, frames_);
    worker_->moveToThread(&thread_);
    connect(worker_, &SessionWorker::published, this, &SessionBridge::onSnapshot,
            Qt::QueuedConnection);
    thread_.setObjectName(QStringLiteral("session-worker"));
    thread_.start();

    camera_ = std::make_unique<CameraFeed>(CameraFeed::Callbacks{
        [this](const vision::Frame& frame) { onFrame(frame); },
        [this] {
            if (faceWanted_)
                QMetaObject::invokeMethod(worker_, [w = worker_] { w->faceStreamEnded(); });
        },
        [this](bool ok) {
            cameraOk_ = ok;
            cameraOpened_ = true;
            QMetaObject::invokeMethod(this, [this, ok] { setCameraAvailable(ok); });
        }});
    setDoctor(new DoctorModel([this] { return doctorJob(); }, this));
}

DoctorModel::Job SessionBridge::doctorJob() const {
    namespace doc = terminal::doctor;
    // The kiosk's camera feed holds the device: its own verdict stands in for the camera check.
    const std::string spec = options_.cameraSpec;
    doc::CheckResult camera{"camera", doc::CheckStatus::kOk, ""};
    if (!info_.faceAvailable) {
        camera.status = doc::CheckStatus::kWarn;
        camera.detail = "face engine not running in this kiosk: camera not in use";
    } else if (!cameraOpened_) {
        // The feed opens the device at the first face check and keeps it; not measured before.
        camera.status = doc::CheckStatus::kWarn;
        camera.detail =
            "kiosk camera " + spec + " not opened yet (it opens at the first face check)";
    } else if (cameraOk_) {
        camera.detail =
            "kiosk camera " + spec + " delivers frames (seen by the kiosk, not reopened)";
    } else {
        camera.status = doc::CheckStatus::kFail;
        camera.detail = "kiosk camera " + spec + " delivers no frames";
    }
    return [configPath = options_.configPath, camera] {
        auto config = terminal::loadConfig(configPath);
        if (!config) {
            doc::DoctorReport report;
            report.checks.push_back({"config", doc::CheckStatus::kFail,
                                     "configuration does not load: " + config.error().message});
            return report;
        }
        doc::DoctorOptions options;
        options.cameraFromKiosk = camera;
        return doc::runDoctor(*config, options);
    };
}

SessionBridge::~SessionBridge() {
    if (watcher_)
        watcher_->stop();
    camera_->stop();
    QThreadPool::globalInstance()->waitForDone();
    // The controller ends an open session (logged as aborted) on its own thread.
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { delete w; }, Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
    frames_->clearAll();
}

void SessionBridge::start() {
    QMetaObject::invokeMethod(worker_, [this] {
        WorkerStartInfo info = worker_->start();
        QMetaObject::invokeMethod(this, [this, info] { onStarted(info); });
    });
}

void SessionBridge::onStarted(const WorkerStartInfo& info) {
    info_ = info;
    if (!info.error.empty()) {
        setStartupError(QString::fromStdString(info.error));
        SessionSnapshot unavailable;
        unavailable.state = Unavailable;
        setSnapshot(unavailable);
        emit started(startupError());
        return;
    }
    consentItems()->setCatalog(info.consent);
    setStaffIdleTimeoutMs(info.staffIdleTimeoutMs);
    if (info.staffStationPort > 0)
        setStaffStation(QString::fromStdString(info.staffStationHost), info.staffStationPort,
                        QString::fromStdString(info.terminalId),
                        {QString::fromStdString(info.staffStationCa),
                         QString::fromStdString(info.staffStationCert),
                         QString::fromStdString(info.staffStationKey)},
                        info.stuckAfterMs, QString::fromStdString(info.staffStationName));
    const std::string spec = options_.cameraSpec;
    const bool still = CameraFeed::isStillImage(spec);
    QMetaObject::invokeMethod(worker_, [w = worker_, still] { w->setStillCapture(still); });
    camera_->setSpec(spec);
    camera_->start();

    watcher_ = std::make_unique<CardWatcher>(
        info.readerName,
        CardWatcher::Callbacks{
            [this] { QMetaObject::invokeMethod(worker_, [w = worker_] { w->cardInserted(); }); },
            [this] { QMetaObject::invokeMethod(worker_, [w = worker_] { w->cardRemoved(); }); }});
    watcher_->start();
    checkQualificationService();
    emit started(QString());
}

void SessionBridge::onSnapshot(SessionSnapshot snapshot) {
    if (state() == Unavailable)
        return;
    if (snapshot.state != lastWorkerSnapshot_.state ||
        snapshot.message != lastWorkerSnapshot_.message) {
        // The console trace of the kiosk: state and message codes only, never patient data.
        qInfo("uketsuke-ui: %s %s", QMetaEnum::fromType<State>().valueToKey(snapshot.state),
              qPrintable(snapshot.message));
    }
    lastWorkerSnapshot_ = snapshot;
    const bool face = snapshot.state == FaceCapture || snapshot.state == FaceChallenge;
    faceWanted_ = face;
    camera_->setActive(face || snapshot.state == StaffCheck);
    snapshot.statusItems = statusItems(snapshot);
    setSnapshot(snapshot);
}

QVariantList SessionBridge::statusItems(const SessionSnapshot& fromWorker) const {
    QVariantList items;
    switch (watcher_ ? watcher_->readerState() : CardWatcher::ReaderState::kUnknown) {
        case CardWatcher::ReaderState::kOk:
            items << statusItem("reader", true, "ok");
            break;
        case CardWatcher::ReaderState::kNoService:
            items << statusItem("reader", false, "pcscd-down");
            break;
        case CardWatcher::ReaderState::kNoReader:
            items << statusItem("reader", false, "reader-missing");
            break;
        case CardWatcher::ReaderState::kUnknown:
            items << statusItem("reader", false, "checking");
            break;
    }
    if (!info_.faceAvailable)
        items << statusItem("camera", false, "face-engine-off");
    else
        items << statusItem("camera", cameraOk_, cameraOk_ ? "ok" : "camera-down");
    const int reachable = qualificationReachable_;
    items << statusItem("qualification", reachable == 1,
                        reachable == 1   ? "ok"
                        : reachable == 0 ? "qualification-down"
                                         : "checking");
    items += fromWorker.statusItems;  // the log, as the controller last saw it
    return items;
}

void SessionBridge::checkQualificationService() {
    const std::string host = info_.qualificationHost;
    const int port = info_.qualificationPort;
    QThreadPool::globalInstance()->start([this, host, port] {
        qualificationReachable_ = tcpReachable(host, port) ? 1 : 0;
        QMetaObject::invokeMethod(this, [this] { onSnapshot(lastWorkerSnapshot_); });
    });
}

void SessionBridge::onFrame(const vision::Frame& frame) {
    // Preview: downscaled, RGB, at most one pending repaint.
    if (!previewPosted_.exchange(true)) {
        cv::Mat small, rgb;
        const double scale = std::min(1.0, double(kPreviewWidthPx) / frame.bgr.cols);
        cv::resize(frame.bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
        cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
        frames_->setLive(
            QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888)
                .copy());
        QMetaObject::invokeMethod(this, [this] {
            previewPosted_ = false;
            bumpPreview();
        });
    }
    if (!faceWanted_)
        return;
    {
        std::lock_guard lock(frameMutex_);
        latestFrame_ = vision::Frame{frame.bgr.clone(), frame.timestampMs, frame.index};
    }
    if (framePosted_.exchange(true))
        return;  // the worker will take the newest frame when it gets to it
    QMetaObject::invokeMethod(worker_, [this] {
        std::optional<vision::Frame> next;
        {
            std::lock_guard lock(frameMutex_);
            next.swap(latestFrame_);
        }
        framePosted_ = false;
        if (next)
            worker_->faceFrame(*next);
    });
}

void SessionBridge::post(std::function<void(SessionWorker&)> work) {
    ++pending_;
    setBusy(true);
    QMetaObject::invokeMethod(worker_, [this, work = std::move(work)] {
        work(*worker_);
        QMetaObject::invokeMethod(this, [this] {
            if (--pending_ == 0)
                setBusy(false);
        });
    });
}

void SessionBridge::chooseMethod(const QString& method) {
    post([m = method.toStdString()](SessionWorker& w) { w.chooseMethod(m); });
}

void SessionBridge::submitPin(SecretBytes pin, bool confirmLastTry) {
    auto secret = std::make_shared<SecretBytes>(std::move(pin));
    post([secret, confirmLastTry](SessionWorker& w) {
        w.enterPin(std::move(*secret), confirmLastTry);
    });
}

void SessionBridge::giveConsent(bool comprehensive, const QVariantMap& items) {
    terminal::ConsentChoices choices;
    choices.comprehensive = comprehensive;
    if (!comprehensive) {
        for (auto it = items.begin(); it != items.end(); ++it)
            choices.items[it.key().toStdString()] = it.value().toBool();
    }
    post([choices](SessionWorker& w) { w.giveConsent(choices); });
}

void SessionBridge::acknowledgeResult() {
    post([](SessionWorker& w) { w.acknowledgeResult(); });
}

void SessionBridge::cancel() {
    post([](SessionWorker& w) { w.cancel(); });
}

void SessionBridge::chooseAnotherMethod() {
    post([](SessionWorker& w) { w.chooseAnotherMethod(); });
}

void SessionBridge::staffModeHook(bool on) {
    post([on](SessionWorker& w) { w.staffMode(on); });
}

// Not counted as a pending input: a touch must never make the screens look busy.
void SessionBridge::userActivity() {
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->userActivity(); });
}

void SessionBridge::submitStaffDecision(const QString& staffId, SecretBytes password, bool approve,
                                        const QString& reason) {
    auto secret = std::make_shared<SecretBytes>(std::move(password));
    post([id = staffId.toStdString(), secret, approve, r = reason.toStdString()](SessionWorker& w) {
        w.staffDecision(id, std::move(*secret), approve, r);
    });
}

void SessionBridge::submitStaffSignIn(const QString& staffId, SecretBytes password) {
    auto secret = std::make_shared<SecretBytes>(std::move(password));
    post([id = staffId.toStdString(), secret](SessionWorker& w) {
        w.staffSignIn(id, std::move(*secret));
    });
}

void SessionBridge::staffSignOut() {
    post([](SessionWorker& w) { w.staffSignOut(); });
}

void SessionBridge::submitCardFront(const QString& birthDate, int expiryYear,
                                    SecretBytes securityCode) {
    const QDate birth = QDate::fromString(birthDate, Qt::ISODate);
    auto fields = std::make_shared<terminal::CardFrontFields>();
    fields->birthDate = std::chrono::year_month_day{
        std::chrono::year{birth.year()}, std::chrono::month{static_cast<unsigned>(birth.month())},
        std::chrono::day{static_cast<unsigned>(birth.day())}};
    fields->expiryYear = expiryYear;
    fields->securityCode = std::move(securityCode);
    post([fields](SessionWorker& w) { w.enterCardFront(std::move(*fields)); });
}

// The countdown stops while the patient waits for the staff they called.
void SessionBridge::staffCallChanged(bool called) {
    post([called](SessionWorker& w) { w.staffCalled(called); });
}

void SessionBridge::cancelCardFront() {
    post([](SessionWorker& w) { w.cancelCardFront(); });
}

void SessionBridge::refreshStatus() {
    checkQualificationService();
    onSnapshot(lastWorkerSnapshot_);
}

void SessionBridge::setCameraSpec(const std::string& spec) {
    options_.cameraSpec = spec;
    const bool still = CameraFeed::isStillImage(spec);
    post([still](SessionWorker& w) { w.setStillCapture(still); });
    camera_->setSpec(spec);
}

}  // namespace uketsuke::qml
