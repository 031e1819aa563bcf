// Client of the virtual card's control socket (sim/README.md "Control socket"): one line per
// request, one line per answer ("ok …" / "error …"). Used by the integration tests and the bench.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace uketsuke::testing {

class VcardControl {
  public:
    explicit VcardControl(std::string socketPath) : path_(std::move(socketPath)) {}

    // Sends one request; returns the answer line without the newline, or "error <why>" when the
    // socket cannot be reached. Each request opens its own connection (the simplest contract).
    std::string request(const std::string& line) const;
    bool ok(const std::string& line) const { return request(line).rfind("ok", 0) == 0; }

    // `status` parsed into key=value pairs (persona, inserted, apdus, auth_pin_tries, ...).
    std::map<std::string, std::string> status() const;
    int statusInt(const std::string& key) const;
    // `forbidden`: accesses to My Number files since start.
    int forbiddenCount() const;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace uketsuke::testing
