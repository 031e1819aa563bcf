// TerminalApp: the terminal's composition root. Builds, once, everything a terminal reuses for
// every session from the configuration's sections: the card service port (PC/SC), the face
// engine and its port, the qualification client over mutual TLS with the terminal key, the res
// folder sink, the confirmation log (with start-up reconciliation), the staff file and the
// consent data. The CLI, the kiosk UI (qml/bridge/session_worker.cpp) and the scripted-patient
// harness (sim/harness/) drive one SessionController on its ports.
//
// It knows the configuration and the real ports only: how a card gets into the reader (a patient,
// or a simulator in a demo or test) is no concern of the terminal.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "terminal/config.h"
#include "terminal/session/session_adapters.h"
#include "terminal/session/session_controller.h"
#include "terminal/session/session_ports.h"
#include "terminal/session/session_summary.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct TerminalAppOptions {
    bool loadFaceEngine = true;  // false: the face method is not offered (no models loaded)
};

class TerminalApp {
  public:
    // Refuses the start (one clear line naming the key or file) on a missing section, a number
    // out of range, a trust anchor or model that is not there, a log that does not open.
    static Result<std::unique_ptr<TerminalApp>, std::string> create(
        const Config& config, const TerminalAppOptions& options = {});
    ~TerminalApp();
    TerminalApp(const TerminalApp&) = delete;
    TerminalApp& operator=(const TerminalApp&) = delete;

    // The ports built from the configuration. `cardFront` replaces the default staff-entry
    // reader (e.g. card-front OCR). The caller owns the one SessionController it builds on them.
    SessionPorts ports(CardFrontReader* cardFront = nullptr);
    StaffEntryCardFront& staffEntryCardFront();
    const Config& config() const;
    const SessionConfig& sessionConfig() const;
    const std::string& readerName() const;
    bool faceAvailable() const;
    // What start-up reconciliation of the log and the res folder repaired (issue 14).
    const ReconcileReport& startupReconciliation() const;

  private:
    TerminalApp();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The PC/SC name of the vpcd reader on `port` as pcscd names it with scripts/services.sh's
// reader.conf.d (two readers per driver entry): 35963 "Virtual PCD 00 00", 35964
// "Virtual PCD 00 01", 35965 "Virtual PCD 2 00 00", ... 35970 "Virtual PCD 4 00 01".
inline constexpr int kFirstVpcdPort = 35963;
std::string vpcdReaderName(int port);
// The reader used when card.reader is empty: the vpcd reader on $UKETSUKE_VPCD_PORT (default
// kFirstVpcdPort), a development default; a clinic's configuration names its reader.
std::string defaultReaderName();

// A path named by the configuration: as it is when absolute, else relative to the folder of the
// configuration file.
std::filesystem::path resolveConfigPath(const Config& config, const std::string& value);

}  // namespace uketsuke::terminal
