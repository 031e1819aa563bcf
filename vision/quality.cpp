// Face quality measures and the guidance they imply (see quality.h for the thresholds).
#include "vision/quality.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace uketsuke::vision {
namespace {

constexpr std::array<GuidanceInfo, 10> kGuidance{{
    {Guidance::kNone, "none", "the face is good enough to compare"},
    {Guidance::kComeCloser, "come_closer", "the face is too small: come closer to the camera"},
    {Guidance::kMoveBack, "move_back", "the face fills the frame: move back a little"},
    {Guidance::kCentreFace, "centre_face", "the face is off-centre: move into the guide frame"},
    {Guidance::kFaceCamera, "face_camera",
     "the head is turned or tilted: look straight at the camera"},
    {Guidance::kOpenEyes, "open_eyes", "the eyes look closed: keep the eyes open"},
    {Guidance::kRemoveMask, "remove_mask", "the lower face is covered: remove the mask"},
    {Guidance::kMoreLight, "more_light", "the face is too dark"},
    {Guidance::kLessLight, "less_light", "the face is overexposed"},
    {Guidance::kHoldStill, "hold_still", "the face is blurred or moving: hold still"},
}};

// Generic 3-D face (mm-like units; x right, y down, z away from the camera) for solvePnP: the six
// points commonly used for head pose (nose tip, chin, outer eye corners, mouth corners).
const std::array<cv::Point3d, 6> kModelPoints{{
    {0.0, 0.0, 0.0},          // 30 nose tip
    {0.0, 330.0, 65.0},       // 8 chin
    {-225.0, -170.0, 135.0},  // 36 outer corner of the image-left eye
    {225.0, -170.0, 135.0},   // 45 outer corner of the image-right eye
    {-150.0, 150.0, 125.0},   // 48 image-left mouth corner
    {150.0, 150.0, 125.0},    // 54 image-right mouth corner
}};
constexpr std::array<int, 6> kModelLandmarks{30, 8, 36, 45, 48, 54};

double dist(const cv::Point2f& a, const cv::Point2f& b) {
    return cv::norm(a - b);
}

double eyeRatio(const Landmarks68& p, int first) {
    const double width = dist(p[first], p[first + 3]);
    if (width <= 1e-6)
        return 0.0;
    return (dist(p[first + 1], p[first + 5]) + dist(p[first + 2], p[first + 4])) / (2.0 * width);
}

cv::Rect clipped(const cv::Rect& r, const cv::Mat& image) {
    return r & cv::Rect(0, 0, image.cols, image.rows);
}

cv::Rect boundsOf(std::initializer_list<cv::Point2f> points) {
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (const auto& p : points) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    return cv::Rect(cv::Point(static_cast<int>(std::floor(x0)), static_cast<int>(std::floor(y0))),
                    cv::Point(static_cast<int>(std::ceil(x1)), static_cast<int>(std::ceil(y1))));
}

// Lower-face occlusion: compares the skin between brows and eyes (never covered by a mask) with
// the region between the lower lip and the chin (always covered by one). A mask differs from skin
// in colour (chroma in YCrCb) or in brightness (white, black masks). On a grey image only the
// brightness term is available. Beards and strong under-lighting also raise the score: that is
// the measure's known false alarm, and why it only asks, never decides a match.
double lowerFaceOcclusion(const cv::Mat& image, const Landmarks68& p) {
    const cv::Rect upper = clipped(boundsOf({p[19], p[24], p[37], p[44]}), image);
    const cv::Rect lower = clipped(boundsOf({p[57], p[58], p[56], p[8], p[7], p[9]}), image);
    if (upper.area() < 16 || lower.area() < 16)
        return 1.0;  // cannot see it: treat as covered
    double chroma = 0.0;
    cv::Scalar up, low;
    if (image.channels() == 3) {
        cv::Mat ycrcbUp, ycrcbLow;
        cv::cvtColor(image(upper), ycrcbUp, cv::COLOR_BGR2YCrCb);
        cv::cvtColor(image(lower), ycrcbLow, cv::COLOR_BGR2YCrCb);
        up = cv::mean(ycrcbUp);
        low = cv::mean(ycrcbLow);
        chroma = std::hypot(up[1] - low[1], up[2] - low[2]);
    } else {
        up = cv::mean(image(upper));
        low = cv::mean(image(lower));
    }
    const double lumaRatio = std::abs(up[0] - low[0]) / std::max(40.0, up[0]);
    // Scaled so that 0.5 is a chroma difference of 18 or a brightness difference of 45 %.
    return std::clamp(std::max(chroma / 36.0, lumaRatio / 0.9), 0.0, 1.0);
}

}  // namespace

const GuidanceInfo& guidanceInfo(Guidance guidance) {
    for (const auto& info : kGuidance)
        if (info.code == guidance)
            return info;
    assert(false && "Guidance without a table entry");
    return kGuidance[0];
}

double eyeAspectRatio(const Landmarks68& landmarks) {
    return (eyeRatio(landmarks, 36) + eyeRatio(landmarks, 42)) / 2.0;
}

cv::Rect faceBoxFromLandmarks(const Landmarks68& p) {
    float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
    for (int i = 0; i <= 16; ++i) {
        x0 = std::min(x0, p[i].x);
        x1 = std::max(x1, p[i].x);
        y1 = std::max(y1, p[i].y);
    }
    for (int i = 17; i <= 26; ++i)
        y0 = std::min(y0, p[i].y);
    return cv::Rect(cv::Point(static_cast<int>(x0), static_cast<int>(y0)),
                    cv::Point(static_cast<int>(x1), static_cast<int>(y1)));
}

HeadPose estimateHeadPose(const Landmarks68& p, cv::Size imageSize) {
    HeadPose pose;
    // Roll straight from the line through the eye centres: more stable than the PnP roll.
    cv::Point2f left(0, 0), right(0, 0);
    for (int i = 36; i <= 41; ++i)
        left += p[i] / 6.0f;
    for (int i = 42; i <= 47; ++i)
        right += p[i] / 6.0f;
    pose.rollDeg = std::atan2(right.y - left.y, right.x - left.x) * 180.0 / CV_PI;
    try {
        std::vector<cv::Point2d> image;
        for (int i : kModelLandmarks)
            image.emplace_back(p[i].x, p[i].y);
        const std::vector<cv::Point3d> model(kModelPoints.begin(), kModelPoints.end());
        const double focal = std::max(imageSize.width, imageSize.height);
        const cv::Matx33d camera(focal, 0, imageSize.width / 2.0, 0, focal, imageSize.height / 2.0,
                                 0, 0, 1);
        cv::Mat rvec, tvec;
        if (!cv::solvePnP(model, image, camera, cv::noArray(), rvec, tvec, false,
                          cv::SOLVEPNP_ITERATIVE))
            return pose;
        cv::Mat rotation;
        cv::Rodrigues(rvec, rotation);
        cv::Mat mtxR, mtxQ;
        const cv::Vec3d euler = cv::RQDecomp3x3(rotation, mtxR, mtxQ);
        pose.pitchDeg = -euler[0];
        pose.yawDeg = euler[1];
        pose.valid = std::isfinite(pose.pitchDeg) && std::isfinite(pose.yawDeg);
    } catch (const cv::Exception&) {
        pose.valid = false;
    }
    return pose;
}

FaceQuality assessQuality(const cv::Mat& image, const Landmarks68& landmarks,
                          const QualityThresholds& t, const Landmarks68* previous) {
    FaceQuality q;
    if (image.empty()) {
        q.guidance.push_back(Guidance::kComeCloser);
        return q;
    }
    const cv::Rect face = faceBoxFromLandmarks(landmarks);
    const cv::Rect visible = clipped(face, image);
    q.faceHeightPx = face.height;
    q.faceFraction = static_cast<double>(face.height) / image.rows;
    const cv::Point2d centre(face.x + face.width / 2.0, face.y + face.height / 2.0);
    q.centreOffset = std::max(std::abs(centre.x - image.cols / 2.0) / image.cols,
                              std::abs(centre.y - image.rows / 2.0) / image.rows);
    const bool cut = visible.area() < face.area() * 0.9;

    if (visible.width >= 8 && visible.height >= 8) {
        cv::Mat grey;
        if (image.channels() == 3)
            cv::cvtColor(image(visible), grey, cv::COLOR_BGR2GRAY);
        else
            grey = image(visible);
        cv::Mat resized, laplacian;
        const double s = 128.0 / grey.rows;
        cv::resize(grey, resized, cv::Size(), s, s, s < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
        cv::Laplacian(resized, laplacian, CV_64F);
        cv::Scalar mean, stddev;
        cv::meanStdDev(laplacian, mean, stddev);
        q.sharpness = stddev[0] * stddev[0];
        q.meanLuma = cv::mean(grey)[0];
        const double n = static_cast<double>(grey.total());
        q.darkFraction = cv::countNonZero(grey <= 10) / n;
        q.brightFraction = cv::countNonZero(grey >= 245) / n;
        q.lowerFaceOcclusion = lowerFaceOcclusion(image, landmarks);
    }
    q.pose = estimateHeadPose(landmarks, image.size());
    q.eyeAspectRatio = eyeAspectRatio(landmarks);
    if (previous != nullptr && face.height > 0) {
        double sum = 0.0;
        for (int i = 0; i < kLandmarkCount; ++i)
            sum += dist(landmarks[i], (*previous)[i]);
        q.motionFraction = sum / kLandmarkCount / face.height;
    }

    // Guidance, most important first: distance, position, light, pose, mask, eyes, stillness.
    auto add = [&q](Guidance g) {
        if (std::find(q.guidance.begin(), q.guidance.end(), g) == q.guidance.end())
            q.guidance.push_back(g);
    };
    if (q.faceHeightPx < t.minFaceHeightPx || q.faceFraction < t.minFaceFraction)
        add(Guidance::kComeCloser);
    if (q.faceFraction > t.maxFaceFraction)
        add(Guidance::kMoveBack);
    if (q.centreOffset > t.maxCentreOffset || cut)
        add(Guidance::kCentreFace);
    if (q.meanLuma < t.minMeanLuma || q.darkFraction > t.maxClippedFraction)
        add(Guidance::kMoreLight);
    if (q.meanLuma > t.maxMeanLuma || q.brightFraction > t.maxClippedFraction)
        add(Guidance::kLessLight);
    if (!q.pose.valid || std::abs(q.pose.yawDeg) > t.maxAbsYawDeg ||
        std::abs(q.pose.pitchDeg) > t.maxAbsPitchDeg || std::abs(q.pose.rollDeg) > t.maxAbsRollDeg)
        add(Guidance::kFaceCamera);
    if (q.lowerFaceOcclusion > t.maxLowerFaceOcclusion)
        add(Guidance::kRemoveMask);
    if (q.eyeAspectRatio < t.minEyeAspectRatio)
        add(Guidance::kOpenEyes);
    if (q.sharpness < t.minSharpness ||
        (q.motionFraction && *q.motionFraction > t.maxMotionFraction))
        add(Guidance::kHoldStill);
    return q;
}

}  // namespace uketsuke::vision
