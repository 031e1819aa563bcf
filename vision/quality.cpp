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

// The face region proper: the polygon of the jaw line (0-16) closed over the brows (26..17), so
// that the background beside the cheeks and under the jaw (a bright wall, a window) does not count
// as the face's exposure.
cv::Mat facePolygonMask(const Landmarks68& p, const cv::Rect& box) {
    cv::Mat mask = cv::Mat::zeros(box.size(), CV_8U);
    std::vector<cv::Point> polygon;
    for (int i = 0; i <= 16; ++i)
        polygon.emplace_back(cvRound(p[i].x) - box.x, cvRound(p[i].y) - box.y);
    for (int i = 26; i >= 17; --i)
        polygon.emplace_back(cvRound(p[i].x) - box.x, cvRound(p[i].y) - box.y);
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(255));
    return mask;
}

// A square patch of side `side` centred on `centre`, clipped to the image.
cv::Rect patchAt(cv::Point2f centre, double side, const cv::Mat& image) {
    const int s = std::max(3, static_cast<int>(side));
    return clipped(cv::Rect(cvRound(centre.x - s / 2.0), cvRound(centre.y - s / 2.0), s, s), image);
}

// Fraction of a patch's pixels outside the skin-chroma box of Chai & Ngan (1999): Cr 133..173,
// Cb 77..127 in YCrCb. Surgical masks (white, light blue, black, grey) fall outside; skin under
// make-up, blush or a smile stays inside.
double nonSkinFraction(const cv::Mat& bgrPatch) {
    cv::Mat ycrcb, skin, exposed;
    cv::cvtColor(bgrPatch, ycrcb, cv::COLOR_BGR2YCrCb);
    // Clipped pixels (overexposed skin, deep shadow) carry no colour: they count neither way.
    cv::inRange(ycrcb, cv::Scalar(11, 0, 0), cv::Scalar(244, 255, 255), exposed);
    cv::inRange(ycrcb, cv::Scalar(11, 133, 77), cv::Scalar(244, 173, 127), skin);
    const double n = cv::countNonZero(exposed);
    if (n < 0.3 * static_cast<double>(exposed.total()))
        return 0.0;  // mostly clipped: no colour evidence
    return 1.0 - cv::countNonZero(skin) / n;
}

// How unlike the reference skin a patch is, in [0, 1]. Colour: the patch's non-skin fraction
// beyond the reference patch's (a colour cast of the camera moves both). Grey: only brightness is
// available; 0.5 = a difference of 45 % (white and black masks).
double unlikeSkin(const cv::Mat& image, const cv::Rect& patch, const cv::Rect& reference) {
    if (patch.area() < 9)
        return 1.0;  // cannot see it: treat as covered
    if (image.channels() == 3)
        return std::clamp(nonSkinFraction(image(patch)) - nonSkinFraction(image(reference)), 0.0,
                          1.0);
    const double ref = cv::mean(image(reference))[0];
    const double lumaRatio = std::abs(ref - cv::mean(image(patch))[0]) / std::max(40.0, ref);
    return std::clamp(lumaRatio / 0.9, 0.0, 1.0);
}

// Lower-face occlusion: the skin between brows and eyes (never covered by a mask) against three
// patches a mask always covers and an open mouth never does: each lower cheek (between the jaw
// line and the mouth corner) and the chin (between the lower lip and the jaw's lowest point). The
// score is the median of the three, so one odd patch (a beard on the chin, a shadow on one cheek)
// does not fire it, and the mouth itself (teeth, dark interior of an open mouth) is never looked
// at.
double lowerFaceOcclusion(const cv::Mat& image, const Landmarks68& p) {
    const cv::Rect upper = clipped(boundsOf({p[19], p[24], p[37], p[44]}), image);
    if (upper.area() < 16)
        return 1.0;  // cannot see it: treat as covered
    const double faceHeight = std::max(8.0, static_cast<double>(p[8].y - p[27].y));
    const double side = 0.14 * faceHeight;
    std::array<double, 3> scores{
        unlikeSkin(image, patchAt((p[4] + p[48]) * 0.5f, side, image), upper),
        unlikeSkin(image, patchAt((p[12] + p[54]) * 0.5f, side, image), upper),
        unlikeSkin(image, patchAt(p[8] + (p[57] - p[8]) * 0.35f, side * 0.8, image), upper)};
    std::sort(scores.begin(), scores.end());
    return scores[1];
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
        image.reserve(kModelLandmarks.size());
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

std::vector<GateFinding> explainQuality(const FaceQuality& q, const QualityThresholds& t) {
    // Most important first: distance, position, light, pose, mask, eyes, stillness.
    std::vector<GateFinding> out;
    auto below = [&out](Guidance g, std::string_view measure, double value, double limit) {
        if (value < limit)
            out.push_back({g, measure, value, "<", limit});
    };
    auto above = [&out](Guidance g, std::string_view measure, double value, double limit) {
        if (value > limit)
            out.push_back({g, measure, value, ">", limit});
    };
    below(Guidance::kComeCloser, "face_height_px", q.faceHeightPx, t.minFaceHeightPx);
    below(Guidance::kComeCloser, "face_fraction", q.faceFraction, t.minFaceFraction);
    above(Guidance::kMoveBack, "face_fraction", q.faceFraction, t.maxFaceFraction);
    // A face cut by the frame edge while large: too close to fit, not off-centre.
    if (q.cut && q.faceFraction > t.maxFaceFraction * 0.75)
        out.push_back({Guidance::kMoveBack, "face_cut_and_fraction", q.faceFraction, ">",
                       t.maxFaceFraction * 0.75});
    above(Guidance::kCentreFace, "centre_offset", q.centreOffset, t.maxCentreOffset);
    if (q.cut)
        out.push_back({Guidance::kCentreFace, "face_cut_by_frame_edge", 1.0, ">", 0.0});
    below(Guidance::kMoreLight, "mean_luma", q.meanLuma, t.minMeanLuma);
    above(Guidance::kMoreLight, "dark_fraction", q.darkFraction, t.maxClippedFraction);
    above(Guidance::kLessLight, "mean_luma", q.meanLuma, t.maxMeanLuma);
    above(Guidance::kLessLight, "bright_fraction", q.brightFraction, t.maxBrightClippedFraction);
    if (!q.pose.valid)
        out.push_back({Guidance::kFaceCamera, "pose_valid", 0.0, "<", 1.0});
    above(Guidance::kFaceCamera, "abs_yaw_deg", std::abs(q.pose.yawDeg), t.maxAbsYawDeg);
    above(Guidance::kFaceCamera, "abs_pitch_deg", std::abs(q.pose.pitchDeg), t.maxAbsPitchDeg);
    above(Guidance::kFaceCamera, "abs_roll_deg", std::abs(q.pose.rollDeg), t.maxAbsRollDeg);
    above(Guidance::kRemoveMask, "lower_face_occlusion", q.lowerFaceOcclusion,
          t.maxLowerFaceOcclusion);
    below(Guidance::kOpenEyes, "eye_aspect_ratio", q.eyeAspectRatio, t.minEyeAspectRatio);
    below(Guidance::kHoldStill, "sharpness", q.sharpness, t.minSharpness);
    if (q.motionFraction)
        above(Guidance::kHoldStill, "motion_fraction", *q.motionFraction, t.maxMotionFraction);
    return out;
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
        // Exposure on the face polygon only (not the box's background corners).
        cv::Mat region = facePolygonMask(landmarks, visible);
        if (cv::countNonZero(region) < 16)
            region = cv::Mat(grey.size(), CV_8U, cv::Scalar(255));
        const double n = cv::countNonZero(region);
        q.meanLuma = cv::mean(grey, region)[0];
        q.darkFraction = cv::countNonZero((grey <= 10) & region) / n;
        q.brightFraction = cv::countNonZero((grey >= 245) & region) / n;
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

    q.cut = cut;
    for (const GateFinding& f : explainQuality(q, t))
        if (std::find(q.guidance.begin(), q.guidance.end(), f.guidance) == q.guidance.end())
            q.guidance.push_back(f.guidance);
    return q;
}

}  // namespace uketsuke::vision
