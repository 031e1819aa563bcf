// VisionError, Guidance and VerificationOutcome tables: every value has a distinct name.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "vision/face_verifier.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {
namespace {

// Every VisionError has a table entry with its own non-empty name and description.
TEST(VisionErrorTable, EveryErrorHasDistinctNameAndDescription) {
    // Arrange
    std::set<std::string> names;
    // Act
    for (int c = code(VisionError::kModelMissing); c <= code(VisionError::kInternal); ++c) {
        const auto& info = visionErrorInfo(static_cast<VisionError>(c));
        // Assert
        EXPECT_EQ(code(info.code), c);
        EXPECT_FALSE(info.description.empty());
        EXPECT_TRUE(names.insert(std::string(info.name)).second) << info.name;
    }
    EXPECT_EQ(names.size(), 15u);
}

// Every Guidance has its own name, used by qml/ to choose the patient's text.
TEST(GuidanceTable, EveryGuidanceHasDistinctName) {
    // Arrange
    std::set<std::string> names;
    // Act
    for (int g = 0; g <= static_cast<int>(Guidance::kHoldStill); ++g)
        names.insert(std::string(guidanceInfo(static_cast<Guidance>(g)).name));
    // Assert
    EXPECT_EQ(names.size(), 10u);
    EXPECT_EQ(guidanceInfo(Guidance::kRemoveMask).name, "remove_mask");
}

// Every verification outcome has its own name.
TEST(VerificationOutcomeTable, EveryOutcomeHasDistinctName) {
    // Arrange
    std::set<std::string> names;
    // Act
    for (int o = 0; o <= static_cast<int>(VerificationOutcome::kLivenessUnsure); ++o)
        names.insert(
            std::string(verificationOutcomeInfo(static_cast<VerificationOutcome>(o)).name));
    // Assert
    EXPECT_EQ(names.size(), 10u);
}

}  // namespace
}  // namespace uketsuke::vision
