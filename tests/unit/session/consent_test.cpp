// Consent as data (terminal/session/consent.h): the shipped catalog loads and is complete in both
// screen languages; malformed catalogs are refused with a reason; the record of the patient's
// answers (log JSON and result-file entries) follows the choices, the grace-period rule and the
// time of the answer.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "terminal/session/consent.h"

namespace {

using nlohmann::json;
using uketsuke::terminal::ConsentCatalog;
using uketsuke::terminal::ConsentChoices;
using uketsuke::terminal::recordConsent;
namespace fs = std::filesystem;

const fs::path kShipped = fs::path(UKETSUKE_SOURCE_DIR) / "terminal" / "data" / "consent.json";

json minimalCatalog() {
    return {{"version", "t1"},
            {"comprehensive", {{"id", "comprehensive"}, {"label", "包括同意"}}},
            {"items",
             {{{"id", "medical-treatment"},
               {"label", "診療・薬剤・手術等の情報"},
               {"label_en", "Treatment information"},
               {"element_prefix", "MedicalTreatmentInfo"},
               {"information_sharing", true}},
              {{"id", "specific-diseases"},
               {"label", "特定疾病療養受療証の情報"},
               {"element_prefix", "SpecificDiseasesCertificateRelated"},
               {"information_sharing", false}}}}};
}

TEST(ConsentCatalog, ShippedCatalogLoadsWithBothLanguages) {
    auto catalog = ConsentCatalog::load(kShipped);
    ASSERT_TRUE(catalog.ok()) << catalog.error();
    EXPECT_FALSE(catalog->version.empty());
    EXPECT_FALSE(catalog->comprehensiveLabel.empty());
    EXPECT_FALSE(catalog->comprehensiveLabelEn.empty());
    ASSERT_GE(catalog->items.size(), 2u);
    std::set<std::string> prefixes;
    for (const auto& item : catalog->items) {
        EXPECT_FALSE(item.label.empty()) << item.id;
        EXPECT_FALSE(item.labelEn.empty()) << item.id << " has no English label";
        EXPECT_TRUE(prefixes.insert(item.elementPrefix).second) << item.elementPrefix;
    }
}

TEST(ConsentCatalog, ParsesLabelsAndFlags) {
    auto catalog = ConsentCatalog::fromJson(minimalCatalog());
    ASSERT_TRUE(catalog.ok()) << catalog.error();
    EXPECT_EQ(catalog->version, "t1");
    EXPECT_EQ(catalog->comprehensiveLabel, "包括同意");
    EXPECT_TRUE(catalog->comprehensiveLabelEn.empty());
    ASSERT_EQ(catalog->items.size(), 2u);
    EXPECT_EQ(catalog->items[0].labelEn, "Treatment information");
    EXPECT_TRUE(catalog->items[0].informationSharing);
    EXPECT_TRUE(catalog->items[1].labelEn.empty());
    EXPECT_FALSE(catalog->items[1].informationSharing);
}

TEST(ConsentCatalog, RefusesMalformedCatalogs) {
    struct Case {
        const char* what;
        json doc;
        const char* reason;
    };
    auto with = [](auto change) {
        json doc = minimalCatalog();
        change(doc);
        return doc;
    };
    const Case cases[] = {
        {"empty version", with([](json& d) { d["version"] = ""; }), "empty version"},
        {"no version", with([](json& d) { d.erase("version"); }), "consent file"},
        {"no items", with([](json& d) { d["items"] = json::array(); }), "no items"},
        {"duplicate id", with([](json& d) { d["items"][1]["id"] = "medical-treatment"; }),
         "duplicate item"},
        {"bad id", with([](json& d) { d["items"][0]["id"] = "Medical Treatment"; }),
         "invalid item id"},
        {"bad prefix", with([](json& d) { d["items"][0]["element_prefix"] = "Medical<Info>"; }),
         "invalid element prefix"},
        {"no prefix", with([](json& d) { d["items"][0].erase("element_prefix"); }), "consent file"},
        {"items not a list", with([](json& d) { d["items"] = 3; }), "consent file"},
    };
    for (const auto& c : cases) {
        auto catalog = ConsentCatalog::fromJson(c.doc);
        ASSERT_FALSE(catalog.ok()) << c.what;
        EXPECT_NE(catalog.error().find(c.reason), std::string::npos)
            << c.what << ": " << catalog.error();
    }
}

TEST(ConsentCatalog, LoadReportsMissingAndInvalidFiles) {
    const fs::path dir =
        fs::temp_directory_path() / ("uketsuke-consent-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto missing = ConsentCatalog::load(dir / "absent.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
    std::ofstream(dir / "broken.json") << "{\"version\": ";
    auto broken = ConsentCatalog::load(dir / "broken.json");
    ASSERT_FALSE(broken.ok());
    EXPECT_NE(broken.error().find("not valid JSON"), std::string::npos);
    fs::remove_all(dir);
}

class ConsentRecordTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto c = ConsentCatalog::fromJson(minimalCatalog());
        ASSERT_TRUE(c.ok());
        catalog_ = c.value();
    }
    ConsentCatalog catalog_;
    // 2025-03-01 00:15:02.345 UTC = 09:15:02 JST.
    const std::chrono::system_clock::time_point at_ =
        std::chrono::sys_days{std::chrono::year{2025} / 3 / 1} + std::chrono::minutes(15) +
        std::chrono::milliseconds(2345);
};

TEST_F(ConsentRecordTest, ComprehensiveAgreesToEveryItem) {
    auto r = recordConsent(catalog_, ConsentChoices{true, {}}, false, at_);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->answers.size(), 2u);
    for (const auto& a : r->answers)
        EXPECT_TRUE(a.agreed) << a.id;
    const json log = r->toLogJson();
    EXPECT_EQ(log["version"], "t1");
    EXPECT_EQ(log["items"][0]["at"], "2025-03-01T00:15:02.345Z");
    const auto entries = r->toResultEntries(catalog_.items);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].elementPrefix, "MedicalTreatmentInfo");
    EXPECT_EQ(entries[0].flag, "1");
    EXPECT_EQ(entries[0].consTime, "20250301091502");
}

TEST_F(ConsentRecordTest, PerItemChoicesAndUnansweredItemsCountAsRefused) {
    auto r =
        recordConsent(catalog_, ConsentChoices{false, {{"specific-diseases", true}}}, false, at_);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->answers.size(), 2u);
    EXPECT_EQ(r->answers[0].id, "medical-treatment");
    EXPECT_FALSE(r->answers[0].agreed);
    EXPECT_TRUE(r->answers[1].agreed);
    const auto entries = r->toResultEntries(catalog_.items);
    EXPECT_EQ(entries[0].flag, "0");
    EXPECT_EQ(entries[1].flag, "1");
}

TEST_F(ConsentRecordTest, GracePeriodAsksOnlyItemsWithoutInformationSharing) {
    auto r = recordConsent(catalog_, ConsentChoices{true, {}}, true, at_);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->qualificationOnly);
    ASSERT_EQ(r->answers.size(), 1u);
    EXPECT_EQ(r->answers[0].id, "specific-diseases");
}

TEST_F(ConsentRecordTest, UnknownItemIsAnError) {
    auto r = recordConsent(catalog_, ConsentChoices{false, {{"organ-donation", true}}}, false, at_);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find("organ-donation"), std::string::npos);
}

}  // namespace
