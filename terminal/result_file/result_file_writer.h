// Result XML of a completed confirmation (qualification-domain.md §4.1–4.2): XmlMsg/MessageHeader
// + MessageBody with ResultList/ResultOfQualificationConfirmation and the consent flags, UTF-8
// (CharacterCodeIdentifier 0), ReferenceClassification 1 (マイナンバーカード), published
// atomically into the configured `res` folder under a collision-safe name.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "terminal/qualification/qualification_types.h"
#include "terminal/result_file/atomic_file.h"
#include "terminal/result_file/result_file_error.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

// NAMED ASSUMPTION (qualification-domain.md §4.1, [S]/[U]): one integration writes face-reader
// results as `OQSsiquc01res_face_<機関コード>…_<yyyyMMddHHmmss>.xml`; the official name of the
// 連携アプリ's file was not confirmed. Placeholders: {institution} (10 digits), {time}
// (yyyyMMddHHmmss, JST). Configurable because a site's billing system may expect another name.
inline constexpr const char* kFaceResultNamePattern = "OQSsiquc01res_face_{institution}_{time}.xml";

// When the name is taken (two confirmations in one second), "_2", "_3", … up to this many are
// inserted before the extension; the complete file never replaces another.
inline constexpr int kMaxNameVariants = 99;

// One consent category as recorded in the session (consent items are data, §3 step 5–7). The XML
// elements are <prefix>ConsFlg, <prefix>ConsTime and <prefix>AvailableTime, e.g. prefix
// "PharmacistsInfo". Flags use code table OQSCD016: 0 同意なし, 1 同意あり, 2 期限切れ, 3 取得困難.
struct ConsentEntry {
    std::string elementPrefix;
    std::string flag;
    std::string consTime;       // yyyyMMddHHmmss
    std::string availableTime;  // yyyyMMddHHmmss, empty when not applicable
};

struct ResultFileInput {
    QualificationResult result;
    std::string arbitraryFileIdentifier;  // echoed for correlation (§4.2)
    std::string errorCode;                // MessageHeader ErrorCode, for SegmentOfResult 9
    std::string errorMessage;
    std::string prescriptionIssueSelect;  // "1" 電子 / "2" 紙, empty when not asked
    std::vector<ConsentEntry> consents;   // written into the (single) record
};

struct ResultFileConfig {
    std::filesystem::path resFolder;
    std::string namePattern = kFaceResultNamePattern;
};

// The XML text (UTF-8 with declaration). kInvalidInput when a field cannot be written safely.
Result<std::string, ResultFileError> renderResultXml(const ResultFileInput& input);

// The file name for attempt n (0: plain; n ≥ 1: "_<n+1>" before the extension).
Result<std::string, ResultFileError> resultFileName(const std::string& pattern,
                                                    const std::string& institutionCode,
                                                    const std::string& time, int attempt);

// Renders and publishes the file. The name's time is the result's ProcessExecutionTime, or `now`
// (JST) when the result has none. Returns the final path.
Result<std::filesystem::path, ResultFileError> writeResultFile(const ResultFileConfig& config,
                                                               const ResultFileInput& input,
                                                               std::time_t now);

// The same in two steps (issue 14): stageResultFile() renders the XML and writes it, fsynced, to
// the hidden temp file stagedTempName(sessionId) in the res folder; the caller records the
// session (log row + publication journal) and only then publishes it under the final name
// (`baseName` or a "_n" variant, nameVariants()).
struct StagedResultFile {
    StagedFile file;
    std::string baseName;
};
Result<StagedResultFile, ResultFileError> stageResultFile(const ResultFileConfig& config,
                                                          const ResultFileInput& input,
                                                          std::time_t now,
                                                          std::string_view sessionId);
Result<std::filesystem::path, ResultFileError> publishResultFile(StagedResultFile& staged);

}  // namespace uketsuke::terminal
