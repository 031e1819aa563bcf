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
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/app/terminal_app.h"
#include "terminal/config.h"
#include "uketsuke/result.h"

namespace uketsuke::sim {

// Where the harness finds the simulator: the configuration's "sim" section (a demo or test
// configuration only; the terminal itself never reads it). Relative paths resolve against the
// configuration file's folder.
//   "sim": {"vcard_control_socket": "run/vcard.sock", "personas_dir": "sim/personas",
//           "personas_pki_dir": "pki/personas"}
struct SimSettings {
    std::filesystem::path controlSocket;
    std::filesystem::path personasDir;
    std::filesystem::path personasPkiDir;

    static Result<SimSettings, std::string> fromConfig(const terminal::Config& config);
};

// The scripted patient on a terminal built by the composition root (terminal/app/).
class ScriptRunner {
  public:
    static Result<std::unique_ptr<ScriptRunner>, std::string> create(
        const terminal::Config& config, const terminal::TerminalAppOptions& options = {});
    ~ScriptRunner();
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    // Runs one scripted session; the JSON report (outcome, result code, attempts, phases, the
    // transcript of what the screens showed), or a harness error.
    Result<nlohmann::json, std::string> run(const nlohmann::json& script);

    terminal::TerminalApp& app();
    const SimSettings& settings() const;

  private:
    ScriptRunner();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Checks a script's keys and value types (unknown keys and wrong types are refused): run() calls
// it first, the CLI before starting anything (exit 2).
Status<std::string> validateScript(const nlohmann::json& script);

}  // namespace uketsuke::sim
