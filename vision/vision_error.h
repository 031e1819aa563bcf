// VisionError: every way the face engine can fail, with its {code, name, description} table
// (style.md §6). Library exceptions (dlib::serialization_error, cv::Exception, std::bad_alloc) are
// caught at the vision/ boundary and mapped to one of these; nothing from dlib or OpenCV escapes.
#pragma once

#include <string_view>

#include "uketsuke/error_table.h"
#include "uketsuke/result.h"

namespace uketsuke::vision {

enum class VisionError {
    kModelMissing = 1,   // a model file does not exist
    kModelCorrupt,       // a model file exists but does not deserialize
    kImageEmpty,         // zero bytes, or an empty matrix
    kNotAnImage,         // bytes of no supported image format
    kImageCorrupt,       // a supported format whose data does not decode (truncated, damaged)
    kImageTooLarge,      // declared dimensions or byte size beyond the configured limits
    kNoFace,             // no face found
    kSeveralFaces,       // more than one face where exactly one is required
    kFaceTooSmall,       // a face was found but is too small to be compared reliably
    kInvalidChip,        // an aligned chip that is not 150x150 8-bit grey/BGR
    kSourceUnavailable,  // camera, video or image sequence cannot be opened
    kFileUnreadable,     // an image file does not exist or cannot be read
    kEndOfStream,        // the frame source has no more frames
    kOutOfMemory,        // std::bad_alloc inside OpenCV or dlib
    kInternal,           // any other library exception: a defect, reported not thrown
};

using VisionErrorInfo = ErrorInfo<VisionError>;

// ensures: a table entry for every enumerator (checked where the table is compiled).
const VisionErrorInfo& visionErrorInfo(VisionError error);
inline std::string_view name(VisionError error) {
    return visionErrorInfo(error).name;
}
inline std::string_view describe(VisionError error) {
    return visionErrorInfo(error).description;
}
inline int code(VisionError error) {
    return static_cast<int>(error);
}

template <typename T>
using VisionResult = Result<T, VisionError>;

}  // namespace uketsuke::vision
