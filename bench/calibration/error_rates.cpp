// Error-rate arithmetic of the face calibration: see error_rates.h.
#include "bench/calibration/error_rates.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace uketsuke::calibration {
namespace {

// P(X <= k) for X ~ Binomial(n, p), summed in log space so that n in the hundreds of thousands
// neither overflows nor underflows.
double binomialCdf(std::size_t k, std::size_t n, double p) {
    if (p <= 0.0)
        return 1.0;
    if (p >= 1.0)
        return k >= n ? 1.0 : 0.0;
    const double logP = std::log(p);
    const double logQ = std::log1p(-p);
    const double nd = static_cast<double>(n);
    double sum = 0.0;
    for (std::size_t i = 0; i <= k && i <= n; ++i) {
        const double id = static_cast<double>(i);
        const double logTerm = std::lgamma(nd + 1.0) - std::lgamma(id + 1.0) -
                               std::lgamma(nd - id + 1.0) + id * logP + (nd - id) * logQ;
        sum += std::exp(logTerm);
    }
    return std::min(sum, 1.0);
}

// The p in [0, 1] with binomialCdf(k, n, p) == target (the CDF falls as p rises): bisection.
double solveUpper(std::size_t k, std::size_t n, double target) {
    double lo = 0.0;
    double hi = 1.0;
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (binomialCdf(k, n, mid) > target) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return hi;
}

}  // namespace

std::size_t minimumPairsForFar(double targetFar, int minErrors) {
    assert(targetFar > 0.0);
    return static_cast<std::size_t>(std::ceil(minErrors / targetFar - 1e-9));
}

Interval clopperPearson(std::size_t errors, std::size_t trials, double confidence) {
    if (trials == 0)
        return Interval{0.0, 1.0};
    const double alpha = 1.0 - confidence;
    Interval interval;
    // Upper: P(X <= errors; p) = alpha/2. Lower: P(X >= errors; p) = alpha/2, i.e.
    // P(X <= errors - 1; p) = 1 - alpha/2.
    interval.upper = errors >= trials ? 1.0 : solveUpper(errors, trials, alpha / 2.0);
    interval.lower = errors == 0 ? 0.0 : solveUpper(errors - 1, trials, 1.0 - alpha / 2.0);
    return interval;
}

double upperLimit(std::size_t errors, std::size_t trials, double confidence) {
    if (trials == 0)
        return 1.0;
    if (errors >= trials)
        return 1.0;
    return solveUpper(errors, trials, 1.0 - confidence);
}

std::size_t falseAccepts(const std::vector<double>& impostorDistances, double threshold) {
    return static_cast<std::size_t>(std::count_if(impostorDistances.begin(),
                                                  impostorDistances.end(),
                                                  [&](double d) { return d <= threshold; }));
}

std::size_t falseRejects(const std::vector<double>& genuineDistances, double threshold) {
    return static_cast<std::size_t>(std::count_if(genuineDistances.begin(), genuineDistances.end(),
                                                  [&](double d) { return d > threshold; }));
}

double thresholdAtFar(std::vector<double> impostorDistances, double targetFar, double step) {
    assert(!impostorDistances.empty());
    assert(targetFar >= 0.0 && targetFar < 1.0);
    std::sort(impostorDistances.begin(), impostorDistances.end());
    const std::size_t n = impostorDistances.size();
    // At most `allowed` accepted impostors: the threshold must stay below the (allowed+1)-th
    // smallest distance (index `allowed`).
    const auto allowed = static_cast<std::size_t>(std::floor(targetFar * n + 1e-9));
    const double limit = impostorDistances[std::min(allowed, n - 1)];
    if (allowed >= n)
        return std::floor(impostorDistances.back() / step) * step;
    double threshold = std::floor(limit / step) * step;
    // Rounding down may land exactly on the limit (limit a multiple of step): step below it.
    if (threshold >= limit)
        threshold -= step;
    return threshold;
}

double OperatingPoint::far() const {
    return impostorPairs == 0
               ? 0.0
               : static_cast<double>(falseAccepts) / static_cast<double>(impostorPairs);
}

double OperatingPoint::frr() const {
    return genuinePairs == 0
               ? 0.0
               : static_cast<double>(falseRejects) / static_cast<double>(genuinePairs);
}

Interval OperatingPoint::farInterval(double confidence) const {
    return clopperPearson(falseAccepts, impostorPairs, confidence);
}

Interval OperatingPoint::frrInterval(double confidence) const {
    return clopperPearson(falseRejects, genuinePairs, confidence);
}

bool OperatingPoint::farMeaningful() const {
    return targetFar > 0.0 && impostorPairs >= minimumPairsForFar(targetFar);
}

OperatingPoint operatingPointAt(const std::vector<double>& genuineDistances,
                                const std::vector<double>& impostorDistances, double threshold) {
    OperatingPoint point;
    point.threshold = threshold;
    point.impostorPairs = impostorDistances.size();
    point.falseAccepts = falseAccepts(impostorDistances, threshold);
    point.genuinePairs = genuineDistances.size();
    point.falseRejects = falseRejects(genuineDistances, threshold);
    return point;
}

OperatingPoint operatingPointAtFar(const std::vector<double>& genuineDistances,
                                   const std::vector<double>& impostorDistances, double targetFar) {
    if (impostorDistances.empty()) {
        OperatingPoint empty;
        empty.targetFar = targetFar;
        empty.genuinePairs = genuineDistances.size();
        return empty;
    }
    OperatingPoint point = operatingPointAt(genuineDistances, impostorDistances,
                                            thresholdAtFar(impostorDistances, targetFar));
    point.targetFar = targetFar;
    return point;
}

DistanceSummary summarise(std::vector<double> distances) {
    DistanceSummary summary;
    summary.count = distances.size();
    if (distances.empty())
        return summary;
    summary.mean = std::accumulate(distances.begin(), distances.end(), 0.0) /
                   static_cast<double>(distances.size());
    const auto middle = distances.begin() + static_cast<std::ptrdiff_t>(distances.size() / 2);
    std::nth_element(distances.begin(), middle, distances.end());
    summary.median = *middle;
    summary.fractionBelow060 =
        static_cast<double>(
            std::count_if(distances.begin(), distances.end(), [](double d) { return d < 0.6; })) /
        static_cast<double>(distances.size());
    return summary;
}

}  // namespace uketsuke::calibration
