// FaceAligner: dlib's get_face_chip_details + extract_image_chip, as in dnn_face_recognition_ex.cpp
// (there with the 5-point model; the 68-point shape is accepted by the same function and is what
// Debian packages: reference/face-model.md §6.2).
#include "vision/face_aligner.h"

#include <new>

#include <dlib/image_transforms/interpolation.h>
#include <dlib/opencv.h>

#include "vision/dlib_bridge.h"

namespace uketsuke::vision {

VisionResult<cv::Mat> FaceAligner::align(const cv::Mat& image, const Landmarks68& landmarks) const {
    if (image.empty())
        return fail(VisionError::kImageEmpty);
    try {
        cv::Mat bgr = detail::toBgr(image);
        if (!bgr.isContinuous())
            bgr = bgr.clone();
        dlib::cv_image<dlib::bgr_pixel> view(bgr);
        const auto details = dlib::get_face_chip_details(
            detail::toDlibShape(landmarks), static_cast<unsigned long>(options_.chipSizePx),
            options_.padding);
        dlib::matrix<dlib::bgr_pixel> chip;
        dlib::extract_image_chip(view, details, chip);
        return dlib::toMat(chip).clone();
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kInternal);
    }
}

}  // namespace uketsuke::vision
