// Fusion of the presentation-attack cues (see presentation_attack.h).
#include "vision/pad/presentation_attack.h"

#include "vision/quality.h"

namespace uketsuke::vision::pad {
namespace {

LivenessCue toCue(const CueScore& s) {
    return LivenessCue{s.available, s.value, s.samples};
}

class PresentationAttackCheck final : public LivenessCheck {
  public:
    PresentationAttackCheck(PadOptions options, const TextureModel* model, LivenessNet* net)
        : options_(options),
          model_(model),
          planarity_(options.planarity),
          parallax_(options.parallax) {
        if (model_)
            texture_ = std::make_unique<TextureCue>(*model_, 3, options.textureEveryNth);
        if (net)
            net_ = std::make_unique<LivenessNetCue>(*net, 3, options.textureEveryNth);
    }

    void addFrame(std::int64_t timestampMs, const Landmarks68& landmarks) override {
        addCameraFrame(timestampMs, landmarks, cv::Mat(), faceBoxFromLandmarks(landmarks));
    }

    void addCameraFrame(std::int64_t timestampMs, const Landmarks68& landmarks, const cv::Mat& bgr,
                        const cv::Rect& faceBox) override {
        if (frames_ == 0)
            firstMs_ = timestampMs;
        lastMs_ = timestampMs;
        ++frames_;
        const double ear = eyeAspectRatio(landmarks);
        if (ear > options_.blink.openEyeAspectRatio) {
            if (eyesClosedSinceOpen_)
                blinkSeen_ = true;
            eyesOpenSeen_ = true;
            eyesClosedSinceOpen_ = false;
        } else if (ear < options_.blink.closedEyeAspectRatio && eyesOpenSeen_) {
            eyesClosedSinceOpen_ = true;
        }
        const PadFrame frame{timestampMs, bgr, landmarks, faceBox};
        planarity_.addFrame(frame);
        if (!bgr.empty()) {
            parallax_.addFrame(frame);
            if (texture_)
                texture_->addFrame(frame);
            if (net_)
                net_->addFrame(frame);
        }
    }

    LivenessResult evaluate() const override {
        LivenessResult r;
        r.framesUsed = frames_;
        r.blinkSeen = blinkSeen_;
        r.planarity = toCue(planarity_.score());
        r.parallax = toCue(parallax_.score());
        if (texture_)
            r.texture = toCue(texture_->score());
        r.textureModel = texture_ != nullptr;
        if (net_)
            r.net = toCue(net_->score());
        r.netModel = net_ != nullptr;
        r.nonRigidResidual = r.planarity.value;
        fuseCues(options_, frames_, lastMs_ - firstMs_, r);
        return r;
    }

    void reset() override {
        planarity_.reset();
        parallax_.reset();
        if (texture_)
            texture_->reset();
        if (net_)
            net_->reset();
        frames_ = 0;
        firstMs_ = lastMs_ = 0;
        eyesOpenSeen_ = eyesClosedSinceOpen_ = blinkSeen_ = false;
    }

  private:
    PadOptions options_;
    const TextureModel* model_;
    PlanarityCue planarity_;
    ParallaxCue parallax_;
    std::unique_ptr<TextureCue> texture_;
    std::unique_ptr<LivenessNetCue> net_;
    int frames_ = 0;
    std::int64_t firstMs_ = 0, lastMs_ = 0;
    bool eyesOpenSeen_ = false, eyesClosedSinceOpen_ = false, blinkSeen_ = false;
};

}  // namespace

void fuseCues(const PadOptions& options, int frames, std::int64_t windowMs, LivenessResult& r) {
    r.reason = {};
    if (frames < options.minFrames || windowMs < options.minWindowMs) {
        r.verdict = LivenessVerdict::kInsufficientEvidence;
        return;
    }
    // Appearance: the texture margin, plus the weighted network logit when both are there.
    const bool bothAppearance = r.textureModel && r.netModel;
    const bool appearanceAvailable =
        r.texture.available && (!bothAppearance || options.netWeight == 0.0 || r.net.available);
    const double appearance =
        r.texture.value +
        (bothAppearance && r.net.available ? options.netWeight * r.net.value : 0.0);
    const double appearanceLive = bothAppearance ? options.textureLive : options.textureOnlyLive;
    const double appearanceAttack =
        bothAppearance ? options.textureAttack : options.textureOnlyAttack;
    // Any cue that says attack refuses.
    if (appearanceAvailable && appearance < appearanceAttack) {
        r.verdict = LivenessVerdict::kSpoofSuspected;
        r.reason = "texture";
        return;
    }
    if (r.net.available && r.net.value < options.netAttack) {
        r.verdict = LivenessVerdict::kSpoofSuspected;
        r.reason = "network";
        return;
    }
    if (r.parallax.available && r.parallax.value >= options.parallaxAttack) {
        r.verdict = LivenessVerdict::kSpoofSuspected;
        r.reason = "parallax";
        return;
    }
    if (r.planarity.available && r.planarity.value < options.planarityAttack && !r.blinkSeen) {
        r.verdict = LivenessVerdict::kSpoofSuspected;
        r.reason = "planarity";
        return;
    }
    const bool geometryLive =
        r.blinkSeen || (r.planarity.available && r.planarity.value >= options.planarityLive) ||
        (r.parallax.available && r.parallax.value <= options.parallaxLive);
    const bool textureLive =
        (!r.textureModel || (appearanceAvailable && appearance >= appearanceLive)) &&
        (!r.netModel || (r.net.available && r.net.value >= options.netLive));
    const bool appearanceStrong = bothAppearance && appearanceAvailable && r.net.available &&
                                  appearance >= options.textureStrong &&
                                  r.net.value >= options.netStrong;
    if (textureLive && (geometryLive || appearanceStrong)) {
        r.verdict = LivenessVerdict::kLive;
        r.reason = r.blinkSeen ? "blink+texture"
                   : r.planarity.available && r.planarity.value >= options.planarityLive
                       ? "planarity+texture"
                   : geometryLive ? "parallax+texture"
                                  : "texture+network";
    } else {
        r.verdict = LivenessVerdict::kUnsure;
        r.reason = !textureLive ? "texture_unsure" : "geometry_unsure";
    }
}

std::unique_ptr<LivenessCheck> createPresentationAttackCheck(PadOptions options,
                                                             const TextureModel* texture,
                                                             LivenessNet* net) {
    return std::make_unique<PresentationAttackCheck>(options, texture, net);
}

}  // namespace uketsuke::vision::pad
