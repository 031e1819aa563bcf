// Consent as data (issue 4; qualification-domain.md §3 steps 5-8): a versioned JSON file
// (terminal/data/consent.json) with the one-tap 包括同意 and the per-item choices (診療・薬剤・
// 手術等, 特定健診等, the 2025 電子カルテ情報共有サービス items, 特定疾病). The session records
// each answer with its time; the log gets {"version", "items": [{"id", "agreed", "at"}]} and the
// result file one ConsentEntry per item (flag 0/1, OQSCD016).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/result_file/result_file_writer.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct ConsentItem {
    std::string id;
    std::string label;  // Japanese (the screens' default language)
    std::string elementPrefix;
    // Information provision (診療/薬剤/健診/カルテ): not asked while the certificate is in its
    // grace period (qualification only, §3 "Expired 利用者証明用 certificate").
    bool informationSharing = true;
    std::string labelEn;  // English; empty: the screens show `label`
};

struct ConsentCatalog {
    std::string version;
    std::string comprehensiveLabel;  // the one-tap 包括同意
    std::string comprehensiveLabelEn;
    std::vector<ConsentItem> items;

    // Parses and validates (version non-empty, ids unique and [a-z0-9-], element prefixes letters).
    static Result<ConsentCatalog, std::string> fromJson(const nlohmann::json& doc);
    static Result<ConsentCatalog, std::string> load(const std::filesystem::path& file);
};

// The patient's choices: `comprehensive` agrees to every item; otherwise per-item answers
// (an item not answered counts as not agreed).
struct ConsentChoices {
    bool comprehensive = false;
    std::map<std::string, bool> items;
};

struct ConsentAnswer {
    std::string id;
    bool agreed = false;
    std::chrono::system_clock::time_point at{};
};

struct ConsentRecord {
    std::string version;
    bool qualificationOnly = false;  // grace period: information items were not asked
    std::vector<ConsentAnswer> answers;

    nlohmann::json toLogJson() const;
    std::vector<ConsentEntry> toResultEntries(const std::vector<ConsentItem>& items) const;
};

// Unknown item ids in `choices` are an error (a script or UI out of step with the data file).
Result<ConsentRecord, std::string> recordConsent(const ConsentCatalog& catalog,
                                                 const ConsentChoices& choices,
                                                 bool qualificationOnly,
                                                 std::chrono::system_clock::time_point at);

// "yyyyMMddHHmmss" in JST (the result file's time format).
std::string jstTimestamp(std::chrono::system_clock::time_point t);
// "2025-03-01T09:15:02.345Z".
std::string utcTimestamp(std::chrono::system_clock::time_point t);

}  // namespace uketsuke::terminal
