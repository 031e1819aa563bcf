// FaceTracker over dlib::correlation_tracker (Danelljan et al., DSST), run on a downscaled grey
// frame. Its update() returns the peak-to-sidelobe ratio, which drops when the face is lost.
#include "vision/face_tracker.h"

#include <algorithm>

#include <dlib/image_processing/correlation_tracker.h>
#include <dlib/image_transforms.h>  // extract_fhog_features, used by correlation_tracker.h
#include <dlib/opencv/cv_image.h>

#include "vision/dlib_bridge.h"

namespace uketsuke::vision {
namespace {

class CorrelationFaceTracker final : public FaceTracker {
  public:
    explicit CorrelationFaceTracker(TrackerOptions options) : options_(options) {}

    void start(const cv::Mat& frame, const cv::Rect& box) override {
        try {
            scale_ = scaleFor(frame);
            const cv::Mat small = prepare(frame);
            dlib::cv_image<unsigned char> view(small);
            tracker_.start_track(
                view, dlib::drectangle(box.x * scale_, box.y * scale_, (box.x + box.width) * scale_,
                                       (box.y + box.height) * scale_));
            tracking_ = true;
            framesSinceDetection_ = 0;
        } catch (const std::exception&) {
            tracking_ = false;
        }
    }

    std::optional<cv::Rect> update(const cv::Mat& frame) override {
        if (!tracking_)
            return std::nullopt;
        try {
            const cv::Mat small = prepare(frame);
            dlib::cv_image<unsigned char> view(small);
            const double psr = tracker_.update(view);
            ++framesSinceDetection_;
            if (psr < options_.minPeakToSidelobe) {
                tracking_ = false;
                return std::nullopt;
            }
            const dlib::drectangle r = tracker_.get_position();
            const cv::Rect box(static_cast<int>(std::lround(r.left() / scale_)),
                               static_cast<int>(std::lround(r.top() / scale_)),
                               static_cast<int>(std::lround(r.width() / scale_)),
                               static_cast<int>(std::lround(r.height() / scale_)));
            if ((box & cv::Rect(0, 0, frame.cols, frame.rows)).area() < box.area() / 2) {
                tracking_ = false;  // mostly out of the frame
                return std::nullopt;
            }
            return box;
        } catch (const std::exception&) {
            tracking_ = false;
            return std::nullopt;
        }
    }

    bool needsDetection() const override {
        return !tracking_ || framesSinceDetection_ + 1 >= options_.redetectEveryFrames;
    }

    void reset() override {
        tracking_ = false;
        framesSinceDetection_ = 0;
    }

  private:
    double scaleFor(const cv::Mat& frame) const {
        return std::min(1.0,
                        static_cast<double>(options_.maxTrackWidthPx) / std::max(1, frame.cols));
    }
    // Downscale first, then convert: the colour conversion runs on the small frame.
    cv::Mat prepare(const cv::Mat& frame) const {
        if (scale_ == 1.0)
            return detail::toGrey(frame);
        cv::Mat small;
        cv::resize(frame, small, cv::Size(), scale_, scale_, cv::INTER_AREA);
        return detail::toGrey(small);
    }

    TrackerOptions options_;
    dlib::correlation_tracker tracker_;
    double scale_ = 1.0;
    bool tracking_ = false;
    int framesSinceDetection_ = 0;
};

}  // namespace

std::unique_ptr<FaceTracker> createCorrelationFaceTracker(TrackerOptions options) {
    return std::make_unique<CorrelationFaceTracker>(options);
}

}  // namespace uketsuke::vision
