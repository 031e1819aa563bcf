// The card's chip photo (券面AP, a small greyscale JPEG 2000 portrait) as the reference for face
// matching, and a "chip-style" rendering of any colour photo for tests and calibration.
#pragma once

#include <filesystem>
#include <optional>

#include <opencv2/core/mat.hpp>

#include "uketsuke/bytes.h"
#include "vision/face_engine.h"
#include "vision/image_io.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

struct ChipPhotoOptions {
    ImageLimits limits{.maxBytes = std::size_t{4} * 1024 * 1024,
                       .maxWidthPx = 4096,
                       .maxHeightPx = 4096,
                       .minSidePx = 32};
    // Detector box height below which the face is kFaceTooSmall (the chip would be an upscale).
    int minFaceHeightPx = 60;
    // Full resolution: a chip photo is small (about 300 px high).
    DetectorOptions detector{.scale = 1.0,
                             .maxDetectWidthPx = 1024,
                             .retryUpscaleSteps = 1,
                             .adjustThreshold = 0.0,
                             .region = {}};
};

// The reference taken from the chip photo. Holds no pixels (nothing to persist by accident).
struct ChipReference {
    Embedding embedding{};
    std::optional<ArcFaceEmbedding> arcFace;  // when the engine has the second embedding
    cv::Rect faceBox;
    cv::Size imageSize;
    FaceQuality quality;  // informational: a chip photo is not gated on quality
};

// Decodes the photo and embeds its single face.
// ensures: the reference, or kImageEmpty / kNotAnImage / kImageCorrupt / kImageTooLarge /
//          kNoFace / kSeveralFaces / kFaceTooSmall / kOutOfMemory. Never throws.
VisionResult<ChipReference> loadChipPhoto(FaceEngine& engine, ByteView bytes,
                                          const ChipPhotoOptions& options = {});
VisionResult<ChipReference> loadChipPhotoFile(FaceEngine& engine, const std::filesystem::path& file,
                                              const ChipPhotoOptions& options = {});

struct ChipStyleOptions {
    int heightPx = 300;            // the card's photo is about 300 px high
    int compressionX1000 = 60;     // IMWRITE_JPEG2000_COMPRESSION_X1000 (1000 = lossless)
    std::optional<cv::Rect> crop;  // portrait crop of the source before scaling
};

struct ChipStylePhoto {
    Bytes jp2;        // what a card would hold
    cv::Mat decoded;  // the JP2 decoded back (CV_8UC1)
};

// Greyscale, resized to heightPx, lossy JP2 encoded, decoded back: what a colour photo looks like
// once it has been through the card. ensures: the photo or kImageEmpty / kInternal.
VisionResult<ChipStylePhoto> makeChipStylePhoto(const cv::Mat& colour,
                                                const ChipStyleOptions& options = {});

// A head-and-shoulders portrait crop around a detected face (as a card photo frames it): the box
// widened to ~2x its width and ~2.6x its height, clipped to the image.
cv::Rect portraitCropAround(const cv::Rect& faceBox, cv::Size imageSize);

}  // namespace uketsuke::vision
