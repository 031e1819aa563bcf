// Correlation tracker: follows a moving face between detections and reports a loss.
#include <gtest/gtest.h>

#include "vision/face_tracker.h"
#include "vision_test_support.h"

namespace uketsuke::vision {
namespace {

// The tracked box follows a face that drifts 4 px per frame to the right.
TEST(FaceTracker, FollowsMovingFace) {
    UKETSUKE_REQUIRE_ENGINE();
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    const cv::Mat portrait = test::samplePortrait(2);
    ASSERT_FALSE(portrait.empty());
    auto tracker = createCorrelationFaceTracker();
    const double scale = 480.0 * 0.7 / portrait.rows;
    const cv::Mat first = test::frameAround(portrait, cv::Size(640, 480), scale);
    auto detections = test::engine()->detector().detect(first, DetectorOptions{});
    ASSERT_TRUE(detections.ok());
    ASSERT_EQ(detections->size(), 1u);
    const cv::Rect start = detections->front().box;
    tracker->start(first, start);
    // Act / Assert
    for (int i = 1; i <= 8; ++i) {
        const cv::Mat frame = test::frameAround(portrait, cv::Size(640, 480), scale, {4.0 * i, 0});
        auto box = tracker->update(frame);
        ASSERT_TRUE(box.has_value()) << "lost at frame " << i;
        EXPECT_NEAR(box->x + box->width / 2.0, start.x + start.width / 2.0 + 4.0 * i,
                    0.1 * start.width)
            << "frame " << i;
    }
}

// When the face is replaced by an empty scene the track is lost and detection is requested.
TEST(FaceTracker, LosesTrackWhenFaceLeaves) {
    UKETSUKE_REQUIRE_ENGINE();
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    const cv::Mat portrait = test::samplePortrait(2);
    auto tracker = createCorrelationFaceTracker();
    const cv::Mat first =
        test::frameAround(portrait, cv::Size(640, 480), 480.0 * 0.7 / portrait.rows);
    auto detections = test::engine()->detector().detect(first, DetectorOptions{});
    ASSERT_TRUE(detections.ok() && detections->size() == 1u);
    tracker->start(first, detections->front().box);
    cv::Mat empty(480, 640, CV_8UC3);
    cv::randu(empty, 0, 255);
    // Act
    std::optional<cv::Rect> box;
    for (int i = 0; i < 3 && (box = tracker->update(empty)); ++i) {
    }
    // Assert
    EXPECT_FALSE(box.has_value());
    EXPECT_TRUE(tracker->needsDetection());
}

// Detection is requested every N frames even while tracking well.
TEST(FaceTracker, RequestsPeriodicRedetection) {
    UKETSUKE_REQUIRE_ENGINE();
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    const cv::Mat portrait = test::samplePortrait(2);
    auto tracker = createCorrelationFaceTracker(TrackerOptions{.redetectEveryFrames = 4});
    const cv::Mat frame =
        test::frameAround(portrait, cv::Size(640, 480), 480.0 * 0.7 / portrait.rows);
    auto detections = test::engine()->detector().detect(frame, DetectorOptions{});
    ASSERT_TRUE(detections.ok() && detections->size() == 1u);
    tracker->start(frame, detections->front().box);
    // Act
    int updates = 0;
    while (!tracker->needsDetection() && updates < 10) {
        ASSERT_TRUE(tracker->update(frame).has_value());
        ++updates;
    }
    // Assert
    EXPECT_EQ(updates, 3);
}

}  // namespace
}  // namespace uketsuke::vision
