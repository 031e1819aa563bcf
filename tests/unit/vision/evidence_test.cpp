// The fused multi-frame decision rule (vision/evidence.h) on hand-made distance series: no image,
// so every branch of the rule is pinned exactly.
#include <gtest/gtest.h>

#include "vision/evidence.h"

namespace uketsuke::vision {
namespace {

EvidenceConfig config() {
    return EvidenceConfig{.windowMs = 5000,
                          .bestFrames = 3,
                          .maxFusedDistance = 0.40,
                          .earlyAcceptDistance = 0.30,
                          .minFramesEarly = 3};
}

// The fused score is the mean of the three smallest distances, whatever their order.
TEST(Evidence, FusedScoreIsMeanOfBestThree) {
    // Arrange
    EvidenceAccumulator acc(config());
    // Act
    for (double d : {0.50, 0.20, 0.60, 0.30, 0.40})
        acc.addDistance(100, d);
    // Assert
    ASSERT_TRUE(acc.fused().has_value());
    EXPECT_NEAR(*acc.fused(), (0.20 + 0.30 + 0.40) / 3.0, 1e-12);
    EXPECT_EQ(acc.count(), 5);
}

// Bad frames early in the look never reject while the window is open; good ones later accept.
TEST(Evidence, NeverRejectsWhileWindowIsOpen) {
    // Arrange
    EvidenceAccumulator acc(config());
    // Act / Assert: three poor frames in the first 300 ms.
    acc.addDistance(1000, 0.55);
    acc.addDistance(1100, 0.52);
    acc.addDistance(1300, 0.58);
    EXPECT_EQ(acc.verdict(1300), EvidenceVerdict::kPending);
    EXPECT_EQ(acc.verdict(5999), EvidenceVerdict::kPending);
    // Three good frames 2 s later: the fused score drops far inside the threshold.
    acc.addDistance(3000, 0.25);
    acc.addDistance(3200, 0.28);
    EXPECT_EQ(acc.verdict(3200), EvidenceVerdict::kPending);  // best three: 0.25 0.28 0.52
    acc.addDistance(3400, 0.27);
    EXPECT_EQ(acc.verdict(3400), EvidenceVerdict::kAccept);
}

// Early acceptance needs minFramesEarly frames, even when one frame is far inside.
TEST(Evidence, EarlyAcceptNeedsEnoughFrames) {
    // Arrange
    EvidenceAccumulator acc(config());
    // Act
    acc.addDistance(0, 0.10);
    acc.addDistance(100, 0.12);
    // Assert
    EXPECT_EQ(acc.verdict(100), EvidenceVerdict::kPending);
}

// At the end of the window the fused score decides against maxFusedDistance.
TEST(Evidence, WindowEndDecidesOnFusedScore) {
    // Arrange
    EvidenceAccumulator accept(config()), reject(config());
    // Act
    for (double d : {0.36, 0.38, 0.39}) {
        accept.addDistance(200, d);
        reject.addDistance(200, d + 0.05);
    }
    // Assert: the window opened at 200 ms closes at 5200 ms.
    EXPECT_EQ(accept.verdict(5199), EvidenceVerdict::kPending);
    EXPECT_EQ(accept.verdict(5200), EvidenceVerdict::kAccept);
    EXPECT_EQ(reject.verdict(5200), EvidenceVerdict::kReject);
}

// The window opens at the first GOOD frame, not the first frame; no evidence is its own verdict.
TEST(Evidence, WindowOpensAtFirstGoodFrame) {
    // Arrange
    EvidenceAccumulator acc(config());
    // Act / Assert
    EXPECT_EQ(acc.verdict(9000), EvidenceVerdict::kPending);  // nothing good yet: no window
    acc.noteGoodFrame(9000);
    EXPECT_EQ(acc.verdict(13999), EvidenceVerdict::kPending);
    EXPECT_EQ(acc.verdict(14000), EvidenceVerdict::kNoEvidence);
    EXPECT_EQ(acc.windowStartMs(), 9000);
}

// The end of the stream closes the window early and decides on what was seen.
TEST(Evidence, StreamEndDecides) {
    // Arrange
    EvidenceAccumulator acc(config());
    acc.addDistance(0, 0.39);
    // Act / Assert
    EXPECT_EQ(acc.verdict(500), EvidenceVerdict::kPending);
    EXPECT_EQ(acc.verdict(500, /*streamEnded=*/true), EvidenceVerdict::kAccept);
}

}  // namespace
}  // namespace uketsuke::vision
