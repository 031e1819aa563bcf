// Chip photo loading and matching on the npm package's sample photos: different people are above
// the threshold, a chip-style rendering matches its colour original, bad photos get a reason.
#include <algorithm>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/chip_photo.h"
#include "vision/thresholds.h"
#include "vision_test_support.h"

namespace uketsuke::vision {
namespace {

class ChipPhoto : public ::testing::Test {
  protected:
    void SetUp() override { UKETSUKE_REQUIRE_ENGINE(); }
    FaceEngine& engine() { return *test::engine(); }
};

Bytes encode(const char* ext, const cv::Mat& image) {
    Bytes out;
    cv::imencode(ext, image, out);
    return out;
}

// Within each group photo every face belongs to a different person: all pairs are beyond the
// default threshold.
TEST_F(ChipPhoto, DifferentPeopleAreAboveThreshold) {
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    AnalyseOptions options;
    options.detector.scale = 1.0;
    options.detector.maxDetectWidthPx = 1920;
    double closest = 1e9;
    int pairs = 0;
    for (int sample = 1; sample <= 6; ++sample) {
        const cv::Mat photo = cv::imread(test::samplePhoto(sample).string(), cv::IMREAD_COLOR);
        ASSERT_FALSE(photo.empty());
        // Act
        auto faces = engine().analyse(photo, options);
        ASSERT_TRUE(faces.ok());
        for (std::size_t i = 0; i < faces->size(); ++i)
            for (std::size_t j = i + 1; j < faces->size(); ++j) {
                const auto d = distance(*faces.value()[i].embedding, *faces.value()[j].embedding);
                closest = std::min(closest, d.value);
                ++pairs;
                // Assert
                EXPECT_FALSE(d.within(kDefaultMaxEmbeddingDistance))
                    << "sample" << sample << " faces " << i << "," << j << " distance " << d.value;
            }
    }
    std::cout << "[ samples  ] " << pairs << " impostor pairs, closest " << closest << "\n";
    // HOG misses the faces that look down (sample2); the others give at least this many pairs.
    EXPECT_GE(pairs, 10);
}

// The same face rendered chip-style (grey, 300 px high, lossy JP2) matches its colour original.
TEST_F(ChipPhoto, ChipStylePhotoMatchesColourOriginal) {
    UKETSUKE_REQUIRE_SAMPLES();
    for (int sample = 1; sample <= 6; ++sample) {
        // Arrange
        const cv::Mat portrait = test::samplePortrait(sample);
        ASSERT_FALSE(portrait.empty()) << "sample" << sample;
        auto colour = engine().embedLargestFace(portrait);
        ASSERT_TRUE(colour.ok()) << "sample" << sample;
        auto chip = makeChipStylePhoto(portrait, ChipStyleOptions{});
        ASSERT_TRUE(chip.ok());
        EXPECT_EQ(chip->decoded.rows, 300);
        // Act
        auto reference = loadChipPhoto(engine(), chip->jp2);
        // Assert
        ASSERT_TRUE(reference.ok()) << "sample" << sample << ": " << name(reference.error());
        const auto d = distance(reference->embedding, *colour->embedding);
        std::cout << "[ chip     ] sample" << sample << " chip-style vs colour " << d.value << " ("
                  << chip->jp2.size() << " bytes)\n";
        EXPECT_TRUE(d.within(kDefaultMaxEmbeddingDistance))
            << "sample" << sample << " distance " << d.value;
    }
}

// Empty bytes: kImageEmpty.
TEST_F(ChipPhoto, EmptyBytesAreImageEmpty) {
    // Arrange
    const Bytes bytes;
    // Act
    auto reference = loadChipPhoto(engine(), bytes);
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kImageEmpty);
}

// A chip photo cut short (card pulled mid-read): kImageCorrupt.
TEST_F(ChipPhoto, TruncatedJp2IsCorrupt) {
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    auto chip = makeChipStylePhoto(test::samplePortrait(1));
    ASSERT_TRUE(chip.ok());
    Bytes truncated(chip->jp2.begin(), chip->jp2.begin() + static_cast<long>(chip->jp2.size() / 3));
    // Act
    auto reference = loadChipPhoto(engine(), truncated);
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kImageCorrupt);
}

// A JP2 header declaring 20000x20000 is refused before decoding: kImageTooLarge.
TEST_F(ChipPhoto, HugeDeclaredJp2IsTooLarge) {
    // Arrange: rewrite the ihdr box's HEIGHT and WIDTH of a small real JP2.
    Bytes jp2 = encode(".jp2", cv::Mat(64, 64, CV_8UC1, cv::Scalar(100)));
    const std::uint8_t ihdr[] = {'i', 'h', 'd', 'r'};
    auto at = std::search(jp2.begin(), jp2.end(), std::begin(ihdr), std::end(ihdr));
    ASSERT_NE(at, jp2.end());
    const std::uint8_t big[] = {0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20};
    std::copy(std::begin(big), std::end(big), at + 4);
    // Act
    auto reference = loadChipPhoto(engine(), jp2);
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kImageTooLarge);
}

// Bytes of no image format: kNotAnImage.
TEST_F(ChipPhoto, NonImageIsNotAnImage) {
    // Arrange
    const Bytes bytes = bytesOf("<?xml version=\"1.0\"?><photo/>");
    // Act
    auto reference = loadChipPhoto(engine(), bytes);
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kNotAnImage);
}

// A valid image without a face: kNoFace.
TEST_F(ChipPhoto, ImageWithoutFaceIsNoFace) {
    // Arrange
    cv::Mat wall(300, 240, CV_8UC1);
    cv::randu(wall, 90, 160);
    cv::GaussianBlur(wall, wall, cv::Size(9, 9), 3);
    // Act
    auto reference = loadChipPhoto(engine(), encode(".jp2", wall));
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kNoFace);
}

// A group photo as chip photo: kSeveralFaces.
TEST_F(ChipPhoto, GroupPhotoIsSeveralFaces) {
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    const cv::Mat photo = cv::imread(test::samplePhoto(1).string(), cv::IMREAD_COLOR);
    cv::Mat small;
    cv::resize(photo, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    // Act
    auto reference = loadChipPhoto(engine(), encode(".jpg", small));
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kSeveralFaces);
}

// A face about 45 px high in the photo is found but refused: kFaceTooSmall.
TEST_F(ChipPhoto, TinyFaceIsFaceTooSmall) {
    UKETSUKE_REQUIRE_SAMPLES();
    // Arrange
    const cv::Mat portrait = test::samplePortrait(1);
    auto face = engine().embedLargestFace(portrait);
    ASSERT_TRUE(face.ok());
    const double scale = 48.0 / face->box.height;
    const cv::Mat frame = test::frameAround(portrait, cv::Size(240, 300), scale);
    // Act
    auto reference = loadChipPhoto(engine(), encode(".png", frame));
    // Assert
    ASSERT_FALSE(reference.ok());
    EXPECT_EQ(reference.error(), VisionError::kFaceTooSmall);
}

}  // namespace
}  // namespace uketsuke::vision
