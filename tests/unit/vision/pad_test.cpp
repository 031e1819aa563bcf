// Presentation-attack detection without ../shared: the robust planarity cue on synthetic
// landmarks (a noisy plane vs a 3-D head), the fusion rule, the texture model's SHA-256 check
// and the attack generator's determinism.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "bench/pad/pad_attacks.h"
#include "vision/pad/presentation_attack.h"

namespace uketsuke::vision::pad {
namespace {

// 68 points of a face-like layout with a depth per point (nose forward, jaw back).
struct Head {
    std::array<cv::Point3d, kLandmarkCount> p;
};

Head makeHead() {
    Head h;
    auto set = [&](int i, double x, double y, double z) {
        h.p[static_cast<std::size_t>(i)] = cv::Point3d(x, y, z);
    };
    for (int i = 0; i <= 16; ++i) {  // jaw: ear to ear through the chin, sides further back
        const double a = CV_PI * i / 16.0;
        set(i, -75 * std::cos(a), -20 + 120 * std::sin(a), -70 * std::abs(std::cos(a)));
    }
    for (int i = 0; i < 5; ++i) {  // brows
        set(17 + i, -65 + 12 * i, -55 - 4 * std::sin(CV_PI * i / 4), 5);
        set(22 + i, 17 + 12 * i, -55 - 4 * std::sin(CV_PI * i / 4), 5);
    }
    for (int i = 0; i < 4; ++i)  // nose bridge to tip
        set(27 + i, 0, -40 + 15 * i, 15 + 10 * i);
    for (int i = 0; i < 5; ++i)  // nostrils
        set(31 + i, -16 + 8 * i, 18, 28 - 4 * std::abs(i - 2));
    const double eye[6][2] = {{-15, 0}, {-5, -5}, {5, -5}, {15, 0}, {5, 5}, {-5, 5}};
    for (int k = 0; k < 6; ++k) {  // eyes, open
        set(36 + k, -35 + eye[k][0], -28 + eye[k][1], 0);
        set(42 + k, 35 + eye[k][0], -28 + eye[k][1], 0);
    }
    for (int i = 0; i < 12; ++i) {  // outer lips
        const double a = 2 * CV_PI * i / 12.0;
        set(48 + i, -28 * std::cos(a), 55 + 12 * std::sin(a), 12);
    }
    for (int i = 0; i < 8; ++i) {  // inner lips
        const double a = 2 * CV_PI * i / 8.0;
        set(60 + i, -18 * std::cos(a), 55 + 4 * std::sin(a), 10);
    }
    return h;
}

// Projects the head (or its flattened copy: a photo) at yaw / pitch, with landmark jitter.
Landmarks68 project(const Head& h, double yawDeg, double pitchDeg, cv::Point2d shift, bool flat,
                    std::mt19937& rng, double jitterPx) {
    const double y = yawDeg * CV_PI / 180, p = pitchDeg * CV_PI / 180, f = 900, depth = 700;
    std::normal_distribution<double> noise(0.0, jitterPx);
    Landmarks68 out{};
    for (int i = 0; i < kLandmarkCount; ++i) {
        cv::Point3d q = h.p[static_cast<std::size_t>(i)];
        if (flat)
            q.z = 0;
        const double x1 = q.x * std::cos(y) + q.z * std::sin(y);
        const double z1 = -q.x * std::sin(y) + q.z * std::cos(y);
        const double y2 = q.y * std::cos(p) - z1 * std::sin(p);
        const double z2 = q.y * std::sin(p) + z1 * std::cos(p) + depth;
        out[i] = cv::Point2f(static_cast<float>(320 + shift.x + f * x1 / z2 + noise(rng)),
                             static_cast<float>(240 + shift.y + f * y2 / z2 + noise(rng)));
    }
    return out;
}

CueScore planarityOf(bool flat, double jitterPx) {
    const Head head = makeHead();
    std::mt19937 rng(7);
    PlanarityCue cue;
    const cv::Mat none;
    for (int i = 0; i < 30; ++i) {
        const double t = i / 10.0;
        const Landmarks68 l =
            project(head, 20 * std::sin(1.3 * t), 10 * std::sin(0.9 * t),
                    {25 * std::sin(0.7 * t), 10 * std::cos(1.1 * t)}, flat, rng, jitterPx);
        cue.addFrame(PadFrame{static_cast<std::int64_t>(i * 100), none, l, cv::Rect()});
    }
    return cue.score();
}

// A photo (every landmark on one plane) waved and tilted stays below the attack threshold with
// small landmark jitter; a 3-D head turning by the same angles is above the live threshold. With
// heavy jitter (noisy frames) the plane's residual rises towards a still head's, which is why
// planarity alone is not trusted to refuse (docs/presentation-attack.md), but the head still
// stands clearly apart.
TEST(PadPlanarity, NoisyPlaneIsPlanarAndHeadIsNot) {
    // Arrange
    const PadOptions o;
    // Act
    const CueScore plane = planarityOf(true, 0.4);
    const CueScore head = planarityOf(false, 0.4);
    const CueScore noisyPlane = planarityOf(true, 1.2);
    const CueScore noisyHead = planarityOf(false, 1.2);
    // Assert
    ASSERT_TRUE(plane.available && head.available && noisyPlane.available && noisyHead.available);
    EXPECT_LT(plane.value, o.planarityAttack) << "plane";
    EXPECT_GE(head.value, o.planarityLive) << "head";
    EXPECT_GT(noisyHead.value, 2.0 * noisyPlane.value);
}

LivenessResult cues(double planarity, double parallax, double texture, bool blink) {
    LivenessResult r;
    r.planarity = {planarity >= 0, planarity, 10};
    r.parallax = {parallax >= 0, parallax, 5};
    r.texture = {true, texture, 10};
    r.textureModel = true;
    r.blinkSeen = blink;
    return r;
}

// The fusion without the network (texture-only thresholds): any attack cue refuses, live needs
// texture and geometry, the rest is unsure.
TEST(PadFusion, VerdictTable) {
    const PadOptions o;
    struct Row {
        double planarity, parallax, texture;
        bool blink;
        LivenessVerdict expected;
        const char* reason;
    };
    const Row rows[] = {
        {0.02, 0.1, 1.0, false, LivenessVerdict::kLive, "planarity+texture"},
        {0.002, 0.1, 1.0, true, LivenessVerdict::kLive, "blink+texture"},
        {0.02, 0.1, o.textureOnlyAttack - 0.1, true, LivenessVerdict::kSpoofSuspected, "texture"},
        {0.02, 0.9, 1.0, true, LivenessVerdict::kSpoofSuspected, "parallax"},
        {0.002, 0.1, 1.0, false, LivenessVerdict::kSpoofSuspected, "planarity"},
        {0.02, 0.1, (o.textureOnlyAttack + o.textureOnlyLive) / 2, false, LivenessVerdict::kUnsure,
         "texture_unsure"},
        {(o.planarityAttack + o.planarityLive) / 2, -1, 1.0, false, LivenessVerdict::kUnsure,
         "geometry_unsure"},
    };
    for (const Row& row : rows) {
        LivenessResult r = cues(row.planarity, row.parallax, row.texture, row.blink);
        fuseCues(o, 20, 3000, r);
        EXPECT_EQ(r.verdict, row.expected) << row.reason;
        EXPECT_EQ(r.reason, row.reason);
    }
    LivenessResult early = cues(0.02, 0.1, 1.0, true);
    fuseCues(o, o.minFrames - 1, 3000, early);
    EXPECT_EQ(early.verdict, LivenessVerdict::kInsufficientEvidence);
}

// With the network cue (fr_liveness.onnx): a low network logit refuses on its own; live needs
// texture AND network at their live thresholds plus geometric life, or both appearance cues
// strong (a patient holding still without blinking); a geometry veto (parallax) still refuses.
TEST(PadFusion, NetworkCueTable) {
    PadOptions o;
    o.netWeight = 0.0;  // appearance = texture alone here; the weighting: WeightedAppearance
    o.textureLive = 0.15;
    o.textureAttack = -0.3;
    o.textureStrong = 1.0;
    o.netLive = 0.0;
    o.netAttack = -6.0;
    o.netStrong = 6.0;
    struct Row {
        double planarity, parallax, texture, net;
        bool blink, netModel;
        LivenessVerdict expected;
        const char* reason;
    };
    const double mid = (o.planarityAttack + o.planarityLive) / 2;  // geometry neither way
    const Row rows[] = {
        {0.02, 0.1, 1.0, o.netLive + 1, false, true, LivenessVerdict::kLive, "planarity+texture"},
        {0.02, 0.1, 1.0, o.netAttack - 0.5, true, true, LivenessVerdict::kSpoofSuspected,
         "network"},
        {0.02, 0.1, 1.0, (o.netAttack + o.netLive) / 2, true, true, LivenessVerdict::kUnsure,
         "texture_unsure"},
        {mid, -1, 1.5, 7.0, false, true, LivenessVerdict::kLive, "texture+network"},
        {mid, -1, 0.8, 7.0, false, true, LivenessVerdict::kUnsure, "geometry_unsure"},
        {mid, -1, 1.5, 5.0, false, true, LivenessVerdict::kUnsure, "geometry_unsure"},
        {mid, 0.9, 1.5, 7.0, false, true, LivenessVerdict::kSpoofSuspected, "parallax"},
        // Without the network model the strong-appearance path does not exist.
        {mid, -1, 1.5, 7.0, false, false, LivenessVerdict::kUnsure, "geometry_unsure"},
    };
    for (const Row& row : rows) {
        LivenessResult r = cues(row.planarity, row.parallax, row.texture, row.blink);
        r.netModel = row.netModel;
        r.net = {row.netModel, row.net, 10};
        fuseCues(o, 20, 3000, r);
        EXPECT_EQ(r.verdict, row.expected) << row.reason << " net " << row.net;
        EXPECT_EQ(r.reason, row.reason) << row.reason << " net " << row.net;
    }
    // The network loaded but not yet three scored frames: never live.
    LivenessResult pending = cues(0.02, 0.1, 1.0, true);
    pending.netModel = true;
    pending.net = {false, 0.0, 2};
    fuseCues(o, 20, 3000, pending);
    EXPECT_EQ(pending.verdict, LivenessVerdict::kUnsure);
}

// The shipped rule with the network: appearance = texture + netWeight * network; a marginal
// texture margin with a confident network passes, the same margin with a doubtful network does
// not, and a confident network never rescues an attack-like texture.
TEST(PadFusion, WeightedAppearance) {
    const PadOptions o;
    auto judge = [&](double texture, double net, bool blink, double planarity) {
        LivenessResult r = cues(planarity, -1, texture, blink);
        r.netModel = true;
        r.net = {true, net, 10};
        fuseCues(o, 20, 3000, r);
        return r;
    };
    const double still = (o.planarityAttack + o.planarityLive) / 2;
    // texture 0.25 + 0.15 * 9.8 = 1.72: live without geometry (strong appearance).
    EXPECT_EQ(judge(0.25, 9.8, false, still).verdict, LivenessVerdict::kLive);
    EXPECT_EQ(judge(0.25, 9.8, false, still).reason, "texture+network");
    // The same texture, network just below netLive -> unsure, even with a blink.
    EXPECT_EQ(judge(0.25, o.netLive - 0.5, true, still).verdict, LivenessVerdict::kUnsure);
    // texture -1.5 (still-photo video) with a confident network 9.3: -1.5 + 1.4 = -0.1 is
    // neither strong nor live: never live.
    EXPECT_NE(judge(-1.5, 9.3, true, 0.02).verdict, LivenessVerdict::kLive);
    // The still-photo videos' highest appearance with a network >= netStrong (docs §5.2:
    // 0.15) stays under the strong-appearance threshold: not live without geometry.
    EXPECT_NE(judge(0.15 - 0.15 * 9.0, 9.0, false, still).verdict, LivenessVerdict::kLive);
    // texture -2.5 with network 9: -1.15 < textureAttack: refused.
    EXPECT_EQ(judge(-2.5, 9.0, true, 0.02).verdict, LivenessVerdict::kSpoofSuspected);
    EXPECT_EQ(judge(-2.5, 9.0, true, 0.02).reason, "texture");
    // Network below netAttack refuses whatever the texture says.
    EXPECT_EQ(judge(3.0, o.netAttack - 0.1, true, 0.02).reason, "network");
    // Without the network model the texture-only thresholds apply (session 5's rule).
    LivenessResult alone = cues(0.02, 0.1, o.textureOnlyLive + 0.01, false);
    fuseCues(o, 20, 3000, alone);
    EXPECT_EQ(alone.verdict, LivenessVerdict::kLive);
}

std::filesystem::path committedModel() {
    return std::filesystem::path(UKETSUKE_SOURCE_DIR) / "models" / kPadModelFile;
}

// The committed model loads with its pinned SHA-256; a changed byte or another hash is refused.
TEST(PadTextureModel, Sha256IsCheckedAtLoad) {
    // Arrange
    ASSERT_TRUE(std::filesystem::exists(committedModel())) << committedModel();
    const auto altered = std::filesystem::temp_directory_path() / "uketsuke-pad-altered.yml";
    std::filesystem::copy_file(committedModel(), altered,
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(altered, std::ios::app) << "# altered\n";
    // Act
    std::string error;
    const auto good = TextureModel::load(committedModel(), kPadModelSha256, &error);
    const auto changed = TextureModel::load(altered, kPadModelSha256);
    const auto otherHash = TextureModel::load(committedModel(), std::string(64, 'a'));
    std::filesystem::remove(altered);
    // Assert
    ASSERT_TRUE(good.has_value()) << error;
    EXPECT_EQ(good->weights.size(), static_cast<std::size_t>(textureFeatureCount()));
    EXPECT_FALSE(changed.has_value());
    EXPECT_FALSE(otherHash.has_value());
}

cv::Mat pattern() {
    cv::Mat m(300, 240, CV_8UC3, cv::Scalar(120, 140, 170));
    cv::circle(m, {120, 140}, 70, cv::Scalar(90, 120, 200), cv::FILLED);
    cv::rectangle(m, {20, 20}, {80, 60}, cv::Scalar(30, 200, 40), cv::FILLED);
    return m;
}

// Same kind, source and seed: the same pixels; another seed: other pixels. Every kind gives the
// requested number of frames at the requested size.
TEST(PadAttackGenerator, DeterministicBySeed) {
    const std::vector<cv::Mat> source{pattern()};
    for (::uketsuke::pad::AttackKind kind :
         {::uketsuke::pad::AttackKind::kStillNoise, ::uketsuke::pad::AttackKind::kScreenReplay}) {
        const ::uketsuke::pad::AttackSpec a{.kind = kind, .seed = 5, .frames = 4};
        ::uketsuke::pad::AttackSpec b = a;
        b.seed = 6;
        const auto v1 = ::uketsuke::pad::generateAttack(a, source);
        const auto v2 = ::uketsuke::pad::generateAttack(a, source);
        const auto v3 = ::uketsuke::pad::generateAttack(b, source);
        ASSERT_EQ(v1.frames.size(), 4u);
        EXPECT_EQ(v1.frames[0].size(), cv::Size(640, 480));
        for (std::size_t i = 0; i < v1.frames.size(); ++i)
            EXPECT_EQ(cv::norm(v1.frames[i], v2.frames[i], cv::NORM_INF), 0.0);
        EXPECT_GT(cv::norm(v1.frames[0], v3.frames[0], cv::NORM_L1), 0.0);
    }
    const auto noisy = ::uketsuke::pad::generateAttack(
        {.kind = ::uketsuke::pad::AttackKind::kStillNoise, .seed = 1}, source);
    EXPECT_GE(noisy.params.noiseSigma, 12.0);
    EXPECT_LE(noisy.params.noiseSigma, 16.0);
}

}  // namespace
}  // namespace uketsuke::vision::pad
