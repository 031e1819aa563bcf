// DemoCard: the demo build's adapter between the kiosk window and the simulator (issue 15). The
// demo panel (views/DemoPanel.qml) lists the personas and swaps the virtual card through it; it
// also points the kiosk's camera at the card holder's photo and hands the holder's printed card
// front to the session in place of a clerk (BridgeOptions::cardFrontSource). Linked only into
// uketsuke-ui-demo; the kiosk's bridge knows nothing of personas or the virtual card.
#pragma once

#include <QObject>
#include <QStringList>
#include <mutex>
#include <optional>
#include <string>

#include "qml/bridge/session_bridge.h"
#include "sim/harness/script_runner.h"

namespace uketsuke::qml::demo {

class DemoCard : public QObject {
    Q_OBJECT
    Q_PROPERTY(QStringList personas READ personas CONSTANT)
    Q_PROPERTY(QString persona READ persona NOTIFY personaChanged)

  public:
    // The personas of settings.personasDir (sim::loadPersonaDir), `persona` in the reader first.
    static Result<std::unique_ptr<DemoCard>, std::string> create(sim::SimSettings settings,
                                                                 const std::string& persona);

    QStringList personas() const { return personas_; }
    QString persona() const;

    // The holder's photo of `persona` as a still-image camera (FrameSourceSpec text).
    std::string cameraSpecFor(const std::string& persona) const;
    // The printed card front of the persona now in the reader; any thread.
    std::optional<terminal::CardFrontFields> cardFront() const;
    // The bridge whose camera follows the persona; set once, before the window shows.
    void attach(SessionBridge& bridge) { bridge_ = &bridge; }

    // Puts the persona's card in the reader (the virtual card takes the previous one out first).
    Q_INVOKABLE void insert(const QString& persona);
    Q_INVOKABLE void remove();

  signals:
    void personaChanged();
    // The virtual card refused or did not answer a request (a line on the console too).
    void controlFailed(const QString& request);

  private:
    DemoCard(sim::SimSettings settings, QStringList personas, const std::string& persona);
    void control(const std::string& request);

    sim::SimSettings settings_;
    QStringList personas_;
    SessionBridge* bridge_ = nullptr;
    mutable std::mutex mutex_;  // persona_: the GUI thread writes, the worker thread reads
    std::string persona_;
};

}  // namespace uketsuke::qml::demo
