// The confirmation-log adapter of the session (LogSink over terminal/log's ConfirmationLog).
// Kept in its own translation unit: terminal/log and terminal/qualification both declare an
// enum IdentityMethod in this namespace, so this is the one file that sees the log's types.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/session/session_summary.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

// Opens the store named by the configuration's "log" section (LogConfig::fromJson).
Result<std::unique_ptr<LogSink>, std::string> openLogSink(const nlohmann::json& section,
                                                          const std::filesystem::path& baseDir);

}  // namespace uketsuke::terminal
