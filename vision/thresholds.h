// Thresholds of the face engine as configuration (issue 3: "Thresholds are configuration").
// The default match threshold comes from the calibration in docs/calibration.md; dlib's customary
// 0.6 is NOT used: with these weights, East-Asian impostor pairs average ~0.58 and most fall under
// 0.6 (issue 3; shared/data/faces-dev/east-asian/README.md puts the 1 % FAR point at 0.35-0.47).
#pragma once

#include <cstdint>

#include "vision/evidence.h"
#include "vision/face_detector.h"
#include "vision/pad/presentation_attack.h"
#include "vision/quality.h"

namespace uketsuke::vision {

// Maximum EmbeddingDistance (lower = same face) between the chip photo and a live frame for the
// two to count as the same person. Operating point: FAR <= 0.1 % on same-sex, similar-age
// impostor pairs. docs/calibration.md, "Chosen threshold" row 0.33: East-Asian (jp-celeb + lfw-ea
// + cn-celeb) chip-vs-live 2 / 49873 matched impostors accepted (95 % upper 0.013 %), every
// East-Asian set <= 0.1 % (jp-celeb 2 / 5064); the cost is FRR 76.1 % per single still pair.
inline constexpr double kDefaultMaxEmbeddingDistance = 0.33;

// Multi-frame operating points (docs/calibration.md §8): the fused score is the mean of the 3
// smallest per-frame scores within the capture window; both thresholds are calibrated for that
// score on 8 849 impostor sequences (nuaa-dev cross-person clips and sequences assembled from the
// East-Asian dev stills, matched on sex and age), chosen for <= 0.02 % (dlib only) and <= 0.04 %
// (with fr_feature) overall so that every set and sex stays near or under 0.1 % (§8).
// dlib only (fr_feature.onnx absent): nuaa-dev genuine FRR 66.0 %: a conservative fallback.
inline constexpr double kDefaultMaxFusedDistance = 0.340;
inline constexpr double kDefaultEarlyAcceptDistance = 0.329;

// With the second embedding (fr_feature.onnx, vision/arcface_embedder.h) the per-frame score is
// (1 - w) * dlib distance + w * fr_feature cosine distance, w = 0.8 (person-disjoint choice,
// docs/calibration.md §7). The end threshold was 0.466 (chosen on all dev persons); the held-out
// check by halves of the persons (§9.1) moved it to 0.452, the stricter half's choice: sequences
// nuaa-dev genuine FRR 4.0 %, impostors 1 / 8 849, median decision 0.4 s.
inline constexpr double kDefaultArcFaceWeight = 0.8;
inline constexpr double kDefaultMaxFusedDistanceWithArcFace = 0.452;
inline constexpr double kDefaultEarlyAcceptDistanceWithArcFace = 0.452;
// Single still with the second embedding: every East-Asian set and sex <= 0.1 % (§7; lfw-ea
// women, the tightest group, have their 0.1 % point at 0.445).
inline constexpr double kDefaultMaxStillScoreWithArcFace = 0.445;

// A motionless face is embedded again after this long (sooner when it moved): 250 ms matches the
// sequence simulation of docs/calibration.md §8 (frames ~200 ms apart, each embedded), so a
// perfectly still patient reaches the 3 frames of an early accept in ~0.5 s instead of ~2 s.
// The terminal's configuration key vision.embed_every_ms overrides it (terminal/config.h).
inline constexpr std::int64_t kDefaultEmbedEveryMs = 250;

struct VerifierConfig {
    // Single still (one frame, no window): the largest accepted distance.
    double maxDistance = kDefaultMaxEmbeddingDistance;
    // Video / camera: the evidence over the capture window (vision/evidence.h).
    EvidenceConfig evidence{.windowMs = 5000,
                            .bestFrames = 3,
                            .maxFusedDistance = kDefaultMaxFusedDistance,
                            .earlyAcceptDistance = kDefaultEarlyAcceptDistance,
                            .minFramesEarly = 3};
    // With fr_feature.onnx loaded and the chip's fr embedding known (both optional).
    bool useArcFace = true;
    double arcFaceWeight = kDefaultArcFaceWeight;
    double maxDistanceWithArcFace = kDefaultMaxStillScoreWithArcFace;
    EvidenceConfig evidenceWithArcFace{
        .windowMs = 5000,
        .bestFrames = 3,
        .maxFusedDistance = kDefaultMaxFusedDistanceWithArcFace,
        .earlyAcceptDistance = kDefaultEarlyAcceptDistanceWithArcFace,
        .minFramesEarly = 3};
    std::int64_t timeBudgetMs = 8000;  // media time from the first frame; then a decision
    // Embed again only when the face moved or changed by more than this fraction of its height
    // since the last embedding, or after embedEveryMs, so that each embedding adds information.
    double minChangeForEmbedding = 0.02;
    std::int64_t embedEveryMs = kDefaultEmbedEveryMs;
    bool requireLiveness = true;  // still images cannot prove liveness: see face_verifier.h
    // Presentation-attack detection (issue 13; docs/presentation-attack.md).
    pad::PadOptions pad;
    int maxFramesKept = 300;  // per-frame findings kept for the report
};

struct VisionThresholds {
    DetectorOptions detector;
    QualityThresholds quality;
    VerifierConfig verifier;
    // Faces smaller than this (detector box height, px) are kFaceTooSmall for a chip photo.
    int minChipFaceHeightPx = 60;
};

}  // namespace uketsuke::vision
