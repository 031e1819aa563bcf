// runKiosk: the kiosk window's main (qml/kiosk_main.cpp). uketsuke-ui (main.cpp) runs it as it
// is; the demo build (qml/demo/) adds its options, adjusts the bridge options and hands the window
// its demo adapter through a KioskExtension, so the kiosk itself carries no demo code.
#pragma once

#include <QCommandLineParser>
#include <QObject>
#include <string>

#include "qml/bridge/session_bridge.h"

namespace uketsuke::qml {

class KioskExtension {
  public:
    virtual ~KioskExtension() = default;
    virtual void addOptions(QCommandLineParser& cli) = 0;
    // After the command line is parsed: adjusts the bridge's options; an error text refuses the
    // start (exit 2).
    virtual std::string configure(const QCommandLineParser& cli, BridgeOptions& options) = 0;
    // Once the bridge exists: the object Main.qml gets as `demo` (nullptr: none). It must outlive
    // the bridge.
    virtual QObject* attach(SessionBridge& bridge) = 0;
};

// Parses the command line (--config, --windowed, --camera, --lang and the extension's), builds
// the bridge and the window, runs the event loop; the process's exit code.
int runKiosk(int argc, char** argv, KioskExtension* extension = nullptr);

}  // namespace uketsuke::qml
