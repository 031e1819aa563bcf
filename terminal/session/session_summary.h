// SessionSummary and LogSink: what one session leaves in the confirmation log, in log-neutral
// types (issue 4 point 4). Includes neither terminal/log nor terminal/qualification: both declare
// an enum IdentityMethod in this namespace, so the log adapter (session_log_sink.cpp) includes
// this header and the log's, never the qualification's.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "uketsuke/result.h"

namespace uketsuke::terminal {

// What one session leaves in the confirmation log, in log-neutral types (see the file comment).
struct SessionSummary {
    std::string sessionId;
    std::chrono::system_clock::time_point startedAt{};
    std::chrono::system_clock::time_point endedAt{};
    std::string cardClass;       // empty when no card was read
    std::string identityMethod;  // "none", "face", "pin", "staff"
    int faceAttempts = 0;
    int pinAttempts = 0;
    int staffAttempts = 0;
    std::optional<double> matchDistance;
    std::optional<std::string> staffId;
    nlohmann::json consent;  // null, or {"version", "items": [{"id", "agreed", "at"}]}
    std::string resultCode;  // validity code ("1".."6") or an error name
    std::string outcome;     // "confirmed", "refused", "aborted", "error"
    std::string failureReason;
    std::map<std::string, std::int64_t> phaseMs;
    std::map<std::string, std::int64_t> phaseUs;  // the same, unrounded (bench); not logged
};

class LogSink {
  public:
    virtual ~LogSink() = default;
    // Error text when the row could not be stored.
    virtual Status<std::string> append(const SessionSummary& summary) = 0;
};

}  // namespace uketsuke::terminal
