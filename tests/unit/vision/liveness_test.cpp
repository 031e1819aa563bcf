// Passive liveness on landmark sequences: a plane moved by homographies is a suspected spoof, a
// deforming face or a blink is live, too few frames is insufficient evidence.
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "vision/liveness.h"

namespace uketsuke::vision {
namespace {

// A synthetic face layout: the checks only need 68 distinct points and two open eyes.
Landmarks68 baseFace() {
    Landmarks68 p{};
    for (int i = 0; i < kLandmarkCount; ++i) {
        const double a = i * 2.0 * CV_PI / kLandmarkCount;
        p[i] = cv::Point2f(static_cast<float>(320 + 80 * std::cos(a) + (i % 7) * 3),
                           static_cast<float>(240 + 100 * std::sin(a) + (i % 5) * 4));
    }
    // Open eyes: 36..41 and 42..47 as hexagons with EAR ~0.33.
    for (int first : {36, 42}) {
        const float cx = first == 36 ? 285.f : 355.f, cy = 210.f;
        const cv::Point2f eye[6] = {{cx - 15, cy}, {cx - 5, cy - 5}, {cx + 5, cy - 5},
                                    {cx + 15, cy}, {cx + 5, cy + 5}, {cx - 5, cy + 5}};
        for (int k = 0; k < 6; ++k)
            p[first + k] = eye[k];
    }
    return p;
}

Landmarks68 warp(const Landmarks68& p, const cv::Matx33d& h) {
    std::vector<cv::Point2f> in(p.begin(), p.end()), out;
    cv::perspectiveTransform(in, out, cv::Mat(h));
    Landmarks68 r{};
    std::copy(out.begin(), out.end(), r.begin());
    return r;
}

// A photo waved in front of the camera: every frame is a homography of the first.
TEST(PassiveLiveness, PlanarMotionIsSpoofSuspected) {
    // Arrange
    auto check = createPassiveLivenessCheck();
    const Landmarks68 face = baseFace();
    // Act
    for (int i = 0; i < 12; ++i) {
        const double a = 0.03 * std::sin(i * 0.7), t = 6.0 * i;
        const cv::Matx33d h(std::cos(a), -std::sin(a), t, std::sin(a), std::cos(a), 2.0 * i,
                            1e-5 * i, -1e-5 * i, 1.0);
        check->addFrame(i * 33, warp(face, h));
    }
    const LivenessResult r = check->evaluate();
    // Assert
    EXPECT_EQ(r.verdict, LivenessVerdict::kSpoofSuspected);
    EXPECT_LT(r.nonRigidResidual, LivenessOptions{}.minNonRigidResidual);
    EXPECT_FALSE(r.blinkSeen);
}

// A live face deforms (mouth, brows, jaw) beyond any single homography.
TEST(PassiveLiveness, NonRigidMotionIsLive) {
    // Arrange
    auto check = createPassiveLivenessCheck();
    // Act
    for (int i = 0; i < 12; ++i) {
        Landmarks68 face = baseFace();
        for (int k = 48; k < 68; ++k)
            face[k].y += static_cast<float>(5.0 * std::sin(i * 1.3 + k));
        for (int k = 17; k < 27; ++k)
            face[k].y -= static_cast<float>(3.0 * std::cos(i * 0.9));
        for (int k = 0; k < 17; ++k)
            face[k].x += static_cast<float>(2.0 * std::sin(i + k * 0.5));
        check->addFrame(i * 33, face);
    }
    const LivenessResult r = check->evaluate();
    // Assert
    EXPECT_EQ(r.verdict, LivenessVerdict::kLive);
    EXPECT_GT(r.nonRigidResidual, LivenessOptions{}.minNonRigidResidual);
}

// Open, closed, open eyes is a blink, and a blink alone is live.
TEST(PassiveLiveness, BlinkIsLive) {
    // Arrange
    auto check = createPassiveLivenessCheck();
    const Landmarks68 open = baseFace();
    Landmarks68 closed = open;
    for (int first : {36, 42})
        for (int k : {1, 2, 4, 5})
            closed[first + k].y = closed[first].y + (k < 3 ? -0.5f : 0.5f);
    // Act
    check->addFrame(0, open);
    check->addFrame(33, closed);
    check->addFrame(66, open);
    const LivenessResult r = check->evaluate();
    // Assert
    EXPECT_TRUE(r.blinkSeen);
    EXPECT_EQ(r.verdict, LivenessVerdict::kLive);
}

// Two motionless frames are not enough to say anything.
TEST(PassiveLiveness, FewFramesAreInsufficient) {
    // Arrange
    auto check = createPassiveLivenessCheck();
    // Act
    check->addFrame(0, baseFace());
    check->addFrame(33, baseFace());
    // Assert
    EXPECT_EQ(check->evaluate().verdict, LivenessVerdict::kInsufficientEvidence);
}

}  // namespace
}  // namespace uketsuke::vision
