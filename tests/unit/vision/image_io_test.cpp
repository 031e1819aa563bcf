// Safe image decoding: bad bytes of every kind give a typed error before any large allocation.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "vision/image_io.h"

namespace uketsuke::vision {
namespace {

Bytes encode(const char* ext, const cv::Mat& image, std::vector<int> params = {}) {
    Bytes out;
    cv::imencode(ext, image, out, params);
    return out;
}

cv::Mat gradient(int width, int height) {
    cv::Mat m(height, width, CV_8UC1);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            m.at<uchar>(y, x) = static_cast<uchar>((x + 2 * y) % 256);
    return m;
}

// Zero bytes are kImageEmpty.
TEST(DecodeImage, EmptyBytesAreImageEmpty) {
    // Arrange
    const Bytes bytes;
    // Act
    auto image = decodeImage(bytes);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageEmpty);
}

// Text is kNotAnImage.
TEST(DecodeImage, TextIsNotAnImage) {
    // Arrange
    const Bytes bytes = bytesOf("%PDF-1.4 this is not a picture of a face");
    // Act
    auto image = decodeImage(bytes);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kNotAnImage);
}

// A greyscale JP2 (what the card holds) decodes to a 3-channel image of the same size.
TEST(DecodeImage, GreyJp2DecodesToBgr) {
    // Arrange
    const Bytes jp2 = encode(".jp2", gradient(120, 160));
    // Act
    auto image = decodeImage(jp2);
    // Assert
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->size(), cv::Size(120, 160));
    EXPECT_EQ(image->type(), CV_8UC3);
}

// The JP2 header's size is read without decoding.
TEST(ReadImageHeader, Jp2SizeFromIhdrBox) {
    // Arrange
    const Bytes jp2 = encode(".jp2", gradient(97, 131));
    // Act
    auto header = readImageHeader(jp2);
    // Assert
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(header->format, ImageFormat::kJp2);
    EXPECT_EQ(header->widthPx, 97);
    EXPECT_EQ(header->heightPx, 131);
}

// A JP2 cut in half is kImageCorrupt.
TEST(DecodeImage, TruncatedJp2IsCorrupt) {
    // Arrange
    Bytes jp2 = encode(".jp2", gradient(200, 260));
    jp2.resize(jp2.size() / 2);
    // Act
    auto image = decodeImage(jp2);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageCorrupt);
}

// A JPEG cut before its end marker is kImageCorrupt (libjpeg would return a grey-padded image).
TEST(DecodeImage, TruncatedJpegIsCorrupt) {
    // Arrange
    Bytes jpeg = encode(".jpg", gradient(200, 260));
    jpeg.resize(jpeg.size() * 2 / 3);
    // Act
    auto image = decodeImage(jpeg);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageCorrupt);
}

// A PNG whose header claims 20000x20000 is refused as too large before decoding.
TEST(DecodeImage, HugeDeclaredPngIsTooLarge) {
    // Arrange: a real PNG whose IHDR width/height are rewritten to 20000 (CRC left stale).
    Bytes png = encode(".png", gradient(64, 64));
    for (int at : {16, 20}) {
        png[at] = 0;
        png[at + 1] = 0;
        png[at + 2] = 0x4E;
        png[at + 3] = 0x20;
    }
    // Act
    auto image = decodeImage(png);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageTooLarge);
}

// A JPEG whose SOF claims 20000x20000 is refused as too large before decoding.
TEST(DecodeImage, HugeDeclaredJpegIsTooLarge) {
    // Arrange
    Bytes jpeg = encode(".jpg", gradient(64, 64));
    auto header = readImageHeader(jpeg);
    ASSERT_TRUE(header.ok());
    for (std::size_t i = 2; i + 9 < jpeg.size(); ++i) {
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
            jpeg[i + 5] = 0x4E;  // height 0x4E20 = 20000
            jpeg[i + 6] = 0x20;
            jpeg[i + 7] = 0x4E;  // width
            jpeg[i + 8] = 0x20;
            break;
        }
    }
    // Act
    auto image = decodeImage(jpeg);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageTooLarge);
}

// More bytes than the limit are refused without decoding.
TEST(DecodeImage, TooManyBytesIsTooLarge) {
    // Arrange
    const Bytes png = encode(".png", gradient(64, 64));
    ImageLimits limits;
    limits.maxBytes = 100;
    // Act
    auto image = decodeImage(png, limits);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageTooLarge);
}

// Random bytes after a valid PNG signature are kImageCorrupt, not a crash.
TEST(DecodeImage, GarbageAfterPngSignatureIsCorrupt) {
    // Arrange
    Bytes bytes = encode(".png", gradient(64, 64));
    for (std::size_t i = 33; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(i * 37);
    // Act
    auto image = decodeImage(bytes);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kImageCorrupt);
}

// A missing file is kFileUnreadable.
TEST(DecodeImageFile, MissingFileIsUnreadable) {
    // Arrange
    const std::filesystem::path file = "/nonexistent/uketsuke/photo.jp2";
    // Act
    auto image = decodeImageFile(file);
    // Assert
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error(), VisionError::kFileUnreadable);
}

}  // namespace
}  // namespace uketsuke::vision
