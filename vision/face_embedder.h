// 128-D embedding: dlib's face-recognition ResNet (anet_type of dnn_face_recognition_ex.cpp) with
// the weights converted from @vladmandic/face-api by models/ (reference/face-model.md). This is
// the only interface over the network; its one translation unit is face_embedder.cpp.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

// Not thread-safe: the network keeps its activations between calls. One embedder per thread.
class FaceEmbedder {
  public:
    virtual ~FaceEmbedder() = default;
    // requires: a 150x150 8-bit chip, BGR (CV_8UC3) or grey (CV_8UC1, copied into R, G and B).
    // ensures:  the descriptor, or kInvalidChip / kOutOfMemory / kInternal. Never throws.
    virtual VisionResult<Embedding> embed(const cv::Mat& chip) = 0;
    // Same for several chips in one forward pass (no per-image gain on CPU; reference §5).
    virtual VisionResult<std::vector<Embedding>> embedBatch(const std::vector<cv::Mat>& chips) = 0;
};

// ensures: an embedder, or kModelMissing / kModelCorrupt (not a .dat of this network).
VisionResult<std::unique_ptr<FaceEmbedder>> loadFaceEmbedder(const std::filesystem::path& file);

}  // namespace uketsuke::vision
