// SessionBridge: the real SessionModel (issue 5). Owns the worker thread with the session core
// (session_worker.h), the card watcher (card_watcher.h) and the camera feed (camera_feed.h), and
// turns the screens' intents into calls posted to the worker. The GUI thread never blocks on the
// card, the camera or the qualification service.
//
// Frames: the camera thread keeps only the newest frame for the worker and posts at most one
// "frame ready" call at a time, so frames are dropped while the face engine is busy and nothing
// queues up. A downscaled preview goes to the FrameStore for the live picture.
#pragma once

#include <QThread>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "qml/bridge/camera_feed.h"
#include "qml/bridge/card_watcher.h"
#include "qml/bridge/frame_store.h"
#include "qml/bridge/session_model.h"
#include "qml/bridge/session_worker.h"

namespace uketsuke::qml {

class SessionBridge final : public SessionModel {
    Q_OBJECT

  public:
    SessionBridge(BridgeOptions options, std::shared_ptr<FrameStore> frames,
                  QObject* parent = nullptr);
    ~SessionBridge() override;
    Q_DISABLE_COPY_MOVE(SessionBridge)

    // Starts the worker (loads models etc. on the worker thread); state is Starting until done.
    void start();
    // The configuration's "sound" section, once started.
    const sound::SoundSettings& soundSettings() const { return info_.sound; }

    void chooseMethod(const QString& method) override;
    void giveConsent(bool comprehensive, const QVariantMap& items) override;
    void acknowledgeResult() override;
    void cancel() override;
    void chooseAnotherMethod() override;
    void staffCallChanged(bool called) override;
    void staffSignOut() override;
    void cancelCardFront() override;
    void refreshStatus() override;
    // Switches the camera to another frame source (FrameSourceSpec text), e.g. when a demo swaps
    // the card and its holder's photo stands in for the camera.
    void setCameraSpec(const std::string& spec);

  signals:
    // For the integration test and the demo's console: the start-up finished (error empty: ok).
    void started(const QString& error);

  protected:
    void submitPin(SecretBytes pin, bool confirmLastTry) override;
    void submitStaffDecision(const QString& staffId, SecretBytes password, bool approve,
                             const QString& reason) override;
    void submitStaffSignIn(const QString& staffId, SecretBytes password) override;
    void submitCardFront(const QString& birthDate, int expiryYear,
                         SecretBytes securityCode) override;
    void staffModeHook(bool on) override;
    void userActivity() override;

  private:
    // Runs `work` on the worker thread, counted as a pending input (busy) until it returns.
    void post(std::function<void(SessionWorker&)> work);
    void onStarted(const WorkerStartInfo& info);
    void onSnapshot(SessionSnapshot snapshot);
    void onFrame(const vision::Frame& frame);
    QVariantList statusItems(const SessionSnapshot& fromWorker) const;
    void checkQualificationService();
    DoctorModel::Job doctorJob() const;  // `uketsuke doctor` with the kiosk's camera verdict

    BridgeOptions options_;
    std::shared_ptr<FrameStore> frames_;
    QThread thread_;
    SessionWorker* worker_ = nullptr;  // lives on thread_, deleted there
    std::unique_ptr<CardWatcher> watcher_;
    std::unique_ptr<CameraFeed> camera_;
    WorkerStartInfo info_;
    int pending_ = 0;
    SessionSnapshot lastWorkerSnapshot_;

    // Camera -> worker hand-over (newest frame only).
    std::mutex frameMutex_;
    std::optional<vision::Frame> latestFrame_;
    std::atomic<bool> framePosted_{false};
    std::atomic<bool> faceWanted_{false};
    std::atomic<bool> previewPosted_{false};
    std::atomic<int> qualificationReachable_{-1};  // -1 unknown, 0 down, 1 reachable
    std::atomic<bool> cameraOk_{false};
    std::atomic<bool> cameraOpened_{false};  // the feed reported once (it keeps the device)
};

}  // namespace uketsuke::qml
