// The confirmation log as the e2e tests read it (one TU: terminal/log's IdentityMethod must not
// meet terminal/qualification's, which the session headers bring in).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace uketsuke::e2e {

struct LoggedSession {
    std::string outcome;
    std::string identityMethod;
    std::string failureReason;
    std::string resultCode;
    int pinAttempts = 0;
    int faceAttempts = 0;
    int staffAttempts = 0;
};

std::optional<LoggedSession> findLoggedSession(const std::filesystem::path& sqlite,
                                               const std::string& sessionId);
// Empty when the whole hash chain verifies; otherwise why not.
std::string verifyLog(const std::filesystem::path& sqlite);

}  // namespace uketsuke::e2e
