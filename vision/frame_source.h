// Frame sources behind one interface (issue 3, "frame sources"): a camera device, a video file, an
// image sequence (OpenCV VideoCapture with CAP_V4L2 / CAP_FFMPEG / CAP_IMAGES), a single still
// image and frames held in memory (tests, bench, calibration). Paced at the source's frame rate
// unless told to run unpaced.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "vision/vision_error.h"

namespace uketsuke::vision {

struct Frame {
    cv::Mat bgr;                   // 8-bit, 3 channels (grey inputs are converted)
    std::int64_t timestampMs = 0;  // media time from the first frame (not wall-clock)
    std::int64_t index = 0;        // 0-based frame number
};

enum class FrameSourceKind { kCamera, kVideoFile, kImageSequence, kStillImage, kMemory };

enum class Pacing {
    kRealTime,  // next() sleeps so that frames arrive at fps() (what a camera does)
    kUnpaced,   // next() returns as fast as frames decode (tests, bench)
};

struct FrameSourceSpec {
    FrameSourceKind kind = FrameSourceKind::kVideoFile;
    // Camera: device index ("0"), a device path ("/dev/v4l/by-id/usb-…-video-index0", stable
    // across reboots and USB ports, unlike the index), or "by-id:TEXT" (the first capture node
    // under /dev/v4l/by-id whose name contains TEXT, e.g. "by-id:Logitech_C270"). Video: file path.
    // Image sequence: printf pattern such as
    // "/dir/frame_%04d.png" (CAP_IMAGES), or a directory whose image files are read in name order.
    // Still image: file path.
    std::string location;
    Pacing pacing = Pacing::kRealTime;
    double fpsOverride = 0.0;  // > 0: use instead of the container's rate (image sequences: 10)
    int cameraWidthPx = 1280;  // requested camera mode (the driver may choose another)
    int cameraHeightPx = 720;

    // Parses "camera:0", "camera:/dev/v4l/by-id/…", "camera:by-id:TEXT", "images:/dir/%04d.png",
    // "images:/dir", or a path (a still image when its extension is an image format, else a video
    // file).
    static FrameSourceSpec parse(const std::string& text, Pacing pacing = Pacing::kRealTime);
};

// A stream of frames. Not thread-safe: one consumer thread.
class FrameSource {
  public:
    virtual ~FrameSource() = default;
    // ensures: a non-empty 8-bit BGR frame with increasing index and timestamp, or nullopt at end
    //          of stream / on a read error (then error() says which). Never throws.
    virtual std::optional<Frame> next() = 0;
    // Frames per second the source delivers (camera: as reported, else 30).
    virtual double fps() const = 0;
    virtual FrameSourceKind kind() const = 0;
    // Set after next() returned nullopt: kEndOfStream at a normal end, otherwise the cause.
    virtual std::optional<VisionError> error() const = 0;
    // What was negotiated with the device (camera: "/dev/video2 1280x720 MJPG 30.0 fps, asked
    // 1280x720"); empty for other sources.
    virtual std::string negotiated() const { return {}; }
};

// The V4L2 device index a camera location names (see FrameSourceSpec::location): digits, a
// device path (symlinks such as /dev/v4l/by-id/… resolved to /dev/videoN), or "by-id:TEXT"
// searched under devRoot/v4l/by-id (only "-video-index0" nodes: the capture node of a camera).
// kSourceUnavailable when nothing matches. devRoot is for tests.
VisionResult<int> resolveCameraDevice(const std::string& location,
                                      const std::string& devRoot = "/dev");

// requires: spec.location names an existing device/file/pattern.
// ensures:  the source is open and its first frame readable, or kSourceUnavailable / kNotAnImage /
//           kImageCorrupt / kImageTooLarge / kFileUnreadable (a still image goes through
//           decodeImageFile).
VisionResult<std::unique_ptr<FrameSource>> openFrameSource(const FrameSourceSpec& spec);

// Frames held in memory, delivered at `fps` (timestamps index*1000/fps).
std::unique_ptr<FrameSource> makeMemoryFrameSource(std::vector<cv::Mat> frames, double fps,
                                                   Pacing pacing = Pacing::kUnpaced);

}  // namespace uketsuke::vision
