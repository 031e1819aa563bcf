// The active liveness challenge (see challenge.h).
#include "vision/challenge.h"

#include <algorithm>
#include <cmath>

#include "vision/quality.h"

namespace uketsuke::vision {
namespace {

cv::Point2f meanOf(const Landmarks68& l, int from, int to) {
    cv::Point2f sum(0.f, 0.f);
    for (int i = from; i <= to; ++i)
        sum += l[static_cast<std::size_t>(i)];
    return sum * (1.f / static_cast<float>(to - from + 1));
}

double interOcular(const Landmarks68& l) {
    return std::max(1.0, static_cast<double>(cv::norm(meanOf(l, 36, 41) - meanOf(l, 42, 47))));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

}  // namespace

std::string_view challengeActionName(ChallengeAction action) {
    switch (action) {
        case ChallengeAction::kTurnLeft:
            return "turn-left";
        case ChallengeAction::kTurnRight:
            return "turn-right";
        case ChallengeAction::kBlinkTwice:
            return "blink-twice";
    }
    return "unknown";
}

double yawFromLandmarks(const Landmarks68& l) {
    // Nose tip between the jaw ends: 0.5 of the way when frontal. In a non-mirrored image the
    // person's left is the image's right, and turning to their left brings the nose towards it.
    const double left = l[0].x, right = l[16].x;
    const double width = right - left;
    if (std::abs(width) < 1.0)
        return 0.0;
    return 2.0 * ((l[30].x - left) / width - 0.5);
}

ChallengeCheck::ChallengeCheck(ChallengeAction action, std::int64_t promptAtMs,
                               ChallengeOptions options)
    : action_(action), promptAtMs_(promptAtMs), o_(options) {}

std::optional<double> ChallengeCheck::restYaw() const {
    std::vector<double> yaws;
    for (const auto& s : preprompt_)
        if (s.ms >= promptAtMs_ - o_.baselineMs)
            yaws.push_back(s.yaw);
    if (yaws.empty())
        return std::nullopt;
    return median(std::move(yaws));
}

void ChallengeCheck::checkDeadline(std::int64_t timestampMs) {
    if (timestampMs > promptAtMs_ + o_.responseWindowMs)
        decide(ChallengeVerdict::kNoResponse);
}

void ChallengeCheck::addFrameWithoutFace(std::int64_t timestampMs) {
    if (verdict_ != ChallengeVerdict::kPending)
        return;
    lastMs_ = timestampMs;
    lastNeutral_ = false;
    if (lastFaceMs_ && timestampMs - *lastFaceMs_ > o_.maxFaceGapMs)
        decide(ChallengeVerdict::kFaceLost);
    checkDeadline(timestampMs);
}

void ChallengeCheck::addFrame(std::int64_t ts, const Landmarks68& landmarks) {
    if (verdict_ != ChallengeVerdict::kPending)
        return;
    lastMs_ = ts;
    lastNeutral_ = false;
    // Continuity: a gap without the face, or the whole face jumping between two frames, is a
    // presentation swapped during the challenge.
    if (lastFaceMs_ && ts - *lastFaceMs_ > o_.maxFaceGapMs) {
        decide(ChallengeVerdict::kFaceLost);
        return;
    }
    if (previous_) {
        double shift = 0.0;
        for (int i = 0; i < kLandmarkCount; ++i)
            shift += cv::norm(landmarks[static_cast<std::size_t>(i)] -
                              (*previous_)[static_cast<std::size_t>(i)]);
        shift /= kLandmarkCount;
        if (shift / interOcular(landmarks) > o_.maxJump) {
            decide(ChallengeVerdict::kFaceLost);
            return;
        }
    }
    previous_ = landmarks;
    lastFaceMs_ = ts;

    const double raw = yawFromLandmarks(landmarks);
    recentYaw_.push_back(raw);
    if (recentYaw_.size() > 3)
        recentYaw_.erase(recentYaw_.begin());
    const double yaw = median(recentYaw_);
    const double ear = eyeAspectRatio(landmarks);

    if (ts < promptAtMs_) {
        preprompt_.push_back({ts, raw});
        if (preprompt_.size() > 256)
            preprompt_.erase(preprompt_.begin());
    } else if (!rest_) {
        rest_ = restYaw().value_or(raw);
    }

    // Eyes (for every action: blinks are tracked from the start, counted only after the prompt).
    if (ear > o_.openEyeAspectRatio) {
        if (!eyesOpen_ && closingMs_ && action_ == ChallengeAction::kBlinkTwice &&
            *closingMs_ >= promptAtMs_ + o_.minReactionMs &&
            ts <= promptAtMs_ + o_.responseWindowMs) {
            blinks_.push_back(*closingMs_);
        }
        eyesOpen_ = true;
        eyesOpenSeen_ = true;
        closingMs_.reset();
    } else if (ear < o_.closedEyeAspectRatio && eyesOpen_ && eyesOpenSeen_) {
        eyesOpen_ = false;
        closingMs_ = ts;
    }

    if (!rest_)
        return;  // before the prompt: nothing to decide yet
    const double sign = o_.mirrored ? -1.0 : 1.0;
    const double dev = sign * (yaw - *rest_);
    lastDeviation_ = dev;
    if (std::abs(dev) >= o_.turnStart) {
        if (!excursionStartMs_)
            excursionStartMs_ = ts;
    } else if (std::abs(dev) < o_.turnStart / 2) {
        excursionStartMs_.reset();
    }
    lastNeutral_ = std::abs(dev) < o_.turnStart / 2 && ear > o_.openEyeAspectRatio;

    if (std::abs(dev) >= o_.turnTarget && excursionStartMs_) {
        if (*excursionStartMs_ < promptAtMs_ + o_.minReactionMs) {
            decide(ChallengeVerdict::kTooEarly);
        } else if (ts > promptAtMs_ + o_.responseWindowMs) {
            decide(ChallengeVerdict::kNoResponse);
        } else if (action_ == ChallengeAction::kBlinkTwice) {
            decide(ChallengeVerdict::kWrongAnswer);
        } else {
            const bool left = dev > 0;
            decide(left == (action_ == ChallengeAction::kTurnLeft)
                       ? ChallengeVerdict::kPassed
                       : ChallengeVerdict::kWrongAnswer);
        }
        return;
    }
    if (action_ == ChallengeAction::kBlinkTwice && blinks_.size() >= 2 &&
        blinks_.back() - blinks_[blinks_.size() - 2] <= o_.maxBlinkGapMs) {
        decide(ChallengeVerdict::kPassed);
        return;
    }
    checkDeadline(ts);
}

ChallengeVerdict ChallengeCheck::finish() {
    decide(ChallengeVerdict::kNoResponse);
    return verdict_;
}

}  // namespace uketsuke::vision
