// PAD cue: does the face's surroundings move WITH the face (a photo, card or screen held up, or a
// video made from one photo: the face is painted on its background), or stay put while the face
// moves (a live head in front of a static room: parallax)?
//
// Between frames 200-800 ms apart in which the face moved (>= minMotion of its height and
// >= 2 px), corner features in a ring around the face (the box widened 2.2x, minus the box widened
// 1.15x) are tracked with pyramidal Lucas-Kanade. Each tracked point is "with the face" when the
// face's homography (RANSAC over the 68 landmark pairs) predicts its new place within tolerance
// and clearly better than staying put; "static" when it did not move. Points that did neither
// (someone walking behind) are ignored.
// value = median over pairs of with / (with + static). HIGHER = surroundings glued to the face =
// more attack-like. Unavailable without motion (a still face proves nothing either way).
#pragma once

#include <deque>
#include <vector>

#include "vision/pad/pad_cue.h"

namespace uketsuke::vision::pad {

struct ParallaxOptions {
    std::int64_t minBaselineMs = 200;
    std::int64_t maxBaselineMs = 800;
    double minMotion = 0.04;   // face displacement / face height for a pair to count
    double tolerance = 0.025;  // prediction error / face height still "with the face"
    int minPoints = 8;         // classified ring points for a pair to count
    int minPairs = 2;
    double workScale = 0.5;  // frames are analysed at half resolution
};

class ParallaxCue final : public PadCue {
  public:
    explicit ParallaxCue(ParallaxOptions options = {}) : options_(options) {}
    std::string_view name() const override { return "parallax"; }
    void addFrame(const PadFrame& frame) override;
    CueScore score() const override;
    void reset() override;

  private:
    struct Sample {
        std::int64_t t = 0;
        cv::Mat grey;  // at workScale
        Landmarks68 landmarks;
        cv::Rect box;
    };
    ParallaxOptions options_;
    std::deque<Sample> history_;
    std::vector<double> coherence_;
};

}  // namespace uketsuke::vision::pad
