// FaceDetector over dlib's HOG frontal-face detector, scanning a downscaled grey frame.
#include "vision/face_detector.h"

#include <algorithm>
#include <new>

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include "vision/dlib_bridge.h"

namespace uketsuke::vision {
namespace {

// Upper bound of the scale applied to the input: 2x lets a 40 px face reach HOG's ~80 px window.
constexpr double kMaxScale = 2.0;

class HogFaceDetector final : public FaceDetector {
  public:
    VisionResult<std::vector<FaceDetection>> detect(const cv::Mat& image,
                                                    const DetectorOptions& options) override {
        if (image.empty())
            return fail(VisionError::kImageEmpty);
        try {
            cv::Rect region(0, 0, image.cols, image.rows);
            if (!options.region.empty())
                region &= options.region;
            if (region.empty())
                return std::vector<FaceDetection>{};
            const cv::Mat grey = detail::toGrey(image(region));
            double scale = std::min(options.scale, static_cast<double>(options.maxDetectWidthPx) /
                                                       std::max(1, grey.cols));
            std::vector<FaceDetection> found = scan(grey, scale, region, options.adjustThreshold);
            for (int step = 0; found.empty() && step < options.retryUpscaleSteps; ++step) {
                if (scale >= kMaxScale)
                    break;
                scale = std::min(kMaxScale, scale * 2.0);
                found = scan(grey, scale, region, options.adjustThreshold);
            }
            std::sort(found.begin(), found.end(),
                      [](const auto& a, const auto& b) { return a.box.area() > b.box.area(); });
            return found;
        } catch (const std::bad_alloc&) {
            return fail(VisionError::kOutOfMemory);
        } catch (const std::exception&) {
            return fail(VisionError::kInternal);
        }
    }

  private:
    std::vector<FaceDetection> scan(const cv::Mat& grey, double scale, const cv::Rect& region,
                                    double adjustThreshold) {
        cv::Mat scaled = grey;
        if (scale != 1.0)
            cv::resize(grey, scaled, cv::Size(), scale, scale,
                       scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
        if (!scaled.isContinuous())
            scaled = scaled.clone();
        dlib::cv_image<unsigned char> view(scaled);
        std::vector<dlib::rect_detection> dets;
        detector_(view, dets, adjustThreshold);
        std::vector<FaceDetection> out;
        for (const auto& d : dets) {
            const cv::Rect r = detail::toCv(d.rect);
            const cv::Rect box(static_cast<int>(std::lround(r.x / scale)) + region.x,
                               static_cast<int>(std::lround(r.y / scale)) + region.y,
                               static_cast<int>(std::lround(r.width / scale)),
                               static_cast<int>(std::lround(r.height / scale)));
            out.push_back({box, d.detection_confidence});
        }
        return out;
    }

    dlib::frontal_face_detector detector_ = dlib::get_frontal_face_detector();
};

}  // namespace

std::unique_ptr<FaceDetector> createHogFaceDetector() {
    return std::make_unique<HogFaceDetector>();
}

}  // namespace uketsuke::vision
