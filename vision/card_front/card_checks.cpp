// Orientation, layout and screen checks (card_checks.h).
#include "vision/card_front/card_checks.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace uketsuke::vision::card_front {
namespace {

cv::Rect boxPx(const MmBox& b, double s, cv::Size bounds) {
    return cv::Rect(cvRound(b.x * s), cvRound(b.y * s), cvRound(b.w * s), cvRound(b.h * s)) &
           cv::Rect(cv::Point(0, 0), bounds);
}

MmBox turned(const MmBox& b, const CardFrontLayout& layout) {
    return {layout.widthMm - b.x - b.w, layout.heightMm - b.y - b.h, b.w, b.h};
}

}  // namespace

double inkCoverage(const cv::Mat& canonical, const MmBox& box, double pxPerMm) {
    // Card stock: the median of a coarse grid over the whole card (mostly paper).
    std::vector<uchar> samples[3];
    for (int y = 0; y < canonical.rows; y += 7)
        for (int x = 0; x < canonical.cols; x += 7) {
            const auto& p = canonical.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c)
                samples[c].push_back(p[c]);
        }
    cv::Vec3f paper;
    for (int c = 0; c < 3; ++c) {
        auto mid = samples[c].begin() + static_cast<std::ptrdiff_t>(samples[c].size() / 2);
        std::nth_element(samples[c].begin(), mid, samples[c].end());
        paper[c] = *mid;
    }
    // A pixel is "ink" when it is darker than the stock by a quarter of the stock's brightness
    // (relative, so a dim capture is judged like a bright one) or of a clearly different colour.
    const float brightness = std::max(30.f, (paper[0] + paper[1] + paper[2]) / 3);
    const cv::Rect r = boxPx(box, pxPerMm, canonical.size());
    if (r.empty())
        return 0;
    int ink = 0;
    for (int y = r.y; y < r.y + r.height; ++y)
        for (int x = r.x; x < r.x + r.width; ++x) {
            const auto& p = canonical.at<cv::Vec3b>(y, x);
            const float mean = (p[0] + p[1] + p[2]) / 3.f;
            float colour = 0;
            for (int c = 0; c < 3; ++c)
                colour = std::max(colour, std::abs((p[c] - mean) - (paper[c] - brightness)));
            if (brightness - mean > 0.25f * brightness || colour > 0.3f * brightness)
                ++ink;
        }
    return double(ink) / r.area();
}

Orientation detectOrientation(const cv::Mat& canonical, const CardFrontLayout& layout,
                              double pxPerMm, const OrientationOptions& options) {
    const double upright = inkCoverage(canonical, layout.photo, pxPerMm);
    const double flipped = inkCoverage(canonical, turned(layout.photo, layout), pxPerMm);
    if (upright >= options.photoMinCoverage && upright >= options.minCoverageRatio * flipped)
        return Orientation::kUpright;
    if (flipped >= options.photoMinCoverage && flipped >= options.minCoverageRatio * upright)
        return Orientation::kUpsideDown;
    // A photo washed out by glare has little "ink" but keeps its texture (hair, eyes, the
    // outline); then the title line, printed where the turned card has bare stock, tells the
    // way up.
    auto textured = [&](const MmBox& box) {
        cv::Mat grey;
        cv::cvtColor(canonical(boxPx(box, pxPerMm, canonical.size())), grey, cv::COLOR_BGR2GRAY);
        cv::Scalar mean, sd;
        cv::meanStdDev(grey, mean, sd);
        return sd[0] >= options.photoMinTexture;
    };
    const double title = inkCoverage(canonical, layout.title, pxPerMm);
    const double titleTurned = inkCoverage(canonical, turned(layout.title, layout), pxPerMm);
    if (textured(layout.photo) && title >= options.titleMinCoverage &&
        title >= options.titleMinRatio * titleTurned)
        return Orientation::kUpright;
    if (textured(turned(layout.photo, layout)) && titleTurned >= options.titleMinCoverage &&
        titleTurned >= options.titleMinRatio * title)
        return Orientation::kUpsideDown;
    return Orientation::kNoPhoto;
}

double screenTextureScore(const cv::Mat& bgr, const CardQuad& quad, bool turn180,
                          const CardFrontLayout& layout, const ScreenCheckOptions&) {
    // Card millimetres -> frame pixels.
    std::array<cv::Point2f, 4> mm{cv::Point2f(0, 0), cv::Point2f(float(layout.widthMm), 0),
                                  cv::Point2f(float(layout.widthMm), float(layout.heightMm)),
                                  cv::Point2f(0, float(layout.heightMm))};
    if (turn180)
        std::rotate(mm.begin(), mm.begin() + 2, mm.end());
    const cv::Mat h = cv::getPerspectiveTransform(mm.data(), quad.corners.data());
    const MmBox& b = layout.plainStock;
    std::vector<cv::Point2f> src{{float(b.x), float(b.y)},
                                 {float(b.x + b.w), float(b.y)},
                                 {float(b.x + b.w), float(b.y + b.h)},
                                 {float(b.x), float(b.y + b.h)}};
    std::vector<cv::Point2f> dst;
    cv::perspectiveTransform(src, dst, h);
    // The largest axis-aligned rectangle safely inside the mapped box: shrink its bounding box.
    cv::Rect r = cv::boundingRect(dst);
    r.x += r.width / 4, r.y += r.height / 4, r.width /= 2, r.height /= 2;
    r &= cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (r.width < 8 || r.height < 8)
        return 0;
    cv::Mat grey, f, smooth;
    cv::cvtColor(bgr(r), grey, cv::COLOR_BGR2GRAY);
    grey.convertTo(f, CV_32F);
    cv::GaussianBlur(f, smooth, cv::Size(0, 0), 1.5);
    cv::Scalar mean, stddev;
    cv::meanStdDev(f - smooth, mean, stddev);
    const double brightness = std::max(1.0, cv::mean(smooth)[0]);
    return stddev[0] / brightness;
}

}  // namespace uketsuke::vision::card_front
