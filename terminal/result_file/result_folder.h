// What is in the res folder (issue 14, start-up reconciliation): the result files the terminal
// published, each named by the session id it carries in MessageHeader/ArbitraryFileIdentifier.
// No qualification types here, so the log side (which declares its own IdentityMethod) can use it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::terminal {

struct ResultFolderEntry {
    std::string fileName;
    std::string arbitraryFileIdentifier;  // the session id for files this terminal wrote
};

// The visible *.xml files of `folder` (hidden and temp files skipped) with their identifiers;
// files that are not parseable XML (or larger than 1 MiB) are listed with an empty identifier.
std::vector<ResultFolderEntry> listResultFiles(const std::filesystem::path& folder);

// The ArbitraryFileIdentifier of one result file, nullopt when it cannot be read.
std::optional<std::string> readArbitraryFileIdentifier(const std::filesystem::path& file);

}  // namespace uketsuke::terminal
