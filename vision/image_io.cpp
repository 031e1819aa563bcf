// Safe decoding of untrusted image bytes: the header's declared size is checked against limits
// before OpenCV allocates anything, truncation is detected where the format allows, and every
// OpenCV exception becomes a VisionError.
#include "vision/image_io.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <new>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "uketsuke/jp2_boxes.h"

namespace uketsuke::vision {
namespace {

std::uint32_t be16(ByteView b, std::size_t at) {
    return (b[at] << 8) | b[at + 1];
}
std::uint32_t be32(ByteView b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}
std::int32_t le32(ByteView b, std::size_t at) {
    return static_cast<std::int32_t>(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) |
                                     (std::uint32_t{b[at + 3]} << 24));
}
bool startsWith(ByteView b, std::initializer_list<std::uint8_t> magic) {
    return b.size() >= magic.size() && std::equal(magic.begin(), magic.end(), b.begin());
}

VisionResult<ImageHeader> sized(ImageFormat format, long width, long height) {
    if (width <= 0 || height <= 0)
        return fail(VisionError::kImageCorrupt);
    constexpr long kMaxSide = 1L << 20;  // keeps the int conversion and w*h products sane
    return ImageHeader{format, static_cast<int>(std::min(width, kMaxSide)),
                       static_cast<int>(std::min(height, kMaxSide))};
}

// JPEG: walk the marker segments to the first SOFn (ITU T.81 B.2).
VisionResult<ImageHeader> jpegHeader(ByteView b) {
    std::size_t at = 2;
    while (at + 4 <= b.size()) {
        if (b[at] != 0xFF)
            return fail(VisionError::kImageCorrupt);
        const std::uint8_t marker = b[at + 1];
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        const std::size_t length = be16(b, at + 2);
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (at + 9 > b.size())
                break;
            return sized(ImageFormat::kJpeg, be16(b, at + 7), be16(b, at + 5));
        }
        if (length < 2)
            return fail(VisionError::kImageCorrupt);
        at += 2 + length;
    }
    return fail(VisionError::kImageCorrupt);
}

// J2K codestream: SOC (FF4F) then SIZ (FF51): Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz (ISO 15444-1 A.5.1).
VisionResult<ImageHeader> j2kHeader(ByteView b, std::size_t at, ImageFormat format) {
    if (at + 4 + 2 + 2 + 16 > b.size() || be16(b, at) != 0xFF4F || be16(b, at + 2) != 0xFF51)
        return fail(VisionError::kImageCorrupt);
    const long xsiz = be32(b, at + 8), ysiz = be32(b, at + 12);
    const long xo = be32(b, at + 16), yo = be32(b, at + 20);
    return sized(format, xsiz - xo, ysiz - yo);
}

// JP2: boxes; the image header box 'ihdr' (HEIGHT, WIDTH) sits in the 'jp2h' superbox (I.5.3).
VisionResult<ImageHeader> jp2Header(ByteView b) {
    ByteView rest = b;
    while (const auto box = jp2::readBox(rest)) {
        if (box->type == jp2::kJp2h) {  // descend
            rest = box->content;
            continue;
        }
        if (box->type == jp2::kIhdr) {
            const auto ihdr = jp2::readImageHeader(box->content);
            if (!ihdr)
                break;
            return sized(ImageFormat::kJp2, ihdr->widthPx, ihdr->heightPx);
        }
        rest = rest.subspan(box->total);
    }
    return fail(VisionError::kImageCorrupt);
}

// PNM: "P5\n# comment\n<width> <height>\n..." (netpbm).
VisionResult<ImageHeader> pnmHeader(ByteView b) {
    std::size_t at = 2;
    long values[2] = {0, 0};
    for (long& v : values) {
        while (at < b.size() && (std::isspace(b[at]) || b[at] == '#')) {
            if (b[at] == '#')
                while (at < b.size() && b[at] != '\n')
                    ++at;
            else
                ++at;
        }
        if (at >= b.size() || !std::isdigit(b[at]))
            return fail(VisionError::kImageCorrupt);
        while (at < b.size() && std::isdigit(b[at]) && v < (1L << 24))
            v = v * 10 + (b[at++] - '0');
    }
    return sized(ImageFormat::kPnm, values[0], values[1]);
}

// Truncation check for formats whose decoders accept a cut file silently: a JPEG must end with
// EOI (FFD9), allowing for trailing bytes some cameras append.
bool looksTruncated(const ImageHeader& header, ByteView b) {
    if (header.format != ImageFormat::kJpeg)
        return false;
    const std::size_t from = b.size() > 65536 ? b.size() - 65536 : 0;
    for (std::size_t i = b.size() - 1; i > from; --i)
        if (b[i - 1] == 0xFF && b[i] == 0xD9)
            return false;
    return true;
}

}  // namespace

VisionResult<ImageHeader> readImageHeader(ByteView b) {
    if (b.empty())
        return fail(VisionError::kImageEmpty);
    if (startsWith(b, {0xFF, 0xD8, 0xFF}))
        return jpegHeader(b);
    if (startsWith(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
        if (b.size() < 24 || be32(b, 12) != 0x49484452)
            return fail(VisionError::kImageCorrupt);
        return sized(ImageFormat::kPng, be32(b, 16), be32(b, 20));
    }
    if (startsWith(b, {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A}))
        return jp2Header(b);
    if (startsWith(b, {0xFF, 0x4F, 0xFF, 0x51}))
        return j2kHeader(b, 0, ImageFormat::kJ2k);
    if (startsWith(b, {'B', 'M'})) {
        if (b.size() < 26)
            return fail(VisionError::kImageCorrupt);
        const std::int32_t dibSize = le32(b, 14);
        if (dibSize == 12)
            return sized(ImageFormat::kBmp, b[18] | (b[19] << 8), b[20] | (b[21] << 8));
        const long h = le32(b, 22);
        return sized(ImageFormat::kBmp, le32(b, 18), h < 0 ? -h : h);
    }
    if (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6')
        return pnmHeader(b);
    return fail(VisionError::kNotAnImage);
}

VisionResult<cv::Mat> decodeImage(ByteView bytes, const ImageLimits& limits) {
    if (bytes.empty())
        return fail(VisionError::kImageEmpty);
    if (bytes.size() > limits.maxBytes)
        return fail(VisionError::kImageTooLarge);
    auto header = readImageHeader(bytes);
    if (!header)
        return header.failure();
    if (header->widthPx > limits.maxWidthPx || header->heightPx > limits.maxHeightPx ||
        std::int64_t{header->widthPx} * header->heightPx > limits.maxPixels)
        return fail(VisionError::kImageTooLarge);
    if (header->widthPx < limits.minSidePx || header->heightPx < limits.minSidePx)
        return fail(VisionError::kImageCorrupt);
    if (looksTruncated(*header, bytes))
        return fail(VisionError::kImageCorrupt);
    try {
        const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                             const_cast<std::uint8_t*>(bytes.data()));
        cv::Mat image = cv::imdecode(buffer, cv::IMREAD_COLOR);
        if (image.empty())
            return fail(VisionError::kImageCorrupt);
        // The decoded size must be the declared one: anything else is a damaged header.
        if (image.cols != header->widthPx || image.rows != header->heightPx)
            return fail(VisionError::kImageCorrupt);
        return image;
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const cv::Exception&) {
        return fail(VisionError::kImageCorrupt);
    } catch (const std::exception&) {
        return fail(VisionError::kInternal);
    }
}

VisionResult<cv::Mat> decodeImageFile(const std::filesystem::path& file,
                                      const ImageLimits& limits) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return fail(VisionError::kFileUnreadable);
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return fail(VisionError::kFileUnreadable);
    if (size == 0)
        return fail(VisionError::kImageEmpty);
    if (size > limits.maxBytes)
        return fail(VisionError::kImageTooLarge);
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(VisionError::kFileUnreadable);
    Bytes bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!in)
        return fail(VisionError::kFileUnreadable);
    return decodeImage(bytes, limits);
}

}  // namespace uketsuke::vision
