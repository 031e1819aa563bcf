// Golden descriptors: the converted network against face-api.js's own reference descriptors
// (shared/golden/faceapi; expected distances 0.036 / 0.041 / 0.042, limit 0.05).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "vision/thresholds.h"
#include "vision_test_support.h"

namespace uketsuke::vision {
namespace {

constexpr double kMaxGoldenDistance = 0.05;  // shared/golden/faceapi/README.md

Embedding readReference(const std::filesystem::path& file) {
    std::ifstream in(file);
    const auto json = nlohmann::json::parse(in);
    Embedding e{};
    for (int i = 0; i < kEmbeddingSize; ++i)
        e[i] = json.at(i).get<float>();
    return e;
}

// face-api.js's tensor path: pad the shorter side with black, round(diff/2) after and the rest
// before, then tfjs-1.7 bilinear resize with align_corners=false (source = destination * in/out).
cv::Mat faceApiChip(const cv::Mat& image) {
    const int side = std::max(image.cols, image.rows);
    const int diffX = side - image.cols, diffY = side - image.rows;
    const int afterX = static_cast<int>(std::lround(diffX / 2.0)),
              afterY = static_cast<int>(std::lround(diffY / 2.0));
    cv::Mat square;
    cv::copyMakeBorder(image, square, diffY - afterY, afterY, diffX - afterX, afterX,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::Mat chip(kChipSizePx, kChipSizePx, CV_8UC3);
    const double ratio = static_cast<double>(side) / kChipSizePx;
    for (int y = 0; y < kChipSizePx; ++y) {
        const double sy = y * ratio;
        const int y0 = static_cast<int>(sy), y1 = std::min(y0 + 1, side - 1);
        const double fy = sy - y0;
        for (int x = 0; x < kChipSizePx; ++x) {
            const double sx = x * ratio;
            const int x0 = static_cast<int>(sx), x1 = std::min(x0 + 1, side - 1);
            const double fx = sx - x0;
            for (int c = 0; c < 3; ++c) {
                const double top = square.at<cv::Vec3b>(y0, x0)[c] * (1 - fx) +
                                   square.at<cv::Vec3b>(y0, x1)[c] * fx;
                const double bottom = square.at<cv::Vec3b>(y1, x0)[c] * (1 - fx) +
                                      square.at<cv::Vec3b>(y1, x1)[c] * fx;
                chip.at<cv::Vec3b>(y, x)[c] =
                    cv::saturate_cast<uchar>(top * (1 - fy) + bottom * fy);
            }
        }
    }
    return chip;
}

class GoldenEmbedding : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!std::filesystem::exists(test::goldenDir()))
            GTEST_SKIP() << "golden descriptors absent (" << test::goldenDir()
                         << "): this test runs where ../shared is present";
        UKETSUKE_REQUIRE_ENGINE();
    }

    double distanceFor(const cv::Mat& chip, const char* referenceFile) {
        auto embedding = test::engine()->embedChip(chip);
        EXPECT_TRUE(embedding.ok());
        if (!embedding)
            return 1e9;
        const double d =
            distance(embedding.value(), readReference(test::goldenDir() / referenceFile)).value;
        RecordProperty(referenceFile, std::to_string(d));
        std::cout << "[ golden   ] " << referenceFile << " distance " << d << "\n";
        return d;
    }
};

// face1.png (150x150 grey) fed as it is lands within 0.05 of faceDescriptor1.json.
TEST_F(GoldenEmbedding, Face1MatchesReference) {
    // Arrange
    const cv::Mat chip =
        cv::imread((test::goldenDir() / "face1.png").string(), cv::IMREAD_GRAYSCALE);
    ASSERT_EQ(chip.size(), cv::Size(150, 150));
    // Act
    const double d = distanceFor(chip, "faceDescriptor1.json");
    // Assert
    EXPECT_LT(d, kMaxGoldenDistance);
}

// face2.png (150x150 grey) fed as it is lands within 0.05 of faceDescriptor2.json.
TEST_F(GoldenEmbedding, Face2MatchesReference) {
    // Arrange
    const cv::Mat chip =
        cv::imread((test::goldenDir() / "face2.png").string(), cv::IMREAD_GRAYSCALE);
    ASSERT_EQ(chip.size(), cv::Size(150, 150));
    // Act
    const double d = distanceFor(chip, "faceDescriptor2.json");
    // Assert
    EXPECT_LT(d, kMaxGoldenDistance);
}

// face_rectangular.png, padded to square and resized like face-api.js, lands within 0.05.
TEST_F(GoldenEmbedding, RectangularFaceMatchesReference) {
    // Arrange
    const cv::Mat image =
        cv::imread((test::goldenDir() / "face_rectangular.png").string(), cv::IMREAD_COLOR);
    ASSERT_EQ(image.size(), cv::Size(122, 178));
    // Act
    const double d = distanceFor(faceApiChip(image), "faceDescriptorRect.json");
    // Assert
    EXPECT_LT(d, kMaxGoldenDistance);
}

// The two different golden faces are far apart (the network separates people at all).
TEST_F(GoldenEmbedding, DifferentGoldenFacesAreFarApart) {
    // Arrange
    const cv::Mat a = cv::imread((test::goldenDir() / "face1.png").string(), cv::IMREAD_GRAYSCALE);
    const cv::Mat b = cv::imread((test::goldenDir() / "face2.png").string(), cv::IMREAD_GRAYSCALE);
    // Act
    auto ea = test::engine()->embedChip(a);
    auto eb = test::engine()->embedChip(b);
    ASSERT_TRUE(ea.ok() && eb.ok());
    // Assert
    EXPECT_FALSE(distance(ea.value(), eb.value()).within(kDefaultMaxEmbeddingDistance));
}

// A chip of the wrong size is refused with kInvalidChip, not a crash.
TEST_F(GoldenEmbedding, WrongChipSizeIsInvalidChip) {
    // Arrange
    const cv::Mat chip(100, 150, CV_8UC3, cv::Scalar::all(128));
    // Act
    auto embedding = test::engine()->embedChip(chip);
    // Assert
    ASSERT_FALSE(embedding.ok());
    EXPECT_EQ(embedding.error(), VisionError::kInvalidChip);
}

}  // namespace
}  // namespace uketsuke::vision
