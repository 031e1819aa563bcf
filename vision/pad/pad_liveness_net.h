// PAD cue: the anti-spoofing network `model/fr_liveness.onnx` of the npm package
// faceplugin-face-recognition-js@0.0.1 (models/README.md: origin, licence caveats), through
// OpenCV DNN. One calibrated cue among several, never a verdict on its own (issue 13: its
// threshold does not transfer between sources).
//
// Input: a crop centred on the face box, 2.7x its width and height (the scale shrinks when the
// frame is too small, the crop is shifted inside the frame: the package's alignLivenessImage),
// resized to 128x128, raw 0-255 floats, channels fed B,G,R (an OpenCV BGR frame as it is; the
// package's JS feeds R,G,B, which separates NUAA prints far worse: AUC 0.66 vs 0.94). Output: a
// 3-class softmax, class 0 = real face.
// Cue value: the median over frames of logit(p_real) = ln(p / (1 - p)), clipped to [-12, 12].
// HIGHER = more live.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "vision/pad/pad_cue.h"
#include "vision/vision_error.h"

namespace uketsuke::vision::pad {

inline constexpr const char* kLivenessNetFile = "fr_liveness.onnx";
// SHA-256 of model/fr_liveness.onnx in faceplugin-face-recognition-js-0.0.1.tgz (also checked
// when models/CMakeLists.txt copies it into the build's models folder).
inline constexpr const char* kLivenessNetSha256 =
    "afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d";
inline constexpr int kLivenessNetInputPx = 128;
inline constexpr double kLivenessNetCropScale = 2.7;

// The crop the network sees (frame coordinates), or an empty rect when the box is unusable.
cv::Rect livenessNetCrop(const cv::Size& frame, const cv::Rect& faceBox,
                         double scale = kLivenessNetCropScale);

// Not thread-safe (the network keeps buffers): one per thread / verifier.
class LivenessNet {
  public:
    // ensures: the network, or kModelMissing / kModelCorrupt (unreadable, or the SHA-256 differs
    //          from expectedSha256; empty = no check).
    static VisionResult<std::unique_ptr<LivenessNet>> load(
        const std::filesystem::path& file, const std::string& expectedSha256 = kLivenessNetSha256);
    // logit(p_real) of one frame's face, clipped to [-12, 12]; NaN when the box is unusable or
    // the network failed. Never throws.
    double score(const cv::Mat& bgr, const cv::Rect& faceBox,
                 double cropScale = kLivenessNetCropScale);

    ~LivenessNet();
    LivenessNet(const LivenessNet&) = delete;
    LivenessNet& operator=(const LivenessNet&) = delete;

  private:
    struct Impl;
    explicit LivenessNet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Median of the per-frame logits, available after minFrames scored frames.
class LivenessNetCue final : public PadCue {
  public:
    // `net` must outlive the cue. everyNth: run the network on every n-th frame (cost).
    explicit LivenessNetCue(LivenessNet& net, int minFrames = 3, int everyNth = 1)
        : net_(net), minFrames_(minFrames), everyNth_(everyNth < 1 ? 1 : everyNth) {}
    std::string_view name() const override { return "liveness_net"; }
    void addFrame(const PadFrame& frame) override;
    CueScore score() const override;
    void reset() override {
        scores_.clear();
        seen_ = 0;
    }

  private:
    LivenessNet& net_;
    int minFrames_;
    int everyNth_;
    int seen_ = 0;
    std::vector<double> scores_;
};

}  // namespace uketsuke::vision::pad
