// Staff visual check (目視) authentication (issue 4; qualification-domain.md §3 step 3c: staff ID
// plus the facility's 目視 password, not the card PIN). The staff file holds the known staff IDs
// and the password as a salted slow hash (PBKDF2-HMAC-SHA256, OpenSSL), never the password:
//   {"version": 1, "kdf": "pbkdf2-sha256", "iterations": 200000, "salt": "<hex>",
//    "hash": "<hex>", "staff": ["S001", ...]}
// Failed attempts are rate-limited: after `maxFailures` consecutive failures every attempt is
// refused without checking until the lockout has passed.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "uketsuke/bytes.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct StaffFile {
    int iterations = 200000;
    Bytes salt;
    Bytes hash;
    std::vector<std::string> staffIds;

    static Result<StaffFile, std::string> load(const std::filesystem::path& file);
    // A new file content for `password` with a fresh random salt.
    static Result<StaffFile, std::string> create(const SecretBytes& password,
                                                 std::vector<std::string> staffIds,
                                                 int iterations = 200000);
    Status<std::string> save(const std::filesystem::path& file) const;
};

enum class StaffAuthOutcome { kAccepted, kUnknownStaff, kWrongPassword, kLockedOut };
std::string_view staffAuthOutcomeName(StaffAuthOutcome outcome);

struct StaffAuthPolicy {
    int maxFailures = 5;
    std::chrono::milliseconds lockout{60000};
};

// Not thread-safe: one per terminal.
class StaffAuthenticator {
  public:
    StaffAuthenticator(StaffFile file, StaffAuthPolicy policy)
        : file_(std::move(file)), policy_(policy) {}
    // The password is wiped whatever happens. `now` is a steady-clock reading.
    StaffAuthOutcome check(std::string_view staffId, SecretBytes password,
                           std::chrono::steady_clock::time_point now);
    int consecutiveFailures() const { return failures_; }

  private:
    StaffFile file_;
    StaffAuthPolicy policy_;
    int failures_ = 0;
    std::chrono::steady_clock::time_point lockedUntil_{};
};

}  // namespace uketsuke::terminal
