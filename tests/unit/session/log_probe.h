// Reads a confirmation log read-only for the fault-injection test, in log-neutral types: the
// log's and the qualification client's headers both declare an enum IdentityMethod in
// uketsuke::terminal, so the test (which sees the session's types) cannot include the log's.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace uketsuke::terminal::test {

struct JournalEntry {
    std::string sessionId;
    std::string state;  // "pending", "published", "file-lost", "file-without-row"
    std::string fileName;
};

struct LogProbe {
    std::string error;      // empty when the log was read
    bool verified = false;  // the chain verifies
    std::map<std::string, std::string> outcomeBySession;
    std::vector<JournalEntry> journal;
};

LogProbe probeLog(const nlohmann::json& section, const std::filesystem::path& baseDir);

}  // namespace uketsuke::terminal::test
