// Error-rate arithmetic of the face calibration (issue 3, "Calibrate ... report FAR and FRR"):
// thresholds at a target false-accept rate, false-accept and false-reject counts at a threshold,
// and exact binomial (Clopper-Pearson) confidence limits. Pure functions on distance lists, so
// they are tested without any image (tests/unit/vision_calibration/error_rates_test.cpp).
//
// Direction: as in vision/face_types.h, a pair is ACCEPTED when distance <= threshold.
#pragma once

#include <cstddef>
#include <vector>

namespace uketsuke::calibration {

// Fewest impostor pairs for a FAR estimate backed by at least `minErrors` errors:
// ceil(minErrors / targetFar), e.g. 3000 for 0.1 % with 3 errors.
std::size_t minimumPairsForFar(double targetFar, int minErrors = 3);

struct Interval {
    double lower = 0.0;
    double upper = 1.0;
};

// Exact (Clopper-Pearson) two-sided interval for a binomial proportion with `errors` out of
// `trials`, at `confidence` (e.g. 0.95). trials == 0 gives [0, 1].
Interval clopperPearson(std::size_t errors, std::size_t trials, double confidence = 0.95);

// One-sided upper limit: the largest rate p for which seeing <= errors is still as likely as
// 1 - confidence. With 0 errors this is ~3/n at 95 % ("rule of three").
double upperLimit(std::size_t errors, std::size_t trials, double confidence = 0.95);

// Impostor distances accepted (<= threshold) and genuine distances rejected (> threshold).
std::size_t falseAccepts(const std::vector<double>& impostorDistances, double threshold);
std::size_t falseRejects(const std::vector<double>& genuineDistances, double threshold);

// The largest threshold, rounded DOWN to `step` (default 0.001), whose false-accept rate on these
// impostor distances is <= targetFar. When no impostor may be accepted (targetFar * n < 1) this is
// just below the smallest impostor distance. requires: non-empty distances, 0 <= targetFar < 1.
double thresholdAtFar(std::vector<double> impostorDistances, double targetFar, double step = 0.001);

// One operating point: the threshold and the errors it gives on both distributions.
struct OperatingPoint {
    double targetFar = 0.0;  // 0 when the threshold was given rather than derived
    double threshold = 0.0;
    std::size_t impostorPairs = 0;
    std::size_t falseAccepts = 0;
    std::size_t genuinePairs = 0;
    std::size_t falseRejects = 0;
    double far() const;
    double frr() const;
    Interval farInterval(double confidence = 0.95) const;
    Interval frrInterval(double confidence = 0.95) const;
    // Enough impostor pairs that a FAR of targetFar would show >= 3 errors.
    bool farMeaningful() const;
};

OperatingPoint operatingPointAtFar(const std::vector<double>& genuineDistances,
                                   const std::vector<double>& impostorDistances, double targetFar);
OperatingPoint operatingPointAt(const std::vector<double>& genuineDistances,
                                const std::vector<double>& impostorDistances, double threshold);

struct DistanceSummary {
    std::size_t count = 0;
    double mean = 0.0;
    double median = 0.0;
    double fractionBelow060 = 0.0;  // dlib's customary 0.6: the share a 0.6 threshold accepts
};
DistanceSummary summarise(std::vector<double> distances);

}  // namespace uketsuke::calibration
