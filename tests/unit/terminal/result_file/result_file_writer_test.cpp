// Result XML content (qualification-domain.md §4.1–4.3): rendered with pugixml and parsed back.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "terminal/result_file/result_file_writer.h"

namespace uketsuke::testing {
namespace {

using namespace uketsuke::terminal;

ResultFileInput sampleInput() {
    ResultFileInput in;
    QualificationResult& q = in.result;
    q.segmentOfResult = "1";
    q.processingResultStatus = "1";
    q.processExecutionTime = "20250410093015";
    q.qualificationConfirmationDate = "20250410";
    q.medicalInstitutionCode = "1312345678";
    q.validity = QualificationValidity::kValid;
    QualificationRecord r;
    r.insuredCardClassification = "01";
    r.insurerNumber = "  138057";
    r.insuredCardSymbol = "千代田";
    r.insuredIdentificationNumber = "00456789";
    r.insuredBranchNumber = "01";
    r.name = "試験 花子";
    r.nameKana = "ｼｹﾝ ﾊﾅｺ";
    r.sex1 = "2";
    r.birthdate = "19621103";
    r.insuredPartialContributionRatio = "030";
    r.insurerName = "千代田区";
    r.elderlyRecipient = ElderlyRecipientInfo{"20220701", "20220801", "20270731", "020"};
    r.limitApplication = LimitApplicationInfo{"01", "A03", "20250101", "20250101", "20251231", ""};
    r.specificDiseases.push_back({"01", "20240401", "20240401", "20260331", "10000"});
    r.referenceNumber = "0000123456";
    q.records.push_back(r);
    in.arbitraryFileIdentifier = "session-42";
    in.prescriptionIssueSelect = "1";
    in.consents = {{"PharmacistsInfo", "1", "20250410093010", "20250510235959"},
                   {"SpecificHealthCheckupsInfo", "0", "20250410093010", ""}};
    return in;
}

std::string text(const pugi::xml_document& doc, const char* xpath) {
    return doc.select_node(xpath).node().text().get();
}

// Header and body fields are where the reference puts them, with the fixed codes.
TEST(ResultFileWriterTest, HeaderAndBodyFollowReferenceLayout) {
    // Arrange
    const ResultFileInput in = sampleInput();
    // Act
    auto xml = renderResultXml(in);
    // Assert
    ASSERT_TRUE(xml) << xml.error().message();
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.value().c_str()));
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/ProcessExecutionTime"), "20250410093015");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/QualificationConfirmationDate"), "20250410");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/MedicalInstitutionCode"), "1312345678");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/ArbitraryFileIdentifier"), "session-42");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/ReferenceClassification"), "1");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/SegmentOfResult"), "1");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageHeader/CharacterCodeIdentifier"), "0");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageBody/ProcessingResultStatus"), "1");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageBody/QualificationValidity"), "1");
    EXPECT_EQ(text(doc, "/XmlMsg/MessageBody/PrescriptionIssueSelect"), "1");
    EXPECT_NE(xml.value().find("encoding=\"UTF-8\""), std::string::npos);
}

// Qualification fields keep leading zeros and spaces, and the Japanese text, byte for byte.
TEST(ResultFileWriterTest, InsuranceFieldsKeepLeadingZerosAndSpaces) {
    // Arrange
    const ResultFileInput in = sampleInput();
    // Act
    auto xml = renderResultXml(in);
    // Assert
    ASSERT_TRUE(xml);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.value().c_str(), pugi::parse_default | pugi::parse_ws_pcdata));
    const char* rec = "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/";
    EXPECT_EQ(text(doc, (std::string(rec) + "InsurerNumber").c_str()), "  138057");
    EXPECT_EQ(text(doc, (std::string(rec) + "InsuredIdentificationNumber").c_str()), "00456789");
    EXPECT_EQ(text(doc, (std::string(rec) + "InsuredPartialContributionRatio").c_str()), "030");
    EXPECT_EQ(text(doc, (std::string(rec) + "InsuredCardSymbol").c_str()), "千代田");
    EXPECT_EQ(text(doc, (std::string(rec) + "NameKana").c_str()), "ｼｹﾝ ﾊﾅｺ");
    EXPECT_EQ(text(doc, (std::string(rec) + "LimitApplicationCertificateRelatedInfo/"
                                            "LimitApplicationCertificateClassificationFlag")
                            .c_str()),
              "A03");
    EXPECT_EQ(text(doc, (std::string(rec) +
                         "SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo/"
                         "SpecificDiseasesSelfPay")
                            .c_str()),
              "10000");
    EXPECT_EQ(text(doc, (std::string(rec) + "ReferenceNumber").c_str()), "0000123456");
}

// Consent flags, times and availability are written per category, in the given order.
TEST(ResultFileWriterTest, ConsentsAreWrittenAsData) {
    // Arrange
    const ResultFileInput in = sampleInput();
    // Act
    auto xml = renderResultXml(in);
    // Assert
    ASSERT_TRUE(xml);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.value().c_str()));
    const std::string rec = "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/";
    EXPECT_EQ(text(doc, (rec + "PharmacistsInfoConsFlg").c_str()), "1");
    EXPECT_EQ(text(doc, (rec + "PharmacistsInfoConsTime").c_str()), "20250410093010");
    EXPECT_EQ(text(doc, (rec + "PharmacistsInfoAvailableTime").c_str()), "20250510235959");
    EXPECT_EQ(text(doc, (rec + "SpecificHealthCheckupsInfoConsFlg").c_str()), "0");
    EXPECT_FALSE(doc.select_node((rec + "SpecificHealthCheckupsInfoAvailableTime").c_str()));
}

// 複数該当: validity 5 and no ResultList at all.
TEST(ResultFileWriterTest, MultipleMatchesHaveNoResultList) {
    // Arrange
    ResultFileInput in = sampleInput();
    in.result.validity = QualificationValidity::kMultipleMatches;
    in.result.records.clear();
    // Act
    auto xml = renderResultXml(in);
    // Assert
    ASSERT_TRUE(xml);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xml.value().c_str()));
    EXPECT_EQ(text(doc, "/XmlMsg/MessageBody/QualificationValidity"), "5");
    EXPECT_FALSE(doc.select_node("/XmlMsg/MessageBody/ResultList"));
}

// Fields that would make an unsafe file name or invalid XML are refused.
TEST(ResultFileWriterTest, UnsafeInputIsRefused) {
    // Arrange
    ResultFileInput badCode = sampleInput();
    badCode.result.medicalInstitutionCode = "../../etc";
    ResultFileInput control = sampleInput();
    control.result.records[0].name = std::string("a\x01");
    ResultFileInput badConsent = sampleInput();
    badConsent.consents.push_back({"Bad<Name", "1", "", ""});
    // Act / Assert
    for (const auto* in : {&badCode, &control, &badConsent}) {
        auto xml = renderResultXml(*in);
        ASSERT_FALSE(xml);
        EXPECT_EQ(xml.error().code, ResultFileErrorCode::kInvalidInput);
    }
}

// The file name follows the configurable face-result pattern, with suffixes on collision.
TEST(ResultFileNameTest, PatternAndCollisionSuffix) {
    // Act
    auto first = resultFileName(kFaceResultNamePattern, "1312345678", "20250410093015", 0);
    auto second = resultFileName(kFaceResultNamePattern, "1312345678", "20250410093015", 1);
    auto custom = resultFileName("res_{time}_{institution}.xml", "1312345678", "20250410093015", 0);
    auto escape = resultFileName("../{time}.xml", "1312345678", "20250410093015", 0);
    // Assert
    ASSERT_TRUE(first && second && custom);
    EXPECT_EQ(first.value(), "OQSsiquc01res_face_1312345678_20250410093015.xml");
    EXPECT_EQ(second.value(), "OQSsiquc01res_face_1312345678_20250410093015_2.xml");
    EXPECT_EQ(custom.value(), "res_20250410093015_1312345678.xml");
    EXPECT_FALSE(escape);
}

}  // namespace
}  // namespace uketsuke::testing
