// Chip photo loading (券面AP portrait, greyscale JPEG 2000) and chip-style rendering.
#include "vision/chip_photo.h"

#include <new>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace uketsuke::vision {

namespace {

VisionResult<ChipReference> referenceFromImage(FaceEngine& engine, const cv::Mat& image,
                                               const ChipPhotoOptions& options) {
    AnalyseOptions analyse;
    analyse.detector = options.detector;
    analyse.computeEmbeddings = false;
    auto faces = engine.analyse(image, analyse);
    if (!faces)
        return faces.failure();
    if (faces->empty())
        return fail(VisionError::kNoFace);
    if (faces->size() > 1)
        return fail(VisionError::kSeveralFaces);
    const FaceObservation& face = faces->front();
    if (face.box.height < options.minFaceHeightPx)
        return fail(VisionError::kFaceTooSmall);
    auto chip = engine.aligner().align(image, face.landmarks);
    if (!chip)
        return chip.failure();
    auto embedding = engine.embedChip(chip.value());
    if (!embedding)
        return embedding.failure();
    ChipReference reference{embedding.value(), std::nullopt, face.box, image.size(), face.quality};
    if (ArcFaceEmbedder* second = engine.arcFace()) {
        auto arcChip = alignArcFace(image, face.landmarks);
        if (!arcChip)
            return arcChip.failure();
        auto arc = second->embed(arcChip.value());
        if (!arc)
            return arc.failure();
        reference.arcFace = arc.value();
    }
    return reference;
}

}  // namespace

VisionResult<ChipReference> loadChipPhoto(FaceEngine& engine, ByteView bytes,
                                          const ChipPhotoOptions& options) {
    auto image = decodeImage(bytes, options.limits);
    if (!image)
        return image.failure();
    return referenceFromImage(engine, image.value(), options);
}

VisionResult<ChipReference> loadChipPhotoFile(FaceEngine& engine, const std::filesystem::path& file,
                                              const ChipPhotoOptions& options) {
    auto image = decodeImageFile(file, options.limits);
    if (!image)
        return image.failure();
    return referenceFromImage(engine, image.value(), options);
}

cv::Rect portraitCropAround(const cv::Rect& faceBox, cv::Size imageSize) {
    const double cx = faceBox.x + faceBox.width / 2.0;
    const double cy = faceBox.y + faceBox.height / 2.0 + 0.1 * faceBox.height;
    const double w = faceBox.width * 2.0, h = faceBox.height * 2.6;
    const cv::Rect crop(static_cast<int>(cx - w / 2), static_cast<int>(cy - h / 2),
                        static_cast<int>(w), static_cast<int>(h));
    return crop & cv::Rect(0, 0, imageSize.width, imageSize.height);
}

VisionResult<ChipStylePhoto> makeChipStylePhoto(const cv::Mat& colour,
                                                const ChipStyleOptions& options) {
    if (colour.empty() || options.heightPx < 16)
        return fail(VisionError::kImageEmpty);
    try {
        cv::Mat source = colour;
        if (options.crop) {
            const cv::Rect crop = *options.crop & cv::Rect(0, 0, colour.cols, colour.rows);
            if (crop.empty())
                return fail(VisionError::kImageEmpty);
            source = colour(crop);
        }
        cv::Mat grey;
        if (source.channels() == 3)
            cv::cvtColor(source, grey, cv::COLOR_BGR2GRAY);
        else
            grey = source;
        const double s = static_cast<double>(options.heightPx) / grey.rows;
        cv::Mat resized;
        cv::resize(
            grey, resized,
            cv::Size(std::max(1, static_cast<int>(std::lround(grey.cols * s))), options.heightPx),
            0, 0, s < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
        ChipStylePhoto photo;
        if (!cv::imencode(".jp2", resized, photo.jp2,
                          {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, options.compressionX1000}))
            return fail(VisionError::kInternal);
        photo.decoded = cv::imdecode(photo.jp2, cv::IMREAD_GRAYSCALE);
        if (photo.decoded.empty())
            return fail(VisionError::kInternal);
        return photo;
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const cv::Exception&) {
        return fail(VisionError::kInternal);
    }
}

}  // namespace uketsuke::vision
