// Face-vs-surroundings parallax cue (see pad_parallax.h).
#include "vision/pad/pad_parallax.h"

#include <algorithm>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "vision/order_statistics.h"

namespace uketsuke::vision::pad {
namespace {

cv::Rect widen(const cv::Rect& r, double f, const cv::Size& bounds) {
    const double cx = r.x + r.width / 2.0, cy = r.y + r.height / 2.0;
    const cv::Rect w(cvRound(cx - r.width * f / 2), cvRound(cy - r.height * f / 2),
                     cvRound(r.width * f), cvRound(r.height * f));
    return w & cv::Rect(cv::Point(0, 0), bounds);
}

}  // namespace

void ParallaxCue::addFrame(const PadFrame& frame) {
    if (frame.bgr.empty())
        return;
    const double s = options_.workScale;
    Sample now;
    now.t = frame.timestampMs;
    cv::Mat small;
    cv::resize(frame.bgr, small, cv::Size(), s, s, cv::INTER_AREA);
    cv::cvtColor(small, now.grey, cv::COLOR_BGR2GRAY);
    for (int i = 0; i < kLandmarkCount; ++i)
        now.landmarks[i] = frame.landmarks[i] * static_cast<float>(s);
    now.box = cv::Rect(cvRound(frame.faceBox.x * s), cvRound(frame.faceBox.y * s),
                       cvRound(frame.faceBox.width * s), cvRound(frame.faceBox.height * s));

    // The earliest remaining frame within the baseline range.
    const Sample* earlier = nullptr;
    for (const auto& h : history_) {
        const std::int64_t baseline = now.t - h.t;
        if (baseline >= options_.minBaselineMs && baseline <= options_.maxBaselineMs) {
            earlier = &h;
            break;
        }
    }
    if (earlier && earlier->grey.size() == now.grey.size()) {
        const double height = std::max(1, now.box.height);
        double motion = 0.0;
        for (int i = 0; i < kLandmarkCount; ++i)
            motion += cv::norm(now.landmarks[i] - earlier->landmarks[i]);
        motion /= kLandmarkCount;
        if (motion >= std::max(2.0 * s * 2, options_.minMotion * height)) {
            cv::Mat mask(earlier->grey.size(), CV_8U, cv::Scalar(0));
            mask(widen(earlier->box, 2.2, mask.size())).setTo(255);
            mask(widen(earlier->box, 1.15, mask.size())).setTo(0);
            std::vector<cv::Point2f> p0, p1;
            cv::goodFeaturesToTrack(earlier->grey, p0, 120, 0.01, 4, mask);
            if (p0.size() >= static_cast<std::size_t>(options_.minPoints)) {
                std::vector<uchar> status;
                std::vector<float> err;
                cv::calcOpticalFlowPyrLK(earlier->grey, now.grey, p0, p1, status, err,
                                         cv::Size(21, 21), 3);
                const std::vector<cv::Point2f> a(earlier->landmarks.begin(),
                                                 earlier->landmarks.end()),
                    b(now.landmarks.begin(), now.landmarks.end());
                cv::Mat h;
                try {
                    h = cv::findHomography(a, b, cv::RANSAC, 0.03 * height);
                } catch (const cv::Exception&) {
                }
                if (!h.empty()) {
                    std::vector<cv::Point2f> predicted;
                    cv::perspectiveTransform(p0, predicted, h);
                    const double tol = std::max(1.5, options_.tolerance * height);
                    int with = 0, still = 0;
                    for (std::size_t i = 0; i < p0.size(); ++i) {
                        if (!status[i])
                            continue;
                        const double eFace = cv::norm(predicted[i] - p1[i]);
                        const double eStatic = cv::norm(p0[i] - p1[i]);
                        if (eFace < tol && eFace < 0.5 * eStatic)
                            ++with;
                        else if (eStatic < tol && eStatic < 0.5 * eFace)
                            ++still;
                    }
                    if (with + still >= options_.minPoints)
                        coherence_.push_back(static_cast<double>(with) / (with + still));
                }
            }
        }
    }
    history_.push_back(std::move(now));
    while (!history_.empty() && history_.back().t - history_.front().t > options_.maxBaselineMs)
        history_.pop_front();
}

CueScore ParallaxCue::score() const {
    CueScore s;
    s.samples = static_cast<int>(coherence_.size());
    if (s.samples < options_.minPairs)
        return s;
    s.value = medianOf(coherence_);
    s.available = true;
    return s;
}

void ParallaxCue::reset() {
    history_.clear();
    coherence_.clear();
}

}  // namespace uketsuke::vision::pad
