// Error vocabulary of the result-file writer: one enum class with a {code, name, description}
// table and the ResultFileError value.
#pragma once

#include <string>
#include <string_view>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {

enum class ResultFileErrorCode {
    kFolderMissing,  // the configured res folder does not exist
    kNotWritable,    // no permission or read-only file system
    kWriteFailed,    // write, fsync or rename failed (disk full, I/O error)
    kNameExhausted,  // every collision-safe variant of the name is taken
    kInvalidInput,   // a field would make an unsafe file name or invalid XML
};

using ResultFileErrorInfo = ErrorInfo<ResultFileErrorCode>;

// clang-format off
inline constexpr ErrorTable kResultFileErrors{std::to_array<ResultFileErrorInfo>({
    {ResultFileErrorCode::kFolderMissing, "folder-missing", "the result folder does not exist"},
    {ResultFileErrorCode::kNotWritable, "not-writable", "the result folder is not writable"},
    {ResultFileErrorCode::kWriteFailed, "write-failed", "writing the result file failed"},
    {ResultFileErrorCode::kNameExhausted, "name-exhausted", "no free file name for this confirmation"},
    {ResultFileErrorCode::kInvalidInput, "invalid-input", "a field is not valid for the result file"},
}), {ResultFileErrorCode::kWriteFailed, "unknown", "unknown result-file error"}, ResultFileErrorCode::kFolderMissing, ResultFileErrorCode::kInvalidInput};
// clang-format on

inline std::string_view resultFileErrorName(ResultFileErrorCode code) {
    return kResultFileErrors[code].name;
}

struct ResultFileError {
    ResultFileErrorCode code = ResultFileErrorCode::kWriteFailed;
    int sysErrno = 0;
    std::string detail;

    std::string message() const {
        return std::string(resultFileErrorName(code)) + (detail.empty() ? "" : ": " + detail);
    }
};

}  // namespace uketsuke::terminal
