// SessionWorker: the session core on its own thread (issue 5). Controller calls block on card
// APDUs and HTTPS round trips, so the SessionController, the TerminalApp it runs on and a
// 250 ms tick timer all live on the worker thread, and the GUI thread only posts inputs here
// (QMetaObject::invokeMethod with this object as context) and receives SessionSnapshots back.
// Every method below runs on the worker thread.
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "qml/bridge/frame_store.h"
#include "qml/bridge/photo_keeping_card_port.h"
#include "qml/bridge/session_snapshot.h"
#include "qml/sound/sound_config.h"
#include "terminal/app/terminal_app.h"
#include "terminal/session/consent.h"
#include "terminal/session/session_controller.h"
#include "vision/frame_source.h"

namespace uketsuke::qml {

struct BridgeOptions {
    std::string configPath;
    std::string cameraSpec;  // FrameSourceSpec text; empty: "camera:0"
    bool loadFaceEngine = true;
    // Reads the card front when the patient chooses face and no clerk entered it (a card-front
    // reader standing in for the staff entry; the demo build's is the simulated card's printed
    // fields). Called on the worker thread; empty: the staff enter it.
    std::function<std::optional<terminal::CardFrontFields>()> cardFrontSource;
};

// What the GUI thread needs once the environment is built.
struct WorkerStartInfo {
    std::string error;  // empty: started
    std::string readerName;
    terminal::ConsentCatalog consent;
    bool faceAvailable = false;
    std::string qualificationHost;
    int qualificationPort = 0;
    // The configuration's "ui" section (issue 17): "staff_station": "HOST:PORT" (empty: none),
    // "stuck_after_s", "staff_idle_timeout_s"; the log's terminal_id names this kiosk.
    std::string staffStationHost;
    int staffStationPort = 0;
    // "staff_station_ca", "staff_station_cert", "staff_station_key" (relative to the config
    // file), "staff_station_name" (the station certificate's name when not the host).
    std::string staffStationCa, staffStationCert, staffStationKey, staffStationName;
    std::string terminalId;
    int stuckAfterMs = 90000;
    int staffIdleTimeoutMs = 60000;
    sound::SoundSettings sound;  // the "sound" section (qml/sound/sound_config.h)
};

class SessionWorker : public QObject {
    Q_OBJECT

  public:
    SessionWorker(BridgeOptions options, std::shared_ptr<FrameStore> frames);
    ~SessionWorker() override;
    Q_DISABLE_COPY_MOVE(SessionWorker)

    WorkerStartInfo start();
    void shutdown();  // ends an open session (logged as aborted) and frees the environment

    void cardInserted();
    void cardRemoved();
    void chooseMethod(const std::string& method);
    void enterPin(SecretBytes pin, bool confirmLastTry);
    void staffDecision(const std::string& staffId, SecretBytes password, bool approve,
                       const std::string& reason);
    void staffSignIn(const std::string& staffId, SecretBytes password);
    void staffSignOut();
    void giveConsent(const terminal::ConsentChoices& choices);
    void acknowledgeResult();
    void cancel();
    void staffCalled(bool waiting);
    // Staff screens are open (signed in or signing in): the patient's countdown waits.
    void staffMode(bool on);
    void chooseAnotherMethod();
    void userActivity();
    void enterCardFront(terminal::CardFrontFields fields);
    void cancelCardFront();
    void faceFrame(const vision::Frame& frame);
    void faceStreamEnded();
    void setStillCapture(bool still);

    SessionSnapshot snapshot();

  signals:
    // After every input and tick; the bridge drops unchanged snapshots.
    void published(const uketsuke::qml::SessionSnapshot& snapshot);

  private:
    void publish();
    void onTick();
    void updateChipPhoto();

    BridgeOptions options_;
    std::shared_ptr<FrameStore> frames_;
    std::unique_ptr<terminal::TerminalApp> env_;
    std::unique_ptr<PhotoKeepingCardPort> cardPort_;
    std::unique_ptr<terminal::SessionController> controller_;
    QTimer* tick_ = nullptr;
    bool cardFrontEntered_ = false;
    bool cardFrontNeeded_ = false;
    bool framesSeen_ = false;
    bool staffSignedIn_ = false;
    bool staffCalled_ = false;
    bool staffMode_ = false;
    std::string staffAuthMessage_;
    std::uint64_t photoGeneration_ = 0;
};

}  // namespace uketsuke::qml
