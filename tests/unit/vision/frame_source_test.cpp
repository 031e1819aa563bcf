// Frame sources: a video written with cv::VideoWriter, an image sequence, a still image and
// memory frames read back in order with their timestamps; bad specs give typed errors.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <unistd.h>
#include <random>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "vision/frame_source.h"

namespace uketsuke::vision {
namespace {

class TempDir {
  public:
    TempDir() {
        std::mt19937_64 rng(std::random_device{}());
        path_ =
            std::filesystem::temp_directory_path() / ("uketsuke-vision-" + std::to_string(rng()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Frame i: a bright square whose x position encodes i (survives lossy compression).
cv::Mat numberedFrame(int i) {
    cv::Mat f(120, 160, CV_8UC3, cv::Scalar(20, 20, 20));
    cv::rectangle(f, cv::Rect(10 + 12 * i, 40, 10, 40), cv::Scalar(240, 240, 240), cv::FILLED);
    return f;
}

int squareX(const cv::Mat& bgr) {
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    const cv::Moments m = cv::moments(grey > 128, true);
    return m.m00 > 0 ? static_cast<int>(std::lround(m.m10 / m.m00)) : -1;
}

// A 10-frame MJPG .avi written by cv::VideoWriter is read back in order at its frame rate.
TEST(FrameSource, VideoFileReadsBackInOrder) {
    // Arrange
    TempDir dir;
    const auto file = dir.path() / "clip.avi";
    cv::VideoWriter writer(file.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 20.0,
                           cv::Size(160, 120));
    ASSERT_TRUE(writer.isOpened());
    for (int i = 0; i < 10; ++i)
        writer.write(numberedFrame(i));
    writer.release();
    FrameSourceSpec spec = FrameSourceSpec::parse(file.string(), Pacing::kUnpaced);
    ASSERT_EQ(spec.kind, FrameSourceKind::kVideoFile);
    // Act
    auto source = openFrameSource(spec);
    ASSERT_TRUE(source.ok()) << name(source.error());
    std::vector<Frame> frames;
    while (auto f = source.value()->next())
        frames.push_back(*f);
    // Assert
    ASSERT_EQ(frames.size(), 10u);
    EXPECT_DOUBLE_EQ(source.value()->fps(), 20.0);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(frames[i].index, i);
        EXPECT_EQ(frames[i].timestampMs, i * 50);
        EXPECT_NEAR(squareX(frames[i].bgr), 15 + 12 * i, 2);
    }
    EXPECT_EQ(source.value()->error(), VisionError::kEndOfStream);
}

// An image sequence (printf pattern, CAP_IMAGES) and the same files as a directory both read back.
TEST(FrameSource, ImageSequenceReadsBackInOrder) {
    // Arrange
    TempDir dir;
    for (int i = 0; i < 6; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04d.png", i);
        ASSERT_TRUE(cv::imwrite((dir.path() / name).string(), numberedFrame(i)));
    }
    for (const std::string& text :
         {"images:" + (dir.path() / "frame_%04d.png").string(), dir.path().string()}) {
        // Act
        auto source = openFrameSource(FrameSourceSpec::parse(text, Pacing::kUnpaced));
        ASSERT_TRUE(source.ok()) << text;
        std::vector<int> xs;
        while (auto f = source.value()->next())
            xs.push_back(squareX(f->bgr));
        // Assert
        ASSERT_EQ(xs.size(), 6u) << text;
        for (int i = 0; i < 6; ++i)
            EXPECT_EQ(xs[i], 15 + 12 * i) << text;
        EXPECT_EQ(source.value()->kind(), FrameSourceKind::kImageSequence);
    }
}

// A still image is one frame, then end of stream.
TEST(FrameSource, StillImageIsOneFrame) {
    // Arrange
    TempDir dir;
    const auto file = dir.path() / "still.png";
    ASSERT_TRUE(cv::imwrite(file.string(), numberedFrame(3)));
    // Act
    auto source = openFrameSource(FrameSourceSpec::parse(file.string()));
    ASSERT_TRUE(source.ok());
    auto first = source.value()->next();
    auto second = source.value()->next();
    // Assert
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(squareX(first->bgr), 15 + 36);
    EXPECT_FALSE(second.has_value());
    EXPECT_EQ(source.value()->kind(), FrameSourceKind::kStillImage);
}

// Real-time pacing delivers 6 frames at 30 fps in about 5/30 s; unpaced is immediate.
TEST(FrameSource, RealTimePacingFollowsFrameRate) {
    // Arrange
    std::vector<cv::Mat> frames(6, numberedFrame(0));
    auto paced = makeMemoryFrameSource(frames, 30.0, Pacing::kRealTime);
    const auto start = std::chrono::steady_clock::now();
    // Act
    int n = 0;
    while (paced->next())
        ++n;
    const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count();
    // Assert
    EXPECT_EQ(n, 6);
    EXPECT_GE(elapsedMs, 160);
    EXPECT_LT(elapsedMs, 1000);
}

// A missing video file, a missing camera and an empty directory are kSourceUnavailable.
TEST(FrameSource, MissingSourcesAreUnavailable) {
    // Arrange
    TempDir dir;
    for (const std::string& text :
         {std::string("/nonexistent/clip.avi"), std::string("camera:97"), dir.path().string()}) {
        // Act
        auto source = openFrameSource(FrameSourceSpec::parse(text, Pacing::kUnpaced));
        // Assert
        ASSERT_FALSE(source.ok()) << text;
        EXPECT_EQ(source.error(), VisionError::kSourceUnavailable) << text;
    }
}

// A still "image" that is not one gives kNotAnImage.
TEST(FrameSource, StillNonImageIsNotAnImage) {
    // Arrange
    TempDir dir;
    const auto file = dir.path() / "fake.jpg";
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("definitely not a jpeg", f);
    std::fclose(f);
    // Act
    auto source = openFrameSource(FrameSourceSpec::parse(file.string()));
    // Assert
    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.error(), VisionError::kNotAnImage);
}

}  // namespace
}  // namespace uketsuke::vision

namespace uketsuke::vision {
namespace {

// Issue 16: a camera is named by its stable /dev/v4l/by-id link (or a part of its name), not by
// an index that changes with the USB port and boot order. A fake /dev tree stands in for udev's.
TEST(CameraDevice, ResolvedByIndexPathAndById) {
    namespace fs = std::filesystem;
    const fs::path dev = fs::temp_directory_path() / ("uketsuke-dev-" + std::to_string(::getpid()));
    fs::remove_all(dev);
    fs::create_directories(dev / "v4l" / "by-id");
    for (const char* node : {"video0", "video1", "video2", "video3"})
        std::ofstream(dev / node).put('\n');
    fs::create_symlink("../../video2",
                       dev / "v4l" / "by-id" / "usb-046d_HD_Webcam_C270_ABC123-video-index0");
    fs::create_symlink("../../video3",
                       dev / "v4l" / "by-id" / "usb-046d_HD_Webcam_C270_ABC123-video-index1");
    fs::create_symlink("../../video0",
                       dev / "v4l" / "by-id" / "usb-Sony_Document_Scanner_X-video-index0");
    const std::string root = dev.string();
    EXPECT_EQ(resolveCameraDevice("0", root).value(), 0);
    EXPECT_EQ(resolveCameraDevice("12", root).value(), 12);
    EXPECT_EQ(resolveCameraDevice(
                  (dev / "v4l/by-id/usb-046d_HD_Webcam_C270_ABC123-video-index0").string(), root)
                  .value(),
              2);
    // by-id:TEXT takes the capture node (index0), never the metadata node (index1).
    EXPECT_EQ(resolveCameraDevice("by-id:C270", root).value(), 2);
    EXPECT_EQ(resolveCameraDevice("by-id:Scanner", root).value(), 0);
    EXPECT_FALSE(resolveCameraDevice("by-id:Nothing", root));
    EXPECT_FALSE(resolveCameraDevice("by-id:", root));
    EXPECT_FALSE(resolveCameraDevice((dev / "v4l/by-id/gone-video-index0").string(), root));
    EXPECT_FALSE(resolveCameraDevice("front", root));
    // A by-id name whose camera is unplugged does not open (no fallback to another camera).
    auto spec = FrameSourceSpec::parse("camera:by-id:NotPluggedIn_XYZ");
    EXPECT_EQ(spec.kind, FrameSourceKind::kCamera);
    EXPECT_FALSE(openFrameSource(spec));
    fs::remove_all(dev);
}

}  // namespace
}  // namespace uketsuke::vision
