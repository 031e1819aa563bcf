// Face detection: dlib's HOG frontal-face detector (get_frontal_face_detector) run on a
// downscaled grey frame, with an upsampled retry for small faces.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "vision/vision_error.h"

namespace uketsuke::vision {

struct DetectorOptions {
    // The frame is scanned at `scale` (capped so that the scanned width is at most
    // maxDetectWidthPx). dlib's HOG finds faces of >= ~80 px in the image it scans, so 0.5 finds
    // faces >= 160 px at 640x480 and 1280x720 alike, at a quarter of the full-frame cost.
    double scale = 0.5;
    int maxDetectWidthPx = 640;
    // When nothing is found, scan again at twice the scale (up to 2x the original size): faces of
    // a patient standing back, small chip photos. 0 disables the retry.
    int retryUpscaleSteps = 1;
    // dlib's adjust_threshold: > 0 fewer false positives, < 0 more detections.
    double adjustThreshold = 0.0;
    // Region of interest (tracker prediction); empty = whole frame. Coordinates of the input.
    cv::Rect region;
};

struct FaceDetection {
    cv::Rect box;        // in the input image's coordinates (dlib's ~80x80 HOG box shape)
    double score = 0.0;  // HOG detection confidence; higher = more face-like
};

// requires/ensures per call: see detect(). Not thread-safe (dlib's scanner keeps buffers): one
// detector per thread.
class FaceDetector {
  public:
    virtual ~FaceDetector() = default;
    // requires: 8-bit BGR or grey image.
    // ensures:  detections sorted by box area, largest first (possibly empty), or kImageEmpty /
    //           kOutOfMemory / kInternal. Never throws.
    virtual VisionResult<std::vector<FaceDetection>> detect(const cv::Mat& image,
                                                            const DetectorOptions& options) = 0;
};

std::unique_ptr<FaceDetector> createHogFaceDetector();

}  // namespace uketsuke::vision
