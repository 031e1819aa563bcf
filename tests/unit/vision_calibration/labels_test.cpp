// Tests of the calibration labels (docs/calibration/labels.tsv) against the dev-set folders.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "bench/calibration/calibration.h"

namespace uketsuke::calibration {
namespace {

namespace fs = std::filesystem;

fs::path labelsFile() {
    return fs::path(UKETSUKE_SOURCE_DIR) / "docs" / "calibration" / "labels.tsv";
}
fs::path facesDev() {
    return fs::path(UKETSUKE_SHARED_DIR) / "data" / "faces-dev";
}

// The repository's labels file parses, and every label states its basis.
TEST(CalibrationLabels, RepositoryLabelsParseWithABasis) {
    // Act
    auto labels = LabelTable::load(labelsFile());
    // Assert
    ASSERT_TRUE(labels.ok()) << labels.error();
    EXPECT_GT(labels->size(), 100u);
    const PersonLabel* label = labels->find("jp-celeb", "jp09");
    ASSERT_NE(label, nullptr);
    EXPECT_EQ(label->sex, Sex::kMale);
    EXPECT_FALSE(label->basis.empty());
}

// Every person folder of every dev set has a label, so no one silently drops out of the
// matched-impostor pairs.
TEST(CalibrationLabels, EveryDevSetFolderIsLabelled) {
    if (!fs::is_directory(facesDev())) {
        GTEST_SKIP() << facesDev() << " absent: the dev-set labels cannot be checked here";
    }
    // Arrange
    auto labels = LabelTable::load(labelsFile());
    ASSERT_TRUE(labels.ok()) << labels.error();
    // Act / Assert
    for (const auto& set : standardDevSets()) {
        for (const auto& entry : fs::directory_iterator(facesDev() / set.dir)) {
            if (!entry.is_directory())
                continue;
            const std::string folder = entry.path().filename().string();
            EXPECT_NE(labels->find(set.name, folder), nullptr) << set.name << "/" << folder;
        }
    }
}

// LFW's East-Asian folders are copies of lfw-ea's: both rows must agree.
TEST(CalibrationLabels, DuplicatedPeopleHaveTheSameLabelInBothSets) {
    auto labels = LabelTable::load(labelsFile());
    ASSERT_TRUE(labels.ok()) << labels.error();
    for (const char* folder : {"Chen_Shui-bian", "Li_Zhaoxing", "Wen_Jiabao", "Yoriko_Kawaguchi"}) {
        const PersonLabel* a = labels->find("lfw", folder);
        const PersonLabel* b = labels->find("lfw-ea", folder);
        ASSERT_NE(a, nullptr) << folder;
        ASSERT_NE(b, nullptr) << folder;
        EXPECT_EQ(a->sex, b->sex) << folder;
        EXPECT_EQ(a->ageYears, b->ageYears) << folder;
        EXPECT_EQ(a->population, b->population) << folder;
    }
}

// Matched impostors: same sex, ages within the gap, same population; unknowns never match.
TEST(CalibrationLabels, SimilarPeopleNeedKnownEqualSexAgeAndPopulation) {
    const PersonLabel a{"s", "a", Sex::kFemale, 25, "east-asian", "test"};
    PersonLabel b{"s", "b", Sex::kFemale, 35, "east-asian", "test"};
    EXPECT_TRUE(similarPeople(a, b, 10));
    b.ageYears = 36;
    EXPECT_FALSE(similarPeople(a, b, 10));
    b.ageYears = 30;
    b.sex = Sex::kMale;
    EXPECT_FALSE(similarPeople(a, b, 10));
    b.sex = Sex::kFemale;
    b.population = "white";
    EXPECT_FALSE(similarPeople(a, b, 10));
    const PersonLabel unknown{"s", "c", Sex::kUnknown, 25, "east-asian", "test"};
    EXPECT_FALSE(similarPeople(unknown, unknown, 10));
    const PersonLabel noAge{"s", "d", Sex::kFemale, std::nullopt, "east-asian", "test"};
    EXPECT_FALSE(similarPeople(a, noAge, 10));
}

// A malformed labels file is refused with the line number.
TEST(CalibrationLabels, MalformedLineIsReported) {
    const fs::path file = fs::temp_directory_path() / "uketsuke_bad_labels.tsv";
    {
        std::FILE* out = std::fopen(file.c_str(), "w");
        ASSERT_NE(out, nullptr);
        std::fputs("set\tfolder\tsex\tage_est\tpopulation\tbasis\nlfw\tX\tQ\t30\twhite\tb\n", out);
        std::fclose(out);
    }
    auto labels = LabelTable::load(file);
    fs::remove(file);
    ASSERT_FALSE(labels.ok());
    EXPECT_NE(labels.error().find(":2:"), std::string::npos) << labels.error();
}

}  // namespace
}  // namespace uketsuke::calibration
