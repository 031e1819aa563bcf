// Passive liveness over a window of frames: is this a live face in front of the camera, or a
// photo / screen held up to it?
//
// What it measures:
//  * Non-rigid motion. A printed photo or a phone screen is a plane: between two frames all 68
//    landmarks move by one homography (up to landmark noise), however the plane is waved about.
//    A live head is not a plane (nose vs cheeks under rotation) and its face deforms (blinks,
//    mouth, expression). The residual of a RANSAC-free least-squares homography fitted to the
//    landmark pairs, relative to face height, is that non-planarity.
//  * Blinks. The eye aspect ratio dips below the closed threshold and comes back within the window.
//
// What it CANNOT catch, honestly: a video replay of the person on a screen (it blinks and moves
// non-rigidly), a well-made 3-D mask, or a photo with cut-out eyes behind which someone blinks.
// A still image never passes (no motion to see). It raises the cost of the casual attack (showing
// the card's own photo, or a phone picture); it is not presentation-attack detection in the
// ISO/IEC 30107-3 sense. Staff visual check (目視) remains the fallback.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"

namespace uketsuke::vision {

struct LivenessOptions {
    int minFrames = 5;                   // frames needed before a verdict other than insufficient
    double minNonRigidResidual = 0.006;  // mean homography residual / face height for "live"
    double closedEyeAspectRatio = 0.19;  // EAR below this = eyes closed
    double openEyeAspectRatio = 0.24;    // EAR above this = eyes open (hysteresis)
    bool blinkAlone = true;              // a blink (open-closed-open) is enough on its own
};

enum class LivenessVerdict {
    kLive,
    kSpoofSuspected,        // presentation attack suspected (a plane, a print, a screen, ...)
    kInsufficientEvidence,  // too few frames (or too little motion) to say
    kUnsure,  // enough frames, the passive cues do not agree: ask for an active challenge
};

// One presentation-attack cue's measure (vision/pad/*; direction documented per cue).
struct LivenessCue {
    bool available = false;
    double value = 0.0;
    int samples = 0;
};

struct LivenessResult {
    LivenessVerdict verdict = LivenessVerdict::kInsufficientEvidence;
    int framesUsed = 0;
    double nonRigidResidual = 0.0;  // passive check: median over consecutive frame pairs; PAD
                                    // check: the robust planarity value (fraction of face height)
    bool blinkSeen = false;
    // Filled by the presentation-attack check (vision/pad/presentation_attack.h) only.
    LivenessCue planarity;      // higher = less planar = more live
    LivenessCue parallax;       // higher = surroundings move with the face = more attack-like
    LivenessCue texture;        // higher = more live (linear-SVM margin)
    LivenessCue net;            // higher = more live (fr_liveness.onnx logit, median)
    bool textureModel = false;  // the texture model was loaded
    bool netModel = false;      // the liveness network was loaded
    std::string_view reason;    // which cue decided: "texture", "parallax", "planarity", ...
};

std::string_view name(LivenessVerdict verdict);

// Not thread-safe; one per verification.
class LivenessCheck {
  public:
    virtual ~LivenessCheck() = default;
    // requires: landmarks of the same face, in time order.
    virtual void addFrame(std::int64_t timestampMs, const Landmarks68& landmarks) = 0;
    // The same with the camera frame and the face box, for the image cues of the
    // presentation-attack check; checks that only use landmarks ignore the image.
    virtual void addCameraFrame(std::int64_t timestampMs, const Landmarks68& landmarks,
                                const cv::Mat& bgr, const cv::Rect& faceBox) {
        (void)bgr;
        (void)faceBox;
        addFrame(timestampMs, landmarks);
    }
    // ensures: a verdict from the frames so far; never throws.
    virtual LivenessResult evaluate() const = 0;
    virtual void reset() = 0;
};

std::unique_ptr<LivenessCheck> createPassiveLivenessCheck(LivenessOptions options = {});

}  // namespace uketsuke::vision
