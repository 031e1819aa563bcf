// Error table of the confirmation log (see log_error.h).
#include "terminal/log/log_error.h"

#include <array>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {
namespace {

using C = LogErrorCode;

// clang-format off
constexpr auto kLogErrors = errorTable<LogErrorInfo, C::kInvalidRecord, C::kFormat>({
    {C::kInvalidRecord, "invalid-record", "the confirmation record is incomplete or inconsistent"},
    {C::kPrivacyViolation, "privacy-violation", "a text field looks like a My Number and was refused"},
    {C::kDuplicateSession, "duplicate-session", "the session is already logged with different content"},
    {C::kUnavailable, "unavailable", "the log database cannot be opened or reached"},
    {C::kBusy, "busy", "another terminal held the log lock for too long"},
    {C::kDatabase, "database", "the log database reported an error"},
    {C::kCorruptRow, "corrupt-row", "a stored log row cannot be decoded"},
    {C::kChainKey, "chain-key", "the chain key is missing or invalid, or does not match the log"},
    {C::kConfiguration, "configuration", "the log configuration is invalid"},
    {C::kIo, "io", "a file could not be read or written"},
    {C::kFormat, "format", "an exported log file cannot be parsed"},
}, {C::kDatabase, "unknown", "unknown log error"});
// clang-format on

}  // namespace

const LogErrorInfo& logErrorInfo(LogErrorCode code) {
    return kLogErrors[code];
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
