// Presentation-attack evaluation material (issue 13; docs/presentation-attack.md): sequences of
// nuaa-dev (live and print groups) and generated attacks (bench/pad/pad_attacks.h), each run
// through the production face loop (detector, tracker, 68 landmarks) and the presentation-attack
// check without a texture model; per frame the cue values so far, the texture features, the face
// box, the 68 landmarks and the fr_liveness.onnx logit (when the model is in the models folder).
// Cached in the build directory only (derived from third-party photos: never in the repository).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/core/types.hpp>

#include "bench/pad/pad_attacks.h"
#include "vision/liveness.h"

namespace uketsuke::pad {

struct FrameRecord {
    std::int64_t t = 0;
    vision::LivenessCue planarity, parallax;              // after this frame
    bool blink = false;                                   // a blink seen so far
    std::vector<float> features;                          // texture features (empty: box unusable)
    cv::Rect box;                                         // the face box (detector / tracker)
    std::vector<float> landmarks;                         // 68 x (x, y)
    float net = std::numeric_limits<float>::quiet_NaN();  // fr_liveness.onnx logit (NaN: none)
    float netWide = std::numeric_limits<float>::quiet_NaN();  // the same, crop 3.4x the box
};

struct SequenceRecord {
    std::string kind;    // "nuaa-live", "nuaa-print", or attackName()
    std::string person;  // fold key: "nuaa:0001", "dev:jp-celeb/jp01"
    std::string id;      // nuaa group, or "seed=<n> source=<...>"
    std::uint64_t seed = 0;
    int framesTotal = 0;
    std::vector<FrameRecord> frames;  // frames with one analysed face, in order
    bool live() const { return kind == "nuaa-live"; }
};

struct PadDataOptions {
    std::filesystem::path shared;  // ../shared
    std::filesystem::path modelsDir;
    std::filesystem::path cacheFile;  // empty: no cache
    int trialsPerKind = 100;
    std::uint64_t baseSeed = 1000;  // trial i of every kind uses seed baseSeed + i
    int framesPerTrial = 30;
    double fps = 10.0;
    int threads = 2;
    std::function<void(const std::string&)> progress;
};

struct PadData {
    std::vector<SequenceRecord> sequences;
    double seconds = 0.0;
};

// ensures: the records, or throws std::runtime_error (models or data missing).
PadData loadPadData(const PadDataOptions& options);

}  // namespace uketsuke::pad
