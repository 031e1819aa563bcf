// Second opinion embedding (issue 12): the 512-D network `model/fr_feature.onnx` of the npm package
// faceplugin-face-recognition-js@0.0.1 (models/README.md: origin, licence caveats), run through
// OpenCV DNN. Input: 112x112 RGB aligned to the ArcFace template by a 5-point similarity transform
// computed from the 68 dlib landmarks, pixels (p - 127) / 128. dlib stays the primary embedding;
// this one is optional: the engine works without it when the file is absent.
#pragma once

#include <array>
#include <filesystem>
#include <memory>

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

inline constexpr int kArcFaceEmbeddingSize = 512;
inline constexpr int kArcFaceChipPx = 112;
inline constexpr const char* kArcFaceModelFile = "fr_feature.onnx";

// L2-normalised 512-D descriptor.
using ArcFaceEmbedding = std::array<float, kArcFaceEmbeddingSize>;

// 1 - cosine similarity, in [0, 2]. LOWER means MORE LIKELY THE SAME FACE (like EmbeddingDistance).
double arcFaceDistance(const ArcFaceEmbedding& a, const ArcFaceEmbedding& b);

// The five points (eye centres, nose tip, mouth corners) from the 68 landmarks, image-left first.
std::array<cv::Point2f, 5> fivePoints(const Landmarks68& landmarks);

// 112x112 BGR chip: similarity transform (rotation, uniform scale, translation; least squares)
// of the five points onto the ArcFace template. ensures: the chip or kImageEmpty / kInternal.
VisionResult<cv::Mat> alignArcFace(const cv::Mat& image, const Landmarks68& landmarks);

// Not thread-safe (the network keeps buffers): one per thread.
class ArcFaceEmbedder {
  public:
    virtual ~ArcFaceEmbedder() = default;
    // requires: a 112x112 8-bit chip, BGR or grey. ensures: the descriptor or kInvalidChip /
    // kInternal; never throws.
    virtual VisionResult<ArcFaceEmbedding> embed(const cv::Mat& chip112) = 0;
};

// ensures: the embedder, or kModelMissing / kModelCorrupt.
VisionResult<std::unique_ptr<ArcFaceEmbedder>> loadArcFaceEmbedder(
    const std::filesystem::path& file);

}  // namespace uketsuke::vision
