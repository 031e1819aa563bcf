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

// The two halves of publishAtomically, for a caller that must record something durable between
// them (the confirmation log's row, issue 14): stageFile() writes and fsyncs the content to
// folder/tempName (a hidden ".uketsuke-…tmp" name) and keeps it locked (flock) until
// publishStaged() or discardStaged() — or until the process dies: removeStaleTemps() never
// touches a locked temp file, so it cannot remove one another live writer is using.
class StagedFile {
  public:
    StagedFile() = default;
    StagedFile(std::filesystem::path folder, std::string tempName, int lockFd);
    ~StagedFile();
    StagedFile(StagedFile&& other) noexcept;
    StagedFile& operator=(StagedFile&& other) noexcept;
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;

    const std::filesystem::path& folder() const { return folder_; }
    const std::string& tempName() const { return tempName_; }

  private:
    std::filesystem::path folder_;
    std::string tempName_;
    int lockFd_ = -1;
};

// The staged temp file name of a session: ".uketsuke-<session id>.tmp".
std::string stagedTempName(std::string_view sessionId);

Result<StagedFile, ResultFileError> stageFile(const std::filesystem::path& folder,
                                              const std::string& tempName,
                                              std::string_view content);
// Renames the staged file to the first free candidate name (never replacing a file) and fsyncs
// the folder. Works on a StagedFile or, at start-up, on a temp file a killed process left.
Result<std::filesystem::path, ResultFileError> publishStaged(const std::filesystem::path& folder,
                                                             const std::string& tempName,
                                                             const NameCandidates& names);
void discardStaged(StagedFile& staged);

// Name candidates from a base name: attempt 0 the name itself, n ≥ 1 "_<n+1>" before the
// extension, up to `maxVariants`.
NameCandidates nameVariants(const std::string& baseName, int maxVariants);

// Removes the temp files (".uketsuke-*.tmp") a killed writer left in `folder`: those no live
// process holds locked; an empty one only when older than a minute (its writer may not have
// locked it yet). Returns how many were removed.
int removeStaleTemps(const std::filesystem::path& folder);

}  // namespace uketsuke::terminal
