// Safe image decoding for untrusted bytes (chip photos from a card, files given on the command
// line). The dimensions are read from the format's header BEFORE decoding, so that a 20000x20000
// header is refused without allocating; only formats whose header we check are accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include <opencv2/core/mat.hpp>

#include "uketsuke/bytes.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

enum class ImageFormat { kUnknown, kJpeg, kPng, kJp2, kJ2k, kBmp, kPnm };

// One limit for every image input (face live images, chip photos, card-front captures; issue 14):
// checked on the header's declared size before anything is decoded.
struct ImageLimits {
    std::size_t maxBytes = std::size_t{32} * 1024 * 1024;
    int maxWidthPx = 8192;
    int maxHeightPx = 8192;
    std::int64_t maxPixels = 40'000'000;  // a 12-Mpx phone photo fits; 16000x16000 does not
    int minSidePx = 16;
};

struct ImageHeader {
    ImageFormat format = ImageFormat::kUnknown;
    int widthPx = 0;
    int heightPx = 0;
};

// Identifies the format and declared size from the first bytes.
// ensures: kImageEmpty, kNotAnImage (unknown magic), kImageCorrupt (header cut short) or the
// header.
VisionResult<ImageHeader> readImageHeader(ByteView bytes);

// Decodes to 8-bit BGR (grey inputs are expanded to 3 equal channels).
// ensures: a non-empty CV_8UC3 Mat, or kImageEmpty / kNotAnImage / kImageTooLarge / kImageCorrupt /
//          kOutOfMemory. Never throws.
VisionResult<cv::Mat> decodeImage(ByteView bytes, const ImageLimits& limits = {});
// Same for a file; a missing or unreadable file is kFileUnreadable.
VisionResult<cv::Mat> decodeImageFile(const std::filesystem::path& file,
                                      const ImageLimits& limits = {});

}  // namespace uketsuke::vision
