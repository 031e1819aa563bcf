// Internal: conversions between OpenCV and dlib types for the vision/ stages (not installed API).
#pragma once

#include <dlib/geometry/rectangle.h>
#include <dlib/image_processing/full_object_detection.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/face_types.h"

namespace uketsuke::vision::detail {

inline dlib::rectangle toDlib(const cv::Rect& r) {
    return dlib::rectangle(r.x, r.y, r.x + r.width - 1, r.y + r.height - 1);
}

inline cv::Rect toCv(const dlib::rectangle& r) {
    return cv::Rect(static_cast<int>(r.left()), static_cast<int>(r.top()),
                    static_cast<int>(r.width()), static_cast<int>(r.height()));
}

inline dlib::full_object_detection toDlibShape(const Landmarks68& landmarks) {
    std::vector<dlib::point> parts;
    parts.reserve(landmarks.size());
    long minX = LONG_MAX, minY = LONG_MAX, maxX = LONG_MIN, maxY = LONG_MIN;
    for (const auto& p : landmarks) {
        const dlib::point q(std::lround(p.x), std::lround(p.y));
        parts.push_back(q);
        minX = std::min(minX, q.x());
        minY = std::min(minY, q.y());
        maxX = std::max(maxX, q.x());
        maxY = std::max(maxY, q.y());
    }
    return dlib::full_object_detection(dlib::rectangle(minX, minY, maxX, maxY), parts);
}

// 8-bit grey view of a BGR or grey image (no copy for grey input).
inline cv::Mat toGrey(const cv::Mat& image) {
    if (image.channels() == 1)
        return image;
    cv::Mat grey;
    cv::cvtColor(image, grey, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return grey;
}

// 8-bit BGR (copy only when needed).
inline cv::Mat toBgr(const cv::Mat& image) {
    if (image.channels() == 3)
        return image;
    cv::Mat bgr;
    cv::cvtColor(image, bgr, image.channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
    return bgr;
}

}  // namespace uketsuke::vision::detail
