// Error table of the confirmation log (see log_error.h).
#include "terminal/log/log_error.h"

#include <array>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {
namespace {

using C = LogErrorCode;

constexpr ErrorTable kLogErrors{
    std::array{
        LogErrorInfo{C::kInvalidRecord, "invalid-record",
                     "the confirmation record is incomplete or inconsistent"},
        LogErrorInfo{C::kPrivacyViolation, "privacy-violation",
                     "a text field looks like a My Number and was refused"},
        LogErrorInfo{C::kDuplicateSession, "duplicate-session",
                     "the session is already logged with different content"},
        LogErrorInfo{C::kUnavailable, "unavailable",
                     "the log database cannot be opened or reached"},
        LogErrorInfo{C::kBusy, "busy", "another terminal held the log lock for too long"},
        LogErrorInfo{C::kDatabase, "database", "the log database reported an error"},
        LogErrorInfo{C::kCorruptRow, "corrupt-row", "a stored log row cannot be decoded"},
        LogErrorInfo{C::kChainKey, "chain-key",
                     "the chain key is missing or invalid, or does not match the log"},
        LogErrorInfo{C::kConfiguration, "configuration", "the log configuration is invalid"},
        LogErrorInfo{C::kIo, "io", "a file could not be read or written"},
        LogErrorInfo{C::kFormat, "format", "an exported log file cannot be parsed"},
    },
    LogErrorInfo{C::kDatabase, "unknown", "unknown log error"}};
static_assert(kLogErrors.complete(C::kFormat),
              "kLogErrors must list every LogErrorCode in enum order");

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
