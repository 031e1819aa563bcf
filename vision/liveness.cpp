// Passive multi-frame liveness (see liveness.h for what it can and cannot catch).
#include "vision/liveness.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>

#include "vision/order_statistics.h"
#include "vision/quality.h"

namespace uketsuke::vision {
namespace {

class PassiveLivenessCheck final : public LivenessCheck {
  public:
    explicit PassiveLivenessCheck(LivenessOptions options) : options_(options) {}

    void addFrame(std::int64_t, const Landmarks68& landmarks) override {
        const double ear = eyeAspectRatio(landmarks);
        // Blink: open -> closed -> open, with hysteresis so that landmark jitter is no blink.
        if (ear > options_.openEyeAspectRatio) {
            if (eyesClosedSinceOpen_)
                blinkSeen_ = true;
            eyesOpenSeen_ = true;
            eyesClosedSinceOpen_ = false;
        } else if (ear < options_.closedEyeAspectRatio && eyesOpenSeen_) {
            eyesClosedSinceOpen_ = true;
        }
        if (previous_)
            residuals_.push_back(nonRigidResidual(*previous_, landmarks));
        previous_ = landmarks;
        ++frames_;
    }

    LivenessResult evaluate() const override {
        LivenessResult r;
        r.framesUsed = frames_;
        r.blinkSeen = blinkSeen_;
        if (!residuals_.empty()) {
            r.nonRigidResidual = medianOf(residuals_);
        }
        if (blinkSeen_ && options_.blinkAlone) {
            r.verdict = LivenessVerdict::kLive;
        } else if (frames_ < options_.minFrames) {
            r.verdict = LivenessVerdict::kInsufficientEvidence;
        } else {
            r.verdict = r.nonRigidResidual >= options_.minNonRigidResidual
                            ? LivenessVerdict::kLive
                            : LivenessVerdict::kSpoofSuspected;
        }
        return r;
    }

    void reset() override { *this = PassiveLivenessCheck(options_); }

  private:
    // Mean distance between the landmarks and the previous landmarks mapped by the best
    // least-squares homography, as a fraction of the face height. A plane (photo, screen) moves
    // by one homography: only landmark noise remains.
    static double nonRigidResidual(const Landmarks68& from, const Landmarks68& to) {
        const std::vector<cv::Point2f> a(from.begin(), from.end()), b(to.begin(), to.end());
        std::vector<cv::Point2f> mapped;
        try {
            const cv::Mat h = cv::findHomography(a, b, 0);
            if (h.empty())
                return 0.0;
            cv::perspectiveTransform(a, mapped, h);
        } catch (const cv::Exception&) {
            return 0.0;  // degenerate point set (all landmarks collapsed): no evidence of life
        }
        double sum = 0.0;
        for (std::size_t i = 0; i < b.size(); ++i)
            sum += cv::norm(mapped[i] - b[i]);
        const double height = std::max(1, faceBoxFromLandmarks(to).height);
        return sum / b.size() / height;
    }

    LivenessOptions options_;
    std::optional<Landmarks68> previous_;
    std::vector<double> residuals_;
    int frames_ = 0;
    bool eyesOpenSeen_ = false;
    bool eyesClosedSinceOpen_ = false;
    bool blinkSeen_ = false;
};

}  // namespace

std::string_view name(LivenessVerdict verdict) {
    switch (verdict) {
        case LivenessVerdict::kLive:
            return "live";
        case LivenessVerdict::kSpoofSuspected:
            return "spoof_suspected";
        case LivenessVerdict::kInsufficientEvidence:
            return "insufficient_evidence";
        case LivenessVerdict::kUnsure:
            return "unsure";
    }
    return "unknown";
}

std::unique_ptr<LivenessCheck> createPassiveLivenessCheck(LivenessOptions options) {
    return std::make_unique<PassiveLivenessCheck>(options);
}

}  // namespace uketsuke::vision
