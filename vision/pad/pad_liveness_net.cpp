// fr_liveness.onnx through OpenCV DNN (see pad_liveness_net.h).
#include "vision/pad/pad_liveness_net.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <new>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "uketsuke/encoding.h"
#include "vision/order_statistics.h"

namespace uketsuke::vision::pad {

struct LivenessNet::Impl {
    cv::dnn::Net net;
};

cv::Rect livenessNetCrop(const cv::Size& frame, const cv::Rect& box, double scaleValue) {
    if (box.width <= 0 || box.height <= 0 || frame.width < 2 || frame.height < 2)
        return {};
    // As the package's alignLivenessImage: the largest scale <= scaleValue that fits, the crop
    // shifted back inside the frame.
    const double scale =
        std::min({(frame.height - 1.0) / box.height, (frame.width - 1.0) / box.width, scaleValue});
    const double w = box.width * scale, h = box.height * scale;
    const double cx = box.x + box.width / 2.0, cy = box.y + box.height / 2.0;
    double x0 = cx - w / 2, y0 = cy - h / 2, x1 = cx + w / 2, y1 = cy + h / 2;
    if (x0 < 0) {
        x1 -= x0;
        x0 = 0;
    }
    if (y0 < 0) {
        y1 -= y0;
        y0 = 0;
    }
    if (x1 > frame.width - 1) {
        x0 -= x1 - frame.width + 1;
        x1 = frame.width - 1;
    }
    if (y1 > frame.height - 1) {
        y0 -= y1 - frame.height + 1;
        y1 = frame.height - 1;
    }
    cv::Rect crop(static_cast<int>(std::max(0.0, x0)), static_cast<int>(std::max(0.0, y0)),
                  static_cast<int>(x1 - x0), static_cast<int>(y1 - y0));
    crop &= cv::Rect(0, 0, frame.width, frame.height);
    if (crop.width < 8 || crop.height < 8)
        return {};
    return crop;
}

LivenessNet::LivenessNet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LivenessNet::~LivenessNet() = default;

VisionResult<std::unique_ptr<LivenessNet>> LivenessNet::load(const std::filesystem::path& file,
                                                             const std::string& expectedSha256) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return fail(VisionError::kModelMissing);
    try {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof())
            return fail(VisionError::kModelCorrupt);
        if (!expectedSha256.empty() &&
            lowerHex(sha256(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size()))) != expectedSha256)
            return fail(VisionError::kModelCorrupt);
        cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
        if (net.empty())
            return fail(VisionError::kModelCorrupt);
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return std::unique_ptr<LivenessNet>(new LivenessNet(std::make_unique<Impl>(Impl{net})));
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kModelCorrupt);
    }
}

double LivenessNet::score(const cv::Mat& bgr, const cv::Rect& faceBox, double cropScale) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (bgr.empty() || bgr.type() != CV_8UC3)
        return kNaN;
    const cv::Rect crop = livenessNetCrop(bgr.size(), faceBox, cropScale);
    if (crop.empty())
        return kNaN;
    try {
        cv::Mat resized;
        cv::resize(bgr(crop), resized, cv::Size(kLivenessNetInputPx, kLivenessNetInputPx));
        // Raw 0-255, NCHW, channel order as in the frame: B, G, R (swapRB = false).
        const cv::Mat blob = cv::dnn::blobFromImage(resized, 1.0, cv::Size(), cv::Scalar(),
                                                    /*swapRB=*/false, /*crop=*/false, CV_32F);
        impl_->net.setInput(blob);
        const cv::Mat out = impl_->net.forward();
        if (out.total() < 3)
            return kNaN;
        const float* z = out.ptr<float>();
        const double zmax = std::max({z[0], z[1], z[2]});
        double sum = 0.0;
        for (int k = 0; k < 3; ++k)
            sum += std::exp(z[k] - zmax);
        const double pReal = std::exp(z[0] - zmax) / sum;
        // logit = ln p - ln(1 - p); ln(1 - p) from the other classes for precision.
        const double other = (std::exp(z[1] - zmax) + std::exp(z[2] - zmax)) / sum;
        const double logit = std::log(std::max(pReal, 1e-300)) - std::log(std::max(other, 1e-300));
        return std::clamp(logit, -12.0, 12.0);
    } catch (const std::exception&) {
        return kNaN;
    }
}

void LivenessNetCue::addFrame(const PadFrame& frame) {
    if (frame.bgr.empty())
        return;
    if (seen_++ % everyNth_ != 0)
        return;
    const double s = net_.score(frame.bgr, frame.faceBox);
    if (!std::isnan(s))
        scores_.push_back(s);
}

CueScore LivenessNetCue::score() const {
    CueScore s;
    s.samples = static_cast<int>(scores_.size());
    if (s.samples < minFrames_)
        return s;
    s.available = true;
    s.value = medianOf(scores_);
    return s;
}

}  // namespace uketsuke::vision::pad
