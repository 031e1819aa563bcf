// Error vocabulary of the confirmation log (terminal/log): one enum class with a
// {code, name, description} table, plus a LogError value carrying context for the operator.
// A LogError's context never repeats the value that was rejected: a field refused by the privacy
// check may hold a My Number, and the error text ends up in logs and on screens.
#pragma once

#include <string>
#include <string_view>

#include "uketsuke/error_table.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

enum class LogErrorCode {
    kInvalidRecord,     // a field is missing, malformed or inconsistent with another field
    kPrivacyViolation,  // a text field looks like a My Number (12 digits): refused, not stored
    kDuplicateSession,  // the session id is already logged with different content
    kUnavailable,       // the database cannot be opened or reached
    kBusy,              // another writer held the log lock for longer than the busy timeout
    kDatabase,          // the database answered an error
    kCorruptRow,        // a stored row cannot be decoded (bad timestamp, bad JSON, bad enum)
    kChainKey,          // chain key file missing or invalid, or the chain mode does not match
    kConfiguration,     // the "log" configuration section is invalid
    kIo,                // an export or key file could not be read or written
    kFormat,            // an exported CSV or JSON file cannot be parsed
};

using LogErrorInfo = ErrorInfo<LogErrorCode>;

const LogErrorInfo& logErrorInfo(LogErrorCode code);
std::string_view logErrorName(LogErrorCode code);

struct LogError {
    LogErrorCode code = LogErrorCode::kDatabase;
    std::string context;

    std::string_view name() const { return logErrorName(code); }
    // "privacy-violation (failure_reason): contains a 12-digit number"
    std::string toString() const;
};

template <typename T>
using LogResult = Result<T, LogError>;
using LogStatus = Status<LogError>;

inline Failure<LogError> logFail(LogErrorCode code, std::string context = {}) {
    return fail(LogError{code, std::move(context)});
}

}  // namespace uketsuke::terminal
