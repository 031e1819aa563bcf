// Frame sources: OpenCV VideoCapture (camera CAP_V4L2, video CAP_FFMPEG, image sequence
// CAP_IMAGES), a directory of images, a still image and frames in memory; optional real-time
// pacing.
#include "vision/frame_source.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "vision/dlib_bridge.h"
#include "vision/image_io.h"

namespace uketsuke::vision {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kDefaultFps = 30.0;
constexpr double kImageSequenceFps = 10.0;

bool hasImageExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : {".jpg", ".jpeg", ".png", ".jp2", ".j2k", ".bmp", ".pgm", ".ppm", ".pnm"})
        if (ext == e)
            return true;
    return false;
}

// Sleeps so that frame `index` is returned no earlier than index/fps after the first one.
class Pacer {
  public:
    Pacer(Pacing pacing, double fps) : pacing_(pacing), fps_(fps) {}
    void wait(std::int64_t index) {
        if (pacing_ != Pacing::kRealTime)
            return;
        if (index == 0)
            start_ = Clock::now();
        const auto due =
            start_ + std::chrono::microseconds(static_cast<std::int64_t>(index * 1e6 / fps_));
        std::this_thread::sleep_until(due);
    }

  private:
    Pacing pacing_;
    double fps_;
    Clock::time_point start_ = Clock::now();
};

Frame makeFrame(const cv::Mat& image, std::int64_t index, double fps) {
    return Frame{detail::toBgr(image), static_cast<std::int64_t>(index * 1000.0 / fps), index};
}

class CaptureFrameSource final : public FrameSource {
  public:
    CaptureFrameSource(std::unique_ptr<cv::VideoCapture> capture, FrameSourceKind kind, double fps,
                       Pacing pacing, cv::Mat first, std::string negotiated)
        : capture_(std::move(capture)),
          kind_(kind),
          fps_(fps),
          pacer_(pacing, fps),
          pending_(std::move(first)),
          negotiated_(std::move(negotiated)) {}

    std::optional<Frame> next() override {
        if (error_)
            return std::nullopt;
        cv::Mat image;
        try {
            if (!pending_.empty()) {
                image = std::move(pending_);
                pending_.release();
            } else if (!capture_->read(image) || image.empty()) {
                error_ = VisionError::kEndOfStream;
                return std::nullopt;
            }
        } catch (const std::exception&) {
            error_ = VisionError::kSourceUnavailable;
            return std::nullopt;
        }
        pacer_.wait(index_);
        Frame frame = makeFrame(image, index_, fps_);
        if (kind_ == FrameSourceKind::kCamera) {
            if (index_ == 0)
                start_ = Clock::now();
            frame.timestampMs =
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_)
                    .count();
        }
        ++index_;
        return frame;
    }
    double fps() const override { return fps_; }
    FrameSourceKind kind() const override { return kind_; }
    std::optional<VisionError> error() const override { return error_; }
    std::string negotiated() const override { return negotiated_; }

  private:
    std::unique_ptr<cv::VideoCapture> capture_;
    FrameSourceKind kind_;
    double fps_;
    Pacer pacer_;
    cv::Mat pending_;
    std::string negotiated_;
    std::int64_t index_ = 0;
    Clock::time_point start_ = Clock::now();
    std::optional<VisionError> error_;
};

// Still images, a directory of images and in-memory frames: a list of decoded or decodable images.
class ListFrameSource final : public FrameSource {
  public:
    ListFrameSource(std::vector<cv::Mat> frames, std::vector<std::filesystem::path> files,
                    FrameSourceKind kind, double fps, Pacing pacing)
        : frames_(std::move(frames)),
          files_(std::move(files)),
          kind_(kind),
          fps_(fps),
          pacer_(pacing, fps) {}

    std::optional<Frame> next() override {
        if (error_)
            return std::nullopt;
        const std::size_t count = files_.empty() ? frames_.size() : files_.size();
        if (static_cast<std::size_t>(index_) >= count) {
            error_ = VisionError::kEndOfStream;
            return std::nullopt;
        }
        cv::Mat image;
        if (files_.empty()) {
            image = frames_[static_cast<std::size_t>(index_)];
        } else {
            auto decoded = decodeImageFile(files_[static_cast<std::size_t>(index_)]);
            if (!decoded) {
                error_ = decoded.error();
                return std::nullopt;
            }
            image = std::move(decoded).takeValue();
        }
        pacer_.wait(index_);
        Frame frame = makeFrame(image, index_, fps_);
        ++index_;
        return frame;
    }
    double fps() const override { return fps_; }
    FrameSourceKind kind() const override { return kind_; }
    std::optional<VisionError> error() const override { return error_; }

  private:
    std::vector<cv::Mat> frames_;
    std::vector<std::filesystem::path> files_;
    FrameSourceKind kind_;
    double fps_;
    Pacer pacer_;
    std::int64_t index_ = 0;
    std::optional<VisionError> error_;
};

std::string describeNegotiated(cv::VideoCapture& capture, int device, const FrameSourceSpec& spec) {
    const auto fourcc = static_cast<std::uint32_t>(capture.get(cv::CAP_PROP_FOURCC));
    std::string code;
    for (int i = 0; i < 4; ++i) {
        const char c = static_cast<char>((fourcc >> (8 * i)) & 0xFF);
        code += (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "/dev/video%d %dx%d %s %.1f fps, asked %dx%d", device,
                  static_cast<int>(capture.get(cv::CAP_PROP_FRAME_WIDTH)),
                  static_cast<int>(capture.get(cv::CAP_PROP_FRAME_HEIGHT)), code.c_str(),
                  capture.get(cv::CAP_PROP_FPS), spec.cameraWidthPx, spec.cameraHeightPx);
    return buf;
}

VisionResult<std::unique_ptr<FrameSource>> openCapture(const FrameSourceSpec& spec) {
    auto capture = std::make_unique<cv::VideoCapture>();
    bool opened = false;
    std::string negotiated;
    switch (spec.kind) {
        case FrameSourceKind::kCamera: {
            auto device = resolveCameraDevice(spec.location.empty() ? "0" : spec.location);
            if (!device)
                return device.failure();
            opened = capture->open(*device, cv::CAP_V4L2);
            if (opened) {
                capture->set(cv::CAP_PROP_FRAME_WIDTH, spec.cameraWidthPx);
                capture->set(cv::CAP_PROP_FRAME_HEIGHT, spec.cameraHeightPx);
                negotiated = describeNegotiated(*capture, *device, spec);
            }
            break;
        }
        case FrameSourceKind::kVideoFile: {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(spec.location, ec))
                return fail(VisionError::kSourceUnavailable);
            opened = capture->open(spec.location, cv::CAP_FFMPEG);
            break;
        }
        case FrameSourceKind::kImageSequence:
            opened = capture->open(spec.location, cv::CAP_IMAGES);
            break;
        default:
            return fail(VisionError::kSourceUnavailable);
    }
    if (!opened || !capture->isOpened())
        return fail(VisionError::kSourceUnavailable);
    cv::Mat first;
    if (!capture->read(first) || first.empty())
        return fail(VisionError::kSourceUnavailable);
    double fps = spec.fpsOverride;
    if (fps <= 0.0) {
        fps = spec.kind == FrameSourceKind::kImageSequence ? kImageSequenceFps
                                                           : capture->get(cv::CAP_PROP_FPS);
        if (!(fps > 0.0 && fps < 1000.0))
            fps = kDefaultFps;
    }
    return std::unique_ptr<FrameSource>(std::make_unique<CaptureFrameSource>(
        std::move(capture), spec.kind, fps, spec.pacing, std::move(first), std::move(negotiated)));
}

}  // namespace

VisionResult<int> resolveCameraDevice(const std::string& location, const std::string& devRoot) {
    namespace fs = std::filesystem;
    auto digitsValue = [](std::string_view s) -> std::optional<int> {
        if (s.empty() || s.size() > 3)
            return std::nullopt;
        int v = 0;
        for (char c : s) {
            if (c < '0' || c > '9')
                return std::nullopt;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    if (auto index = digitsValue(location))
        return *index;
    fs::path node;
    constexpr std::string_view kById = "by-id:";
    std::error_code ec;
    if (location.rfind(kById, 0) == 0) {
        const std::string wanted = location.substr(kById.size());
        if (wanted.empty())
            return fail(VisionError::kSourceUnavailable);
        std::vector<fs::path> matches;
        for (const auto& entry : fs::directory_iterator(fs::path(devRoot) / "v4l" / "by-id", ec)) {
            const std::string name = entry.path().filename().string();
            if (name.find(wanted) != std::string::npos && name.size() > 13 &&
                name.compare(name.size() - 13, 13, "-video-index0") == 0)
                matches.push_back(entry.path());
        }
        if (matches.empty())
            return fail(VisionError::kSourceUnavailable);
        std::sort(matches.begin(), matches.end());
        node = matches.front();
    } else if (!location.empty() && location.front() == '/') {
        node = location;
    } else {
        return fail(VisionError::kSourceUnavailable);
    }
    const fs::path device = fs::canonical(node, ec);  // by-id links point at ../../videoN
    if (ec)
        return fail(VisionError::kSourceUnavailable);
    const std::string base = device.filename().string();
    if (base.rfind("video", 0) != 0)
        return fail(VisionError::kSourceUnavailable);
    auto index = digitsValue(std::string_view(base).substr(5));
    if (!index)
        return fail(VisionError::kSourceUnavailable);
    return *index;
}

FrameSourceSpec FrameSourceSpec::parse(const std::string& text, Pacing pacing) {
    FrameSourceSpec spec;
    spec.pacing = pacing;
    auto rest = [&](std::size_t n) { return text.substr(n); };
    if (text.rfind("camera:", 0) == 0) {
        spec.kind = FrameSourceKind::kCamera;
        spec.location = rest(7);
    } else if (text.rfind("images:", 0) == 0) {
        spec.kind = FrameSourceKind::kImageSequence;
        spec.location = rest(7);
    } else {
        spec.location = text;
        std::error_code ec;
        if (std::filesystem::is_directory(text, ec))
            spec.kind = FrameSourceKind::kImageSequence;
        else
            spec.kind = hasImageExtension(text) ? FrameSourceKind::kStillImage
                                                : FrameSourceKind::kVideoFile;
    }
    return spec;
}

VisionResult<std::unique_ptr<FrameSource>> openFrameSource(const FrameSourceSpec& spec) {
    try {
        if (spec.kind == FrameSourceKind::kStillImage) {
            auto image = decodeImageFile(spec.location);
            if (!image)
                return image.failure();
            std::vector<cv::Mat> frames{std::move(image).takeValue()};
            const double fps = spec.fpsOverride > 0.0 ? spec.fpsOverride : kDefaultFps;
            return std::unique_ptr<FrameSource>(std::make_unique<ListFrameSource>(
                std::move(frames), std::vector<std::filesystem::path>{},
                FrameSourceKind::kStillImage, fps, spec.pacing));
        }
        std::error_code ec;
        if (spec.kind == FrameSourceKind::kImageSequence &&
            std::filesystem::is_directory(spec.location, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::directory_iterator(spec.location, ec))
                if (entry.is_regular_file() && hasImageExtension(entry.path()))
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            if (files.empty())
                return fail(VisionError::kSourceUnavailable);
            auto first = decodeImageFile(files.front());
            if (!first)
                return first.failure();
            const double fps = spec.fpsOverride > 0.0 ? spec.fpsOverride : kImageSequenceFps;
            return std::unique_ptr<FrameSource>(std::make_unique<ListFrameSource>(
                std::vector<cv::Mat>{}, std::move(files), FrameSourceKind::kImageSequence, fps,
                spec.pacing));
        }
        return openCapture(spec);
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kSourceUnavailable);
    }
}

std::unique_ptr<FrameSource> makeMemoryFrameSource(std::vector<cv::Mat> frames, double fps,
                                                   Pacing pacing) {
    return std::make_unique<ListFrameSource>(
        std::move(frames), std::vector<std::filesystem::path>{}, FrameSourceKind::kMemory,
        fps > 0 ? fps : kDefaultFps, pacing);
}

}  // namespace uketsuke::vision
