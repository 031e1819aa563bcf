// Atomic publication of a file into a folder watched by another program (the clinic's billing
// system scans the OQS `res` folder, qualification-domain.md §4.1): the content is written to a
// hidden temporary file in the same folder, fsync'ed, renamed to its final name without ever
// replacing an existing file, and the folder is fsync'ed. A reader sees either no file or the
// complete file; a failure leaves nothing behind.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "terminal/result_file/result_file_error.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

// Names to try, in order, for attempt 0, 1, 2…; an empty name ends the search.
using NameCandidates = std::function<std::string(int attempt)>;

// Returns the path the content was published under.
Result<std::filesystem::path, ResultFileError> publishAtomically(
    const std::filesystem::path& folder, const NameCandidates& names, std::string_view content);

}  // namespace uketsuke::terminal
