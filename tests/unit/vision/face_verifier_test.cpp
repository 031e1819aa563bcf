// The multi-frame decision on a still image and on video: accept the same person, reject another,
// say why when there is no face, several faces, poor quality, or a flat photo moved around.
#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "vision/chip_photo.h"
#include "vision/face_verifier.h"
#include "vision_test_support.h"

namespace uketsuke::vision {
namespace {

class Verifier : public ::testing::Test {
  protected:
    void SetUp() override {
        UKETSUKE_REQUIRE_ENGINE();
        UKETSUKE_REQUIRE_SAMPLES();
        portrait_ = test::samplePortrait(6);
        other_ = test::samplePortrait(6, 1);  // another person of the same photo, frontal
        ASSERT_FALSE(portrait_.empty());
        ASSERT_FALSE(other_.empty());
        auto chip = makeChipStylePhoto(portrait_);
        ASSERT_TRUE(chip.ok());
        auto reference = loadChipPhoto(*test::engine(), chip->jp2);
        ASSERT_TRUE(reference.ok()) << name(reference.error());
        reference_ = reference->embedding;
    }

    // A kiosk frame of `portrait` (face ~45 % of the frame height), shifted by `offset`.
    static cv::Mat live(const cv::Mat& portrait, cv::Point2d offset = {0, 0}) {
        return test::frameAround(portrait, cv::Size(640, 480), 480.0 * 0.85 / portrait.rows,
                                 offset);
    }

    // A clip of a photo held up to the camera: slight planar motion, frame by frame.
    static std::vector<cv::Mat> clip(const cv::Mat& portrait, int frames) {
        std::vector<cv::Mat> out;
        for (int i = 0; i < frames; ++i)
            out.push_back(live(portrait, {6.0 * std::sin(i * 0.4), 3.0 * std::cos(i * 0.3)}));
        return out;
    }

    static VisionThresholds noLiveness() {
        VisionThresholds t;
        t.verifier.requireLiveness = false;
        return t;
    }

    cv::Mat portrait_, other_;
    Embedding reference_{};
};

// A still image of the chip photo's person is accepted on its one frame, liveness not assessed.
TEST_F(Verifier, StillImageOfSamePersonIsAccepted) {
    // Arrange
    FaceVerifier verifier(*test::engine(), VisionThresholds{});
    auto run = verifier.begin(reference_, /*stillImage=*/true);
    // Act
    run->addFrame(Frame{live(portrait_), 0, 0});
    const VerificationResult r = run->finish(VisionError::kEndOfStream);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kAccepted)
        << verificationOutcomeInfo(r.outcome).name << " guidance " << guidanceInfo(r.guidance).name;
    ASSERT_TRUE(r.distance.has_value());
    EXPECT_TRUE(r.distance->within(r.threshold));
    EXPECT_EQ(r.framesAgreeing, 1);
    EXPECT_FALSE(r.livenessAssessed);
}

// A still image of another person is a mismatch, with the distance beyond the threshold.
TEST_F(Verifier, StillImageOfOtherPersonIsMismatch) {
    // Arrange
    FaceVerifier verifier(*test::engine(), VisionThresholds{});
    auto run = verifier.begin(reference_, true);
    // Act
    run->addFrame(Frame{live(other_), 0, 0});
    const VerificationResult r = run->finish(VisionError::kEndOfStream);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kMismatch) << verificationOutcomeInfo(r.outcome).name;
    ASSERT_TRUE(r.distance.has_value());
    EXPECT_FALSE(r.distance->within(r.threshold));
}

// A video file of the same person is accepted once enough good frames agree.
TEST_F(Verifier, VideoOfSamePersonIsAccepted) {
    // Arrange
    const auto file = std::filesystem::temp_directory_path() / "uketsuke-verifier-test.avi";
    {
        cv::VideoWriter writer(file.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15.0,
                               cv::Size(640, 480));
        ASSERT_TRUE(writer.isOpened());
        for (const auto& f : clip(portrait_, 45))
            writer.write(f);
    }
    auto source = openFrameSource(FrameSourceSpec::parse(file.string(), Pacing::kUnpaced));
    ASSERT_TRUE(source.ok());
    FaceVerifier verifier(*test::engine(), noLiveness());
    // Act
    const VerificationResult r = verifier.verify(reference_, *source.value());
    std::filesystem::remove(file);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kAccepted) << verificationOutcomeInfo(r.outcome).name;
    EXPECT_GE(r.framesEmbedded, VerifierConfig{}.evidence.minFramesEarly);
    ASSERT_TRUE(r.distance.has_value());
    EXPECT_TRUE(r.distance->within(r.threshold));
    std::cout << "[ verifier ] video: distance " << r.distance->value << ", " << r.framesSeen
              << " frames seen, " << r.framesEmbedded << " embedded\n";
}

// A motionless face is embedded again only every embedEveryMs: no embedding without new
// information (3 embeddings over ~2 s of 15 fps frames).
TEST_F(Verifier, StillFaceIsEmbeddedOnlyWhenInformative) {
    // Arrange
    std::vector<cv::Mat> frames(40, live(portrait_));
    auto source = makeMemoryFrameSource(frames, 15.0);
    VisionThresholds t = noLiveness();
    t.verifier.embedEveryMs = 1000;
    FaceVerifier verifier(*test::engine(), t);
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kAccepted) << verificationOutcomeInfo(r.outcome).name;
    EXPECT_EQ(r.framesEmbedded, 3);
    EXPECT_GE(r.framesSeen, 30);
    EXPECT_GE(r.goodFrames, 30);
}

// At the default cadence (kDefaultEmbedEveryMs = 250 ms) a perfectly still patient is embedded
// about four times a second and reaches the 3 frames of an early accept in ~0.5 s, as the
// calibration's sequence simulation assumes (docs/calibration.md §8), not after ~2 s.
TEST_F(Verifier, StillFaceDecidesWithinASecondAtDefaultCadence) {
    // Arrange
    std::vector<cv::Mat> frames(40, live(portrait_));
    auto source = makeMemoryFrameSource(frames, 15.0);
    const VisionThresholds t = noLiveness();
    ASSERT_EQ(t.verifier.embedEveryMs, kDefaultEmbedEveryMs);
    FaceVerifier verifier(*test::engine(), t);
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kAccepted) << verificationOutcomeInfo(r.outcome).name;
    EXPECT_EQ(r.framesEmbedded, 3);
    EXPECT_GE(r.elapsedMs, 2 * kDefaultEmbedEveryMs);
    EXPECT_LT(r.elapsedMs, 1000);
    EXPECT_LE(r.framesSeen, 12);
}

// The same clip is a photo moved in a plane: with liveness required it is not accepted.
TEST_F(Verifier, PlanarPhotoClipFailsLiveness) {
    // Arrange
    auto source = makeMemoryFrameSource(clip(portrait_, 60), 15.0);
    FaceVerifier verifier(*test::engine(), VisionThresholds{});
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kLivenessFailed)
        << verificationOutcomeInfo(r.outcome).name;
    EXPECT_TRUE(r.livenessAssessed);
    EXPECT_NE(r.liveness.verdict, LivenessVerdict::kLive);
}

// Empty scenes: kNoFace.
TEST_F(Verifier, EmptySceneIsNoFace) {
    // Arrange
    std::vector<cv::Mat> frames(10, cv::Mat(480, 640, CV_8UC3, cv::Scalar(80, 90, 100)));
    auto source = makeMemoryFrameSource(frames, 15.0);
    FaceVerifier verifier(*test::engine(), noLiveness());
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kNoFace) << verificationOutcomeInfo(r.outcome).name;
    EXPECT_EQ(r.framesSeen, 10);
}

// Two people in view: kSeveralFaces.
TEST_F(Verifier, TwoPeopleAreSeveralFaces) {
    // Arrange: two portraits side by side, faces ~200 px high.
    cv::Mat frame(540, 960, CV_8UC3, cv::Scalar(80, 90, 100));
    int x = 20;
    for (const cv::Mat* p : {&portrait_, &other_}) {
        cv::Mat scaled;
        const double s = 520.0 / p->rows;
        cv::resize(*p, scaled, cv::Size(), s, s);
        const int w = std::min(scaled.cols, 440);
        scaled(cv::Rect(0, 0, w, 520)).copyTo(frame(cv::Rect(x, 10, w, 520)));
        x += 480;
    }
    FaceVerifier verifier(*test::engine(), noLiveness());
    auto run = verifier.begin(reference_, true);
    // Act
    run->addFrame(Frame{frame, 0, 0});
    const VerificationResult r = run->finish(VisionError::kEndOfStream);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kSeveralFaces)
        << verificationOutcomeInfo(r.outcome).name;
}

// A dark clip: kPoorQuality with "more light" as the guidance.
TEST_F(Verifier, DarkClipIsPoorQualityWithMoreLight) {
    // Arrange
    std::vector<cv::Mat> frames;
    for (auto& f : clip(portrait_, 20)) {
        cv::Mat dark;
        f.convertTo(dark, -1, 0.22, 0);
        frames.push_back(dark);
    }
    auto source = makeMemoryFrameSource(frames, 15.0);
    FaceVerifier verifier(*test::engine(), noLiveness());
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_EQ(r.outcome, VerificationOutcome::kPoorQuality)
        << verificationOutcomeInfo(r.outcome).name;
    EXPECT_EQ(r.guidance, Guidance::kMoreLight) << guidanceInfo(r.guidance).name;
}

// The time budget ends a run of faceless frames: the decision comes within the budget.
TEST_F(Verifier, BudgetEndsTheRun) {
    // Arrange
    VisionThresholds t = noLiveness();
    t.verifier.timeBudgetMs = 1000;
    std::vector<cv::Mat> frames(60, cv::Mat(240, 320, CV_8UC3, cv::Scalar(80, 90, 100)));
    auto source = makeMemoryFrameSource(frames, 15.0);
    FaceVerifier verifier(*test::engine(), t);
    // Act
    const VerificationResult r = verifier.verify(reference_, *source);
    // Assert
    EXPECT_LE(r.framesSeen, 17);
    EXPECT_EQ(r.outcome, VerificationOutcome::kNoFace);
}

}  // namespace
}  // namespace uketsuke::vision
