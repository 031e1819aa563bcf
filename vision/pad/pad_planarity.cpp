// Robust planarity cue (see pad_planarity.h).
#include "vision/pad/pad_planarity.h"

#include <algorithm>

#include <opencv2/calib3d.hpp>

#include "vision/order_statistics.h"
#include "vision/quality.h"

namespace uketsuke::vision::pad {
namespace {

double faceHeight(const Landmarks68& l) {
    return std::max(1, faceBoxFromLandmarks(l).height);
}

double meanShift(const Landmarks68& a, const Landmarks68& b) {
    double s = 0.0;
    for (int i = 0; i < kLandmarkCount; ++i)
        s += cv::norm(a[i] - b[i]);
    return s / kLandmarkCount;
}

}  // namespace

double PlanarityCue::pairResidual(const Landmarks68& from, const Landmarks68& to,
                                  double ransacThresholdFraction) {
    const std::vector<cv::Point2f> a(from.begin(), from.end()), b(to.begin(), to.end());
    const double height = faceHeight(to);
    std::vector<cv::Point2f> mapped;
    try {
        const cv::Mat h = cv::findHomography(a, b, cv::RANSAC, ransacThresholdFraction * height,
                                             cv::noArray(), 500, 0.995);
        if (h.empty())
            return 0.0;
        cv::perspectiveTransform(a, mapped, h);
    } catch (const cv::Exception&) {
        return 0.0;  // degenerate point set: no evidence of life
    }
    std::vector<double> errors(b.size());
    for (std::size_t i = 0; i < b.size(); ++i)
        errors[i] = cv::norm(mapped[i] - b[i]);
    std::sort(errors.begin(), errors.end());
    const std::size_t keep = errors.size() * 8 / 10;
    double sum = 0.0;
    for (std::size_t i = 0; i < keep; ++i)
        sum += errors[i];
    return sum / static_cast<double>(keep) / height;
}

void PlanarityCue::addFrame(const PadFrame& frame) {
    raw_.push_back(frame.landmarks);
    if (raw_.size() > 3)
        raw_.pop_front();
    Landmarks68 smoothed{};
    for (const auto& l : raw_)
        for (int i = 0; i < kLandmarkCount; ++i)
            smoothed[i] += l[i] * (1.0f / static_cast<float>(raw_.size()));
    const Sample now{frame.timestampMs, smoothed, faceHeight(smoothed)};
    // Pair the new sample with earlier ones at growing baselines (at most 4 pairs per frame).
    int pairs = 0;
    std::int64_t lastBaseline = -1;
    for (auto it = window_.rbegin(); it != window_.rend() && pairs < 4; ++it) {
        const std::int64_t baseline = now.t - it->t;
        if (baseline < options_.minBaselineMs || baseline > options_.maxBaselineMs)
            continue;
        if (lastBaseline >= 0 && baseline < lastBaseline * 2)
            continue;  // spread the baselines: ~150, 300, 600, 1200 ms
        lastBaseline = baseline;
        if (meanShift(it->smoothed, now.smoothed) / now.height < options_.minMotion)
            continue;
        residuals_.push_back(pairResidual(it->smoothed, now.smoothed, options_.ransacThreshold));
        ++pairs;
    }
    window_.push_back(now);
    while (!window_.empty() && now.t - window_.front().t > options_.windowMs)
        window_.pop_front();
}

CueScore PlanarityCue::score() const {
    CueScore s;
    s.samples = static_cast<int>(residuals_.size());
    if (s.samples < options_.minPairs)
        return s;
    s.value = nthSmallest(residuals_, residuals_.size() * 3 / 4);
    s.available = true;
    return s;
}

void PlanarityCue::reset() {
    raw_.clear();
    window_.clear();
    residuals_.clear();
}

}  // namespace uketsuke::vision::pad
