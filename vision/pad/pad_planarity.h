// PAD cue: planarity of the face over a longer window, robust to sensor noise.
//
// A photo, a card or a screen is a plane: between ANY two frames its 68 landmarks move by one
// homography, however it is waved about; only landmark jitter remains. A live head is not a plane
// (nose vs cheeks and jaw under rotation) and deforms (blinks, mouth). Issue 13 showed the
// consecutive-frame least-squares residual fails under per-frame sensor noise (sigma 12-16): the
// jitter alone reached the old limit. Here:
//  * pairs of frames 150 ms .. 1.5 s apart (longer baselines: more pose change, same jitter);
//  * landmarks averaged over 3 frames before fitting (jitter / sqrt 3; a hand's drift is smooth);
//  * the homography fitted with RANSAC (outlier landmarks do not bend the fit) and the residual
//    taken as the 80 % trimmed mean of the point errors (a few jumping points do not count as
//    "non-planar" either);
//  * only pairs where the face moved (>= minMotion of its height) count.
// value = 75th percentile of the pair residuals / face height. HIGHER = less planar = more live.
#pragma once

#include <deque>
#include <vector>

#include "vision/pad/pad_cue.h"

namespace uketsuke::vision::pad {

struct PlanarityOptions {
    std::int64_t windowMs = 3000;
    std::int64_t minBaselineMs = 150;
    std::int64_t maxBaselineMs = 1500;
    double minMotion = 0.02;        // mean landmark displacement / face height for a pair to count
    double ransacThreshold = 0.03;  // RANSAC inlier distance / face height
    int minPairs = 3;
};

class PlanarityCue final : public PadCue {
  public:
    explicit PlanarityCue(PlanarityOptions options = {}) : options_(options) {}
    std::string_view name() const override { return "planarity"; }
    void addFrame(const PadFrame& frame) override;
    CueScore score() const override;
    void reset() override;

    // Residual (trimmed mean of RANSAC-homography errors / face height) of one landmark pair.
    static double pairResidual(const Landmarks68& from, const Landmarks68& to,
                               double ransacThresholdFraction);

  private:
    struct Sample {
        std::int64_t t = 0;
        Landmarks68 smoothed;
        double height = 0;
    };
    PlanarityOptions options_;
    std::deque<Landmarks68> raw_;
    std::deque<Sample> window_;
    std::vector<double> residuals_;
};

}  // namespace uketsuke::vision::pad
