// Qualification-confirmation vocabulary of the terminal: identity methods, the validity codes and
// the qualification fields of qualification-domain.md §4.2–4.3, as returned by the qualification
// service (sim/qualification/README.md) and written to result files (terminal/result_file/).
//
// Every qualification field is kept as the exact string received (leading zeros and spaces of
// insurer numbers, symbols and numbers are significant: §4.3 "keep leading zeros/spaces").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "terminal/identity_method.h"

namespace uketsuke::terminal {

// QualificationValidity (資格有効性), §4.2; the values are the wire codes.
enum class QualificationValidity {
    kValid = 1,                        // 有効
    kInvalid = 2,                      // 無効
    kInvalidNewQualification = 3,      // 無効(新しい資格あり)
    kNotFound = 4,                     // 該当資格なし
    kMultipleMatches = 5,              // 複数該当
    kValidUnregisteredMedicalAid = 6,  // 有効(未登録, 医療扶助)
};

// State of the auth certificate as judged by the service (§3 "Expired 利用者証明用 certificate").
enum class CertificateState {
    kValid,
    kRenewalDue,              // expires within 3 months: show the renewal notice
    kGraceQualificationOnly,  // expired, within grace: qualification only, no 診療/薬剤 info
};

// 高齢受給者証 (ElderlyRecipientCertificateInfo).
struct ElderlyRecipientInfo {
    std::string certificateDate;
    std::string validStartDate;
    std::string validEndDate;
    std::string contributionRatio;
};

// 限度額適用認定証 (LimitApplicationCertificateRelatedInfo).
struct LimitApplicationInfo {
    std::string classification;
    std::string classificationFlag;  // 適用区分, e.g. "A03"
    std::string certificateDate;
    std::string validStartDate;
    std::string validEndDate;
    std::string longTermDate;
};

// 特定疾病療養受療証 (SpecificDiseasesCertificateInfo).
struct SpecificDiseaseInfo {
    std::string diseaseCategory;
    std::string certificateDate;
    std::string validStartDate;
    std::string validEndDate;
    std::string selfPay;
};

// 公費 / 医療扶助 ticket (PublicExpenseResultList/MedicalTicketInfo): its many elements are kept
// as (element name, value) pairs in the order received.
using ElementList = std::vector<std::pair<std::string, std::string>>;

// ResultOfQualificationConfirmation. Empty strings mean "element absent".
struct QualificationRecord {
    std::string insuredCardClassification;
    std::string insurerNumber;  // 8 characters, left space-padded
    std::string insuredCardSymbol;
    std::string insuredIdentificationNumber;
    std::string insuredBranchNumber;
    std::string personalFamilyClassification;
    std::string insuredName;
    std::string name;
    std::string nameOfOther;
    std::string nameKana;
    std::string nameOfOtherKana;
    std::string sex1;
    std::string sex2;
    std::string birthdate;
    std::string address;
    std::string postNumber;
    std::string qualificationDate;
    std::string disqualificationDate;
    std::string insuredCertificateIssuanceDate;
    std::string insuredCardValidDate;
    std::string insuredCardExpirationDate;
    std::string insuredPartialContributionRatio;
    std::string preschoolClassification;
    std::string reasonOfLoss;
    std::string insurerName;
    std::optional<ElderlyRecipientInfo> elderlyRecipient;
    std::string limitApplicationConsFlg;
    std::string limitApplicationConsTime;
    std::optional<LimitApplicationInfo> limitApplication;
    std::string specificDiseasesConsFlg;
    std::string specificDiseasesConsTime;
    std::vector<SpecificDiseaseInfo> specificDiseases;
    std::vector<ElementList> medicalTickets;
    std::string referenceNumber;  // the clinic's 照会番号, when registered
};

// Element name <-> member tables, in the element order of the result XML. Shared by the JSON
// reader (qualification client) and the XML writer (result file) so the two cannot drift apart.
template <typename T>
struct FieldSpec {
    const char* element;
    std::string T::*member;
};

inline constexpr FieldSpec<QualificationRecord> kRecordHeadFields[] = {
    {"InsuredCardClassification", &QualificationRecord::insuredCardClassification},
    {"InsurerNumber", &QualificationRecord::insurerNumber},
    {"InsuredCardSymbol", &QualificationRecord::insuredCardSymbol},
    {"InsuredIdentificationNumber", &QualificationRecord::insuredIdentificationNumber},
    {"InsuredBranchNumber", &QualificationRecord::insuredBranchNumber},
    {"PersonalFamilyClassification", &QualificationRecord::personalFamilyClassification},
    {"InsuredName", &QualificationRecord::insuredName},
    {"Name", &QualificationRecord::name},
    {"NameOfOther", &QualificationRecord::nameOfOther},
    {"NameKana", &QualificationRecord::nameKana},
    {"NameOfOtherKana", &QualificationRecord::nameOfOtherKana},
    {"Sex1", &QualificationRecord::sex1},
    {"Sex2", &QualificationRecord::sex2},
    {"Birthdate", &QualificationRecord::birthdate},
    {"Address", &QualificationRecord::address},
    {"PostNumber", &QualificationRecord::postNumber},
    {"QualificationDate", &QualificationRecord::qualificationDate},
    {"DisqualificationDate", &QualificationRecord::disqualificationDate},
    {"InsuredCertificateIssuanceDate", &QualificationRecord::insuredCertificateIssuanceDate},
    {"InsuredCardValidDate", &QualificationRecord::insuredCardValidDate},
    {"InsuredCardExpirationDate", &QualificationRecord::insuredCardExpirationDate},
    {"InsuredPartialContributionRatio", &QualificationRecord::insuredPartialContributionRatio},
    {"PreschoolClassification", &QualificationRecord::preschoolClassification},
    {"ReasonOfLoss", &QualificationRecord::reasonOfLoss},
    {"InsurerName", &QualificationRecord::insurerName},
};
inline constexpr FieldSpec<QualificationRecord> kLimitConsentFields[] = {
    {"LimitApplicationCertificateRelatedConsFlg", &QualificationRecord::limitApplicationConsFlg},
    {"LimitApplicationCertificateRelatedConsTime", &QualificationRecord::limitApplicationConsTime},
};
inline constexpr FieldSpec<QualificationRecord> kSpecificDiseaseConsentFields[] = {
    {"SpecificDiseasesCertificateRelatedConsFlg", &QualificationRecord::specificDiseasesConsFlg},
    {"SpecificDiseasesCertificateRelatedConsTime", &QualificationRecord::specificDiseasesConsTime},
};
inline constexpr FieldSpec<ElderlyRecipientInfo> kElderlyFields[] = {
    {"ElderlyRecipientCertificateDate", &ElderlyRecipientInfo::certificateDate},
    {"ElderlyRecipientValidStartDate", &ElderlyRecipientInfo::validStartDate},
    {"ElderlyRecipientValidEndDate", &ElderlyRecipientInfo::validEndDate},
    {"ElderlyRecipientContributionRatio", &ElderlyRecipientInfo::contributionRatio},
};
inline constexpr FieldSpec<LimitApplicationInfo> kLimitFields[] = {
    {"LimitApplicationCertificateClassification", &LimitApplicationInfo::classification},
    {"LimitApplicationCertificateClassificationFlag", &LimitApplicationInfo::classificationFlag},
    {"LimitApplicationCertificateDate", &LimitApplicationInfo::certificateDate},
    {"LimitApplicationCertificateValidStartDate", &LimitApplicationInfo::validStartDate},
    {"LimitApplicationCertificateValidEndDate", &LimitApplicationInfo::validEndDate},
    {"LimitApplicationCertificateLongTermDate", &LimitApplicationInfo::longTermDate},
};
inline constexpr FieldSpec<SpecificDiseaseInfo> kSpecificDiseaseFields[] = {
    {"SpecificDiseasesDiseaseCategory", &SpecificDiseaseInfo::diseaseCategory},
    {"SpecificDiseasesCertificateDate", &SpecificDiseaseInfo::certificateDate},
    {"SpecificDiseasesValidStartDate", &SpecificDiseaseInfo::validStartDate},
    {"SpecificDiseasesValidEndDate", &SpecificDiseaseInfo::validEndDate},
    {"SpecificDiseasesSelfPay", &SpecificDiseaseInfo::selfPay},
};
inline constexpr const char* kElderlyGroup = "ElderlyRecipientCertificateInfo";
inline constexpr const char* kLimitGroup = "LimitApplicationCertificateRelatedInfo";
inline constexpr const char* kSpecificDiseaseList = "SpecificDiseasesCertificateList";
inline constexpr const char* kSpecificDiseaseItem = "SpecificDiseasesCertificateInfo";
inline constexpr const char* kPublicExpenseList = "PublicExpenseResultList";
inline constexpr const char* kPublicExpenseItem = "MedicalTicketInfo";
inline constexpr const char* kReferenceNumber = "ReferenceNumber";

struct Challenge {
    std::string base64;  // as issued; sent back unchanged
    std::vector<unsigned char> bytes;
    int expiresInS = 0;
};

// The outcome of one confirmation (MessageHeader + MessageBody of §4.2).
struct QualificationResult {
    std::string segmentOfResult;         // 1 正常 / 2 処理中 / 9 異常
    std::string processingResultStatus;  // 1 正常 / 2 エラー
    std::string processingResultCode;
    std::string processingResultMessage;
    std::string processExecutionTime;           // yyyyMMddHHmmss (JST)
    std::string qualificationConfirmationDate;  // yyyyMMdd (JST)
    std::string medicalInstitutionCode;
    QualificationValidity validity = QualificationValidity::kNotFound;
    IdentityMethod method = IdentityMethod::kPin;
    CertificateState certificateState = CertificateState::kValid;
    bool qualificationOnly = false;   // grace period: no 診療/薬剤 information may be offered
    std::string certificateNotAfter;  // RFC 3339 UTC
    int matchCount = 0;
    std::vector<QualificationRecord> records;  // one record, or none for 4 and 5
};

}  // namespace uketsuke::terminal
