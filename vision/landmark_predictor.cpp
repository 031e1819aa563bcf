// LandmarkPredictor over dlib's shape_predictor (68 points, iBUG 300-W order).
#include "vision/landmark_predictor.h"

#include <new>

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/opencv/cv_image.h>
#include <dlib/serialize.h>

#include "vision/dlib_bridge.h"

namespace uketsuke::vision {
namespace {

class DlibLandmarkPredictor final : public LandmarkPredictor {
  public:
    Landmarks68 predict(const cv::Mat& image, const cv::Rect& box) const override {
        // shape_predictor samples a few hundred pixel intensities around the box: wrapping the
        // frame (no copy, no colour conversion of the whole frame) is what keeps this ~2-4 ms.
        const dlib::full_object_detection shape =
            image.channels() == 3
                ? predictor(dlib::cv_image<dlib::bgr_pixel>(image), detail::toDlib(box))
                : predictor(dlib::cv_image<unsigned char>(detail::toGrey(image)),
                            detail::toDlib(box));
        Landmarks68 out{};
        for (unsigned long i = 0; i < shape.num_parts() && i < out.size(); ++i)
            out[i] = cv::Point2f(static_cast<float>(shape.part(i).x()),
                                 static_cast<float>(shape.part(i).y()));
        return out;
    }

    dlib::shape_predictor predictor;
};

}  // namespace

VisionResult<std::unique_ptr<LandmarkPredictor>> loadLandmarkPredictor(
    const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return fail(VisionError::kModelMissing);
    try {
        auto predictor = std::make_unique<DlibLandmarkPredictor>();
        dlib::deserialize(file.string()) >> predictor->predictor;
        if (predictor->predictor.num_parts() != kLandmarkCount)
            return fail(VisionError::kModelCorrupt);
        return std::unique_ptr<LandmarkPredictor>(std::move(predictor));
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kModelCorrupt);
    }
}

}  // namespace uketsuke::vision
