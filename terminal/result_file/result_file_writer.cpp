// Result XML rendering (pugixml) and publication (qualification-domain.md §4.1–4.3).
#include "terminal/result_file/result_file_writer.h"

#include <pugixml.hpp>

#include <sstream>

#include "terminal/result_file/atomic_file.h"

namespace uketsuke::terminal {
namespace {

constexpr const char* kReferenceClassificationCard = "1";  // マイナンバーカード
constexpr const char* kCharacterCodeUtf8 = "0";

ResultFileError invalid(std::string detail) {
    ResultFileError e;
    e.code = ResultFileErrorCode::kInvalidInput;
    e.detail = std::move(detail);
    return e;
}

bool allDigits(const std::string& s, std::size_t n) {
    if (s.size() != n)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// XML 1.0 cannot carry C0 controls other than tab/newline/CR; no qualification field needs them.
bool xmlSafe(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

bool isElementName(const std::string& s) {
    if (s.empty() || s.size() > 64 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    return true;
}

class XmlBuilder {
  public:
    // Element with text; the text is written verbatim (leading zeros and spaces preserved).
    void element(pugi::xml_node parent, const char* name, const std::string& value) {
        if (!xmlSafe(value))
            bad_ = std::string("control character in ") + name;
        parent.append_child(name).append_child(pugi::node_pcdata).set_value(value.c_str());
    }
    void optional(pugi::xml_node parent, const char* name, const std::string& value) {
        if (!value.empty())
            element(parent, name, value);
    }
    template <typename T, std::size_t N>
    void fields(pugi::xml_node parent, const FieldSpec<T> (&table)[N], const T& src) {
        for (const auto& f : table)
            optional(parent, f.element, src.*(f.member));
    }
    const std::string& bad() const { return bad_; }

  private:
    std::string bad_;
};

void writeRecord(XmlBuilder& x, pugi::xml_node list, const QualificationRecord& r,
                 const std::vector<ConsentEntry>& consents) {
    pugi::xml_node rec = list.append_child("ResultOfQualificationConfirmation");
    x.fields(rec, kRecordHeadFields, r);
    if (r.elderlyRecipient)
        x.fields(rec.append_child(kElderlyGroup), kElderlyFields, *r.elderlyRecipient);
    x.fields(rec, kLimitConsentFields, r);
    if (r.limitApplication)
        x.fields(rec.append_child(kLimitGroup), kLimitFields, *r.limitApplication);
    x.fields(rec, kSpecificDiseaseConsentFields, r);
    if (!r.specificDiseases.empty()) {
        pugi::xml_node l = rec.append_child(kSpecificDiseaseList);
        for (const auto& d : r.specificDiseases)
            x.fields(l.append_child(kSpecificDiseaseItem), kSpecificDiseaseFields, d);
    }
    if (!r.medicalTickets.empty()) {
        pugi::xml_node l = rec.append_child(kPublicExpenseList);
        for (const auto& ticket : r.medicalTickets) {
            pugi::xml_node t = l.append_child(kPublicExpenseItem);
            for (const auto& [name, value] : ticket)
                x.optional(t, name.c_str(), value);
        }
    }
    for (const auto& c : consents) {
        x.element(rec, (c.elementPrefix + "ConsFlg").c_str(), c.flag);
        x.optional(rec, (c.elementPrefix + "ConsTime").c_str(), c.consTime);
        x.optional(rec, (c.elementPrefix + "AvailableTime").c_str(), c.availableTime);
    }
    x.optional(rec, kReferenceNumber, r.referenceNumber);
}

std::string jstTimestamp(std::time_t utc) {
    const std::time_t local = utc + std::time_t{9} * 3600;  // JST has no daylight saving
    struct tm tm {};
    gmtime_r(&local, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    return buf;
}

}  // namespace

Result<std::string, ResultFileError> renderResultXml(const ResultFileInput& input) {
    const QualificationResult& q = input.result;
    if (!allDigits(q.medicalInstitutionCode, 10))
        return fail(invalid("MedicalInstitutionCode must be 10 digits"));
    for (const auto& c : input.consents)
        if (!isElementName(c.elementPrefix) || c.flag.empty())
            return fail(invalid("consent entry needs an element prefix and a flag"));
    for (const auto& r : q.records)
        for (const auto& ticket : r.medicalTickets)
            for (const auto& field : ticket)
                if (!isElementName(field.first))
                    return fail(invalid("medical ticket element name"));

    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    decl.append_attribute("standalone") = "no";
    pugi::xml_node msg = doc.append_child("XmlMsg");

    XmlBuilder x;
    pugi::xml_node header = msg.append_child("MessageHeader");
    x.element(header, "ProcessExecutionTime", q.processExecutionTime);
    x.element(header, "QualificationConfirmationDate", q.qualificationConfirmationDate);
    x.element(header, "MedicalInstitutionCode", q.medicalInstitutionCode);
    x.optional(header, "ArbitraryFileIdentifier", input.arbitraryFileIdentifier);
    x.element(header, "ReferenceClassification", kReferenceClassificationCard);
    x.element(header, "SegmentOfResult", q.segmentOfResult);
    x.optional(header, "ErrorCode", input.errorCode);
    x.optional(header, "ErrorMessage", input.errorMessage);
    x.element(header, "CharacterCodeIdentifier", kCharacterCodeUtf8);

    pugi::xml_node body = msg.append_child("MessageBody");
    x.element(body, "ProcessingResultStatus", q.processingResultStatus);
    x.optional(body, "ProcessingResultCode", q.processingResultCode);
    x.optional(body, "ProcessingResultMessage", q.processingResultMessage);
    x.element(body, "QualificationValidity", std::to_string(static_cast<int>(q.validity)));
    x.optional(body, "PrescriptionIssueSelect", input.prescriptionIssueSelect);
    if (!q.records.empty()) {
        pugi::xml_node list = body.append_child("ResultList");
        for (const auto& r : q.records)
            writeRecord(x, list, r, input.consents);
    }
    if (!x.bad().empty())
        return fail(invalid(x.bad()));

    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

Result<std::string, ResultFileError> resultFileName(const std::string& pattern,
                                                    const std::string& institutionCode,
                                                    const std::string& time, int attempt) {
    if (!allDigits(institutionCode, 10))
        return fail(invalid("institution code"));
    if (!allDigits(time, 14))
        return fail(invalid("time must be yyyyMMddHHmmss"));
    // Built by appending: g++ 12 reports false -Wrestrict errors on std::string::replace and
    // on "literal" + std::string in this function.
    std::string name;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.compare(i, 13, "{institution}") == 0) {
            name += institutionCode;
            i += 13;
        } else if (pattern.compare(i, 6, "{time}") == 0) {
            name += time;
            i += 6;
        } else {
            name += pattern[i++];
        }
    }
    if (name.empty() || name.find('/') != std::string::npos || name[0] == '.' ||
        name.find('{') != std::string::npos)
        return fail(invalid("file name pattern " + pattern));
    if (attempt > 0) {
        const std::size_t dot = name.rfind('.');
        std::string suffix(1, '_');
        suffix += std::to_string(attempt + 1);
        name = dot == std::string::npos ? name + suffix
                                        : name.substr(0, dot) + suffix + name.substr(dot);
    }
    return name;
}

Result<std::filesystem::path, ResultFileError> writeResultFile(const ResultFileConfig& config,
                                                               const ResultFileInput& input,
                                                               std::time_t now) {
    auto xml = renderResultXml(input);
    if (!xml)
        return xml.failure();
    const std::string& exec = input.result.processExecutionTime;
    const std::string time = exec.size() == 14 ? exec : jstTimestamp(now);
    auto first = resultFileName(config.namePattern, input.result.medicalInstitutionCode, time, 0);
    if (!first)
        return first.failure();
    const auto names = [&](int attempt) -> std::string {
        if (attempt >= kMaxNameVariants)
            return {};
        auto n =
            resultFileName(config.namePattern, input.result.medicalInstitutionCode, time, attempt);
        return n ? n.value() : std::string();
    };
    return publishAtomically(config.resFolder, names, xml.value());
}

Result<StagedResultFile, ResultFileError> stageResultFile(const ResultFileConfig& config,
                                                          const ResultFileInput& input,
                                                          std::time_t now,
                                                          std::string_view sessionId) {
    auto xml = renderResultXml(input);
    if (!xml)
        return xml.failure();
    const std::string& exec = input.result.processExecutionTime;
    const std::string time = exec.size() == 14 ? exec : jstTimestamp(now);
    auto name = resultFileName(config.namePattern, input.result.medicalInstitutionCode, time, 0);
    if (!name)
        return name.failure();
    auto staged = stageFile(config.resFolder, stagedTempName(sessionId), xml.value());
    if (!staged)
        return staged.failure();
    return StagedResultFile{std::move(staged).takeValue(), name.value()};
}

Result<std::filesystem::path, ResultFileError> publishResultFile(StagedResultFile& staged) {
    auto published = publishStaged(staged.file.folder(), staged.file.tempName(),
                                   nameVariants(staged.baseName, kMaxNameVariants));
    if (published)
        staged.file = StagedFile();  // the lock is released; nothing left to discard
    return published;
}

}  // namespace uketsuke::terminal
