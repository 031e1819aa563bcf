// 68-point landmarks: dlib's shape_predictor with Debian's shape_predictor_68_face_landmarks.dat
// (libdlib-data; iBUG 300-W training data, non-commercial licence: see models/README.md).
#pragma once

#include <filesystem>
#include <memory>

#include <opencv2/core/mat.hpp>

#include "vision/face_types.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

// Thread-safe after load: predict() is const and keeps no state.
class LandmarkPredictor {
  public:
    virtual ~LandmarkPredictor() = default;
    // requires: 8-bit BGR or grey image; `box` a face box from FaceDetector or FaceTracker
    //           (may extend past the image border).
    // ensures:  68 points in image coordinates. The predictor always returns a shape, even on a
    //           non-face: quality checks and re-detection decide whether it is one.
    virtual Landmarks68 predict(const cv::Mat& image, const cv::Rect& box) const = 0;
};

// ensures: a predictor, or kModelMissing / kModelCorrupt.
VisionResult<std::unique_ptr<LandmarkPredictor>> loadLandmarkPredictor(
    const std::filesystem::path& file);

}  // namespace uketsuke::vision
