// Scripted headless sessions (issue 4 point 5, `uketsuke session --script FILE`): a scripted
// patient (card persona, live image or video, PIN entries, staff inputs, consent, pauses, card
// pulled out at a given state) drives the real session controller against real pcscd + the
// virtual card (control socket, sim/README.md) + the qualification service over mutual TLS + the
// configured confirmation log. The end-to-end tests and bench/session run on it.
//
// Script (JSON):
//   {"persona": "normal", "reset_state": false, "card_fault": "remove-after-apdus 3",
//    "methods": ["face", "pin"],             patient's choices, in order
//    "face_live": "persona-photo:normal",    or an image / video path, or "images:DIR"
//    "card_front": {"birth_date": "1980-02-17", "expiry_year": 2035, "security_code": "2285"},
//                                            staff-entered 照合番号B fields (default: the
//                                            persona's), or "ocr:<image|video>": card-front OCR
//                                            first, the persona's fields as staff entry when OCR
//                                            is not confident (report: "card_front" source)
//    "pins": ["1111", "1234"], "confirm_last_try": false,
//    "staff": [{"id": "S001", "password": "...", "decision": "approve"|"reject", "reason": "..."}],
//    "consent": {"comprehensive": true} | {"items": {"medical-treatment": true, ...}},
//    "pauses": {"choosing-method": 300},     ms waited before acting in that state
//    "remove_card_at": "pin-entry", "cancel_at": "consent", "timeout_at": "staff-check"}
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/config.h"
#include "terminal/session/consent.h"
#include "terminal/session/session_adapters.h"
#include "terminal/session/session_controller.h"
#include "terminal/session/session_ports.h"
#include "terminal/session/staff_auth.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct SessionEnvironmentOptions {
    bool loadFaceEngine = true;  // false: the face method is not offered (no models loaded)
};

// Everything a terminal builds once (models, TLS context, log, staff file, consent data) and
// reuses for every session. Built from the configuration's sections.
class SessionEnvironment {
  public:
    static Result<std::unique_ptr<SessionEnvironment>, std::string> create(
        const Config& config, const SessionEnvironmentOptions& options = {});
    ~SessionEnvironment();
    SessionEnvironment(const SessionEnvironment&) = delete;
    SessionEnvironment& operator=(const SessionEnvironment&) = delete;

    // Runs one scripted session; the JSON report (outcome, result code, attempts, phases, the
    // transcript of what the screens showed), or a harness error.
    Result<nlohmann::json, std::string> run(const nlohmann::json& script);

    // For a live driver (the kiosk UI): the ports built from the configuration. `cardFront`
    // replaces the default staff-entry reader (e.g. card-front OCR). The caller owns the one
    // SessionController it builds on them; run() must not be used at the same time.
    SessionPorts ports(CardFrontReader* cardFront = nullptr);
    StaffEntryCardFront& staffEntryCardFront();
    const SessionConfig& sessionConfig() const;
    const std::string& readerName() const;
    const std::filesystem::path& vcardControlSocket() const;
    const std::filesystem::path& personasDir() const;
    const std::filesystem::path& personasPkiDir() const;
    bool faceAvailable() const;
    // What start-up reconciliation of the log and the res folder repaired (issue 14).
    const ReconcileReport& startupReconciliation() const;

  private:
    SessionEnvironment();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Checks a script's keys and value types (unknown keys and wrong types are refused): run() calls
// it first, the CLI before starting anything (exit 2).
Status<std::string> validateScript(const nlohmann::json& script);

struct VcardAnswer {
    std::string line;  // "ok ..."
};

// The PC/SC name of the vpcd reader on `port` as pcscd names it with scripts/services.sh's
// reader.conf.d (two readers per driver entry): 35963 "Virtual PCD 00 00", 35964
// "Virtual PCD 00 01", 35965 "Virtual PCD 2 00 00", ... 35970 "Virtual PCD 4 00 01".
inline constexpr int kFirstVpcdPort = 35963;
std::string vpcdReaderName(int port);

// Sends one line to the virtual card's control socket; its "ok ..." answer, or an error text
// (an "error ..." answer included).
Result<VcardAnswer, std::string> vcardControl(const std::filesystem::path& socket,
                                              const std::string& request);

}  // namespace uketsuke::terminal
