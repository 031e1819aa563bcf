// Tracking between detections: dlib::correlation_tracker on the grey frame, so that the costly
// HOG scan runs only every N frames or when the track is lost (issue 3 bench target).
#pragma once

#include <memory>
#include <optional>

#include <opencv2/core/mat.hpp>

namespace uketsuke::vision {

struct TrackerOptions {
    int redetectEveryFrames = 10;    // force a detection this often even when tracking well
    double minPeakToSidelobe = 7.0;  // dlib's update() confidence below this = lost
    int maxTrackWidthPx = 320;       // track on a frame downscaled to this width (speed)
};

// Not thread-safe.
class FaceTracker {
  public:
    virtual ~FaceTracker() = default;
    // Starts (or restarts) a track. requires: 8-bit BGR/grey frame; box inside or overlapping it.
    virtual void start(const cv::Mat& frame, const cv::Rect& box) = 0;
    // ensures: the face's box in this frame, or nullopt when there is no track or it was lost
    //          (the caller then detects). Never throws.
    virtual std::optional<cv::Rect> update(const cv::Mat& frame) = 0;
    // true when the caller should run the detector on this frame (no track, lost, or N frames).
    virtual bool needsDetection() const = 0;
    virtual void reset() = 0;
};

std::unique_ptr<FaceTracker> createCorrelationFaceTracker(TrackerOptions options = {});

}  // namespace uketsuke::vision
