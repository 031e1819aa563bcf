// Tests of the calibration's error-rate arithmetic (bench/calibration/error_rates.h).
#include "bench/calibration/error_rates.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace uketsuke::calibration {
namespace {

// Impostor distances 0.300, 0.301, ... : n values spaced 0.001 apart from `start`.
std::vector<double> ladder(std::size_t n, double start) {
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i)
        values.push_back(start + 0.001 * static_cast<double>(i));
    return values;
}

// 3000 impostor pairs is the minimum for >= 3 errors at 0.1 % (the brief's rule), 300 at 1 %.
TEST(ErrorRates, MinimumPairsGiveThreeErrorsAtTheTargetFar) {
    EXPECT_EQ(minimumPairsForFar(0.001), 3000u);
    EXPECT_EQ(minimumPairsForFar(0.01), 300u);
    EXPECT_EQ(minimumPairsForFar(0.01, 1), 100u);
}

// The threshold at FAR 1 % of 1000 impostors accepts exactly the 10 smallest, none more.
TEST(ErrorRates, ThresholdAtFarAcceptsAtMostTheAllowedImpostors) {
    // Arrange: 1000 distances 0.3005, 0.3015, ... (never on a 0.001 grid point)
    const std::vector<double> impostors = ladder(1000, 0.3005);
    // Act
    const double threshold = thresholdAtFar(impostors, 0.01);
    // Assert: 10 accepted (0.3005..0.3095), the 11th (0.3105) rejected
    EXPECT_EQ(falseAccepts(impostors, threshold), 10u);
    EXPECT_NEAR(threshold, 0.310, 1e-9);
}

// A distance lying exactly on the rounding grid is not accepted by a threshold equal to it.
TEST(ErrorRates, ThresholdStaysBelowTheFirstDisallowedDistance) {
    const std::vector<double> impostors = {0.35, 0.40, 0.45, 0.50};
    const double threshold = thresholdAtFar(impostors, 0.0);
    EXPECT_LT(threshold, 0.35);
    EXPECT_EQ(falseAccepts(impostors, threshold), 0u);
}

// Accept is <= threshold and reject is > threshold, as vision::EmbeddingDistance::within.
TEST(ErrorRates, AcceptAndRejectUseTheEngineDirection) {
    const std::vector<double> distances = {0.2, 0.4, 0.6};
    EXPECT_EQ(falseAccepts(distances, 0.4), 2u);
    EXPECT_EQ(falseRejects(distances, 0.4), 1u);
}

// An operating point derived at FAR 0.1 % reports its errors on both distributions.
TEST(ErrorRates, OperatingPointCountsBothKindsOfError) {
    // Arrange: 4000 impostors from 0.3005 up, genuine pairs spread around the threshold
    const std::vector<double> impostors = ladder(4000, 0.3005);
    const std::vector<double> genuine = {0.10, 0.20, 0.30, 0.302, 0.40, 0.50};
    // Act
    const OperatingPoint point = operatingPointAtFar(genuine, impostors, 0.001);
    // Assert: 4 impostors allowed (0.3005..0.3035) -> threshold 0.304; 2 genuine above it
    EXPECT_NEAR(point.threshold, 0.304, 1e-9);
    EXPECT_EQ(point.falseAccepts, 4u);
    EXPECT_EQ(point.falseRejects, 2u);
    EXPECT_DOUBLE_EQ(point.frr(), 2.0 / 6.0);
    EXPECT_TRUE(point.farMeaningful());
}

// Too few impostor pairs for a 0.1 % estimate are flagged.
TEST(ErrorRates, SmallImpostorSetsAreNotMeaningfulAtOnePerMille) {
    const OperatingPoint point = operatingPointAtFar({0.3}, ladder(2999, 0.3005), 0.001);
    EXPECT_FALSE(point.farMeaningful());
}

// Clopper-Pearson matches published values: 5 / 100 -> [1.64 %, 11.28 %] at 95 %.
TEST(ErrorRates, ClopperPearsonMatchesTheExactInterval) {
    const Interval interval = clopperPearson(5, 100);
    EXPECT_NEAR(interval.lower, 0.01643, 2e-4);
    EXPECT_NEAR(interval.upper, 0.11284, 2e-4);
}

// 0 errors in 3000 trials: one-sided 95 % upper limit 1 - 0.05^(1/3000) ~ 0.0998 % (rule of 3).
TEST(ErrorRates, UpperLimitWithNoErrorsFollowsTheRuleOfThree) {
    EXPECT_NEAR(upperLimit(0, 3000), 1.0 - std::pow(0.05, 1.0 / 3000.0), 1e-7);
    EXPECT_DOUBLE_EQ(clopperPearson(0, 3000).lower, 0.0);
}

// Mean, median and the share under dlib's customary 0.6.
TEST(ErrorRates, SummaryCountsTheShareUnderPointSix) {
    const DistanceSummary summary = summarise({0.5, 0.55, 0.6, 0.7});
    EXPECT_EQ(summary.count, 4u);
    EXPECT_NEAR(summary.mean, 0.5875, 1e-12);
    EXPECT_DOUBLE_EQ(summary.fractionBelow060, 0.5);
}

}  // namespace
}  // namespace uketsuke::calibration
