// Alignment: the 150x150 chip the recognition ResNet expects, from 68 landmarks with dlib's
// get_face_chip_details(shape, 150, 0.25) + extract_image_chip (dnn_face_recognition_ex.cpp).
#pragma once

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

struct AlignerOptions {
    int chipSizePx = kChipSizePx;
    double padding = 0.25;  // dlib's example value; the network was trained with it
};

// Stateless and thread-safe.
class FaceAligner {
  public:
    explicit FaceAligner(AlignerOptions options = {}) : options_(options) {}
    // requires: 8-bit BGR or grey image; landmarks predicted on it.
    // ensures:  a chipSizePx x chipSizePx CV_8UC3 BGR chip (grey inputs give equal channels), or
    //           kImageEmpty / kOutOfMemory / kInternal. Never throws.
    VisionResult<cv::Mat> align(const cv::Mat& image, const Landmarks68& landmarks) const;

  private:
    AlignerOptions options_;
};

}  // namespace uketsuke::vision
