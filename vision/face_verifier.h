// The multi-frame decision (issues 3, 12): compare the chip photo's embedding with live frames,
// fuse the evidence over a capture window and decide on the fused score; otherwise say why.
//
// Per frame: detect on a downscaled frame or follow the face with the tracker; 68 landmarks;
// quality gate; embed only when the quality passes AND the face moved/changed since the last
// embedding (or embedEveryMs passed), so that each embedding adds information. The distances go
// into an EvidenceAccumulator (vision/evidence.h): the window opens at the first good frame; the
// run accepts early only when the fused score is far inside the threshold, never rejects while the
// window is open, and decides on the fused score when it closes. A still image is judged on its
// one frame against maxDistance.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/face_tracker.h"
#include "vision/frame_source.h"
#include "vision/liveness.h"
#include "vision/thresholds.h"

namespace uketsuke::vision {

enum class VerificationOutcome {
    kAccepted = 0,
    kMismatch,        // good frames were compared and the fused score is beyond the threshold
    kNoFace,          // no face seen in most frames
    kSeveralFaces,    // more than one face in view
    kPoorQuality,     // faces seen but too few good frames: see `guidance`
    kLivenessFailed,  // matched, but presentation attack suspected (photo, card, screen, ...)
    kTimeout,         // budget spent with neither enough agreement nor a clear failure
    kSourceError,     // the frame source failed (see `sourceError`)
    kCanceled,        // the caller's cancel callback returned true
    // Matched, but the passive presentation-attack cues were not sure within the budget (or saw
    // too few frames): ask for an active challenge, or fall back to PIN / staff.
    kLivenessUnsure,
};

struct VerificationOutcomeInfo {
    VerificationOutcome code;
    std::string_view name;
    std::string_view description;
};
const VerificationOutcomeInfo& verificationOutcomeInfo(VerificationOutcome outcome);

// What happened in one frame (for the report; no pixels, no embedding).
struct FrameFinding {
    std::int64_t timestampMs = 0;
    int faceCount = 0;
    bool tracked = false;                // box from the tracker, not the detector
    std::optional<FaceQuality> quality;  // when exactly one face
    bool embedded = false;
    std::optional<EmbeddingDistance> distance;  // the frame's score, when embedded
    std::optional<double> dlibDistance;         // its parts (the score is their weighted mean
    std::optional<double> arcFaceDistance;      // when the second embedding is in use)
    // Why the frame was not compared: "no_face", "several_faces", "landmarks_failed", "quality"
    // (see quality.guidance / explainQuality), "no_new_information", "embedding_failed"; empty
    // when embedded.
    std::string_view notCompared;
};

struct VerificationResult {
    VerificationOutcome outcome = VerificationOutcome::kTimeout;
    std::optional<EmbeddingDistance> distance;  // the fused score (a still: its one distance)
    double threshold = 0.0;                     // the threshold that score was compared with
    bool arcFaceUsed = false;  // scores fuse dlib with fr_feature.onnx (VerifierConfig)
    bool earlyAccept = false;  // accepted before the window closed (fused score far inside)
    int framesSeen = 0;
    int goodFrames = 0;  // frames that passed the quality gate
    int framesEmbedded = 0;
    int framesAgreeing = 0;  // embedded frames whose own distance is within the threshold
    std::optional<std::int64_t> firstGoodFrameMs;  // opens the capture window
    Guidance guidance = Guidance::kNone;  // most frequent guidance (kPoorQuality, or a hint)
    LivenessResult liveness;
    bool livenessAssessed = false;  // false for a still image or requireLiveness == false
    std::optional<VisionError> sourceError;
    std::int64_t elapsedMs = 0;  // media time from the first frame to the decision
    std::vector<FrameFinding> frames;
};

// One verification, fed frame by frame (the session feeds camera frames as they arrive).
class VerificationRun {
  public:
    virtual ~VerificationRun() = default;
    // requires: frames of one source, in time order. ensures: the frame's finding; never throws.
    virtual FrameFinding addFrame(const Frame& frame) = 0;
    // The decision once reached (accepted, or a failure that more frames cannot change, or the
    // time budget spent); nullopt while more frames could still decide.
    virtual std::optional<VerificationResult> decision() const = 0;
    // The decision now, with the frames so far (end of stream / cancel).
    virtual VerificationResult finish(std::optional<VisionError> sourceError = std::nullopt) = 0;
};

// Uses the engine's stages; the engine must outlive the verifier and its runs. Not thread-safe.
class FaceVerifier {
  public:
    FaceVerifier(FaceEngine& engine, VisionThresholds thresholds);

    // A single-still verification (one frame, no liveness) is judged against maxDistance (or
    // maxDistanceWithArcFace). With a ChipReference that carries the fr_feature embedding and an
    // engine that has the model, each frame's score fuses both embeddings; otherwise dlib only.
    std::unique_ptr<VerificationRun> begin(const ChipReference& reference, bool stillImage = false);
    std::unique_ptr<VerificationRun> begin(const Embedding& reference, bool stillImage = false);

    // Pulls frames from `source` until a decision, end of stream, or `cancelled()`.
    // ensures: a result; never throws. A kStillImage source is judged on its one frame with
    //          livenessAssessed = false.
    VerificationResult verify(const ChipReference& reference, FrameSource& source,
                              const std::function<bool()>& cancelled = {});
    VerificationResult verify(const Embedding& reference, FrameSource& source,
                              const std::function<bool()>& cancelled = {});

    const VisionThresholds& thresholds() const { return thresholds_; }

  private:
    FaceEngine& engine_;
    VisionThresholds thresholds_;
};

}  // namespace uketsuke::vision
