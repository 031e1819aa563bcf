// VisionError table (style.md §6: one {code, name, description} table per module).
#include "vision/vision_error.h"

#include <array>

#include "uketsuke/error_table.h"

namespace uketsuke::vision {
namespace {

// clang-format off
constexpr ErrorTable kVisionErrors{std::to_array<VisionErrorInfo>({
    {VisionError::kModelMissing, "model_missing", "a model file is missing (build the models target; see models/README.md)"},
    {VisionError::kModelCorrupt, "model_corrupt", "a model file does not load as the expected model"},
    {VisionError::kImageEmpty, "image_empty", "the image is empty (no bytes or no pixels)"},
    {VisionError::kNotAnImage, "not_an_image", "the data is not an image in a supported format (JPEG 2000, JPEG, PNG, BMP, PNM)"},
    {VisionError::kImageCorrupt, "image_corrupt", "the image data is truncated or damaged"},
    {VisionError::kImageTooLarge, "image_too_large", "the image is larger than the configured limits (bytes or pixels)"},
    {VisionError::kNoFace, "no_face", "no face was found in the image"},
    {VisionError::kSeveralFaces, "several_faces", "more than one face was found"},
    {VisionError::kFaceTooSmall, "face_too_small", "the face is too small to be compared reliably"},
    {VisionError::kInvalidChip, "invalid_chip", "a face chip must be 150x150 8-bit grey or BGR"},
    {VisionError::kSourceUnavailable, "source_unavailable", "the camera, video file or image sequence cannot be opened or read"},
    {VisionError::kFileUnreadable, "file_unreadable", "the image file does not exist or cannot be read"},
    {VisionError::kEndOfStream, "end_of_stream", "the frame source has no more frames"},
    {VisionError::kOutOfMemory, "out_of_memory", "out of memory while processing an image"},
    {VisionError::kInternal, "internal", "an unexpected error inside OpenCV or dlib"},
}), {VisionError::kInternal, "internal", "an unexpected error inside OpenCV or dlib"}, VisionError::kModelMissing, VisionError::kInternal};
// clang-format on

}  // namespace

const VisionErrorInfo& visionErrorInfo(VisionError error) {
    return kVisionErrors[error];
}

}  // namespace uketsuke::vision
