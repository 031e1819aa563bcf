// Error table of the confirmation log (see log_error.h).
#include "terminal/log/log_error.h"

#include <array>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {
namespace {

// clang-format off
constexpr ErrorTable kLogErrors{std::to_array<LogErrorInfo>({
    {LogErrorCode::kInvalidRecord, "invalid-record", "the confirmation record is incomplete or inconsistent"},
    {LogErrorCode::kPrivacyViolation, "privacy-violation", "a text field looks like a My Number and was refused"},
    {LogErrorCode::kDuplicateSession, "duplicate-session", "the session is already logged with different content"},
    {LogErrorCode::kUnavailable, "unavailable", "the log database cannot be opened or reached"},
    {LogErrorCode::kBusy, "busy", "another terminal held the log lock for too long"},
    {LogErrorCode::kDatabase, "database", "the log database reported an error"},
    {LogErrorCode::kCorruptRow, "corrupt-row", "a stored log row cannot be decoded"},
    {LogErrorCode::kChainKey, "chain-key", "the chain key is missing or invalid, or does not match the log"},
    {LogErrorCode::kConfiguration, "configuration", "the log configuration is invalid"},
    {LogErrorCode::kIo, "io", "a file could not be read or written"},
    {LogErrorCode::kFormat, "format", "an exported log file cannot be parsed"},
}), {LogErrorCode::kDatabase, "unknown", "unknown log error"}, LogErrorCode::kInvalidRecord, LogErrorCode::kFormat};
// clang-format on

}  // namespace

const LogErrorInfo& logErrorInfo(LogErrorCode code) {
    return kLogErrors[code];
}

std::string_view logErrorName(LogErrorCode code) {
    return logErrorInfo(code).name;
}

std::string LogError::toString() const {
    std::string out(name());
    if (!context.empty()) {
        out += ": ";
        out += context;
    } else {
        out += ": ";
        out += logErrorInfo(code).description;
    }
    return out;
}

}  // namespace uketsuke::terminal
