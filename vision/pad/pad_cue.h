// Presentation-attack detection (PAD, issue 13): the small interface every cue implements. A cue
// watches the frames of one look (the face's landmarks, its box and the camera frame) and gives
// one number with a fixed direction, or says it has no evidence yet. The fusion
// (vision/pad/presentation_attack.h) combines the cues into live / attack-suspected / unsure.
// One cue per file: pad_planarity (robust planarity over a longer window), pad_parallax (face vs
// surroundings motion), pad_texture (LBP + frequency + colour + border features, linear SVM).
#pragma once

#include <cstdint>
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"

namespace uketsuke::vision::pad {

// One analysed camera frame (references valid for the duration of the call only).
struct PadFrame {
    std::int64_t timestampMs = 0;
    const cv::Mat& bgr;  // the full camera frame, 8-bit BGR (may be empty: geometry-only cues)
    const Landmarks68& landmarks;
    cv::Rect faceBox;  // the detector/tracker box in frame coordinates
};

struct CueScore {
    bool available = false;  // false: not enough evidence yet (too few frames, no motion)
    // The cue's measure; its direction is documented per cue (see each header).
    double value = 0.0;
    int samples = 0;  // frames or frame pairs the value is based on
};

class PadCue {
  public:
    virtual ~PadCue() = default;
    virtual std::string_view name() const = 0;
    virtual void addFrame(const PadFrame& frame) = 0;
    virtual CueScore score() const = 0;
    virtual void reset() = 0;
};

}  // namespace uketsuke::vision::pad
