// A client of the virtual card's control socket (sim/README.md, "Control socket"): one line per
// request ("insert normal", "remove", "reset-state normal", "fault ...", "status"), one "ok ..."
// or "error ..." line back. Used by the scripted-patient harness, the demo panel's adapter and
// the tests; never by the terminal.
#pragma once

#include <filesystem>
#include <string>

#include "uketsuke/result.h"

namespace uketsuke::sim {

struct VcardAnswer {
    std::string line;  // "ok ..."
};

// Sends one line to the virtual card's control socket; its "ok ..." answer, or an error text
// (an "error ..." answer included).
Result<VcardAnswer, std::string> vcardControl(const std::filesystem::path& socket,
                                              const std::string& request);

}  // namespace uketsuke::sim
