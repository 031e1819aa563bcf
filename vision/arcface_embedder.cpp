// fr_feature.onnx through OpenCV DNN with our own 5-point similarity alignment (see
// arcface_embedder.h). The package's own JS uses a 3-point affine (it shears faces) and a broken
// matcher; neither is reproduced here.
#include "vision/arcface_embedder.h"

#include <cmath>
#include <new>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

namespace uketsuke::vision {
namespace {

// The ArcFace 112x112 template (insightface), the same five points the package's JS lists.
const std::array<cv::Point2f, 5> kTemplate{{{38.2946f, 51.6963f},
                                            {73.5318f, 51.5014f},
                                            {56.0252f, 71.7366f},
                                            {41.5493f, 92.3655f},
                                            {70.7299f, 92.2041f}}};

cv::Point2f meanOf(const Landmarks68& p, std::initializer_list<int> indices) {
    cv::Point2f sum(0, 0);
    for (int i : indices)
        sum += p[i];
    return sum * (1.0f / static_cast<float>(indices.size()));
}

// Least-squares similarity (Umeyama without reflection) mapping `from` onto `to`.
cv::Matx23d similarity(const std::array<cv::Point2f, 5>& from,
                       const std::array<cv::Point2f, 5>& to) {
    cv::Point2d mf(0, 0), mt(0, 0);
    for (int i = 0; i < 5; ++i) {
        mf += cv::Point2d(from[i]);
        mt += cv::Point2d(to[i]);
    }
    mf *= 0.2;
    mt *= 0.2;
    double a = 0, b = 0, var = 0;
    for (int i = 0; i < 5; ++i) {
        const cv::Point2d f = cv::Point2d(from[i]) - mf;
        const cv::Point2d t = cv::Point2d(to[i]) - mt;
        a += f.x * t.x + f.y * t.y;
        b += f.x * t.y - f.y * t.x;
        var += f.x * f.x + f.y * f.y;
    }
    if (var <= 1e-9)
        return cv::Matx23d(1, 0, 0, 0, 1, 0);
    const double sc = a / var, ss = b / var;  // s*cos, s*sin
    return cv::Matx23d(sc, -ss, mt.x - (sc * mf.x - ss * mf.y), ss, sc,
                       mt.y - (ss * mf.x + sc * mf.y));
}

class OnnxArcFace final : public ArcFaceEmbedder {
  public:
    explicit OnnxArcFace(const cv::dnn::Net& net) : net_(net) {}

    VisionResult<ArcFaceEmbedding> embed(const cv::Mat& chip) override {
        if (chip.rows != kArcFaceChipPx || chip.cols != kArcFaceChipPx || chip.depth() != CV_8U ||
            (chip.channels() != 3 && chip.channels() != 1))
            return fail(VisionError::kInvalidChip);
        try {
            cv::Mat bgr = chip;
            if (chip.channels() == 1)
                cv::cvtColor(chip, bgr, cv::COLOR_GRAY2BGR);
            // RGB planes, (p - 127) / 128.
            const cv::Mat blob = cv::dnn::blobFromImage(bgr, 1.0 / 128.0, cv::Size(),
                                                        cv::Scalar(127, 127, 127), true, false);
            net_.setInput(blob);
            const cv::Mat out = net_.forward();
            if (out.total() != kArcFaceEmbeddingSize)
                return fail(VisionError::kInternal);
            const float* v = out.ptr<float>();
            double norm = 0.0;
            for (int i = 0; i < kArcFaceEmbeddingSize; ++i)
                norm += static_cast<double>(v[i]) * v[i];
            norm = std::sqrt(std::max(norm, 1e-12));
            ArcFaceEmbedding e{};
            for (int i = 0; i < kArcFaceEmbeddingSize; ++i)
                e[static_cast<std::size_t>(i)] = static_cast<float>(v[i] / norm);
            return e;
        } catch (const std::bad_alloc&) {
            return fail(VisionError::kOutOfMemory);
        } catch (const std::exception&) {
            return fail(VisionError::kInternal);
        }
    }

  private:
    cv::dnn::Net net_;
};

}  // namespace

double arcFaceDistance(const ArcFaceEmbedding& a, const ArcFaceEmbedding& b) {
    double dot = 0.0;
    for (int i = 0; i < kArcFaceEmbeddingSize; ++i)
        dot += static_cast<double>(a[static_cast<std::size_t>(i)]) * b[static_cast<std::size_t>(i)];
    return 1.0 - dot;
}

std::array<cv::Point2f, 5> fivePoints(const Landmarks68& p) {
    // Image-left eye = landmarks 36-41 (the subject's right eye), as in the template's order.
    return {meanOf(p, {36, 37, 38, 39, 40, 41}), meanOf(p, {42, 43, 44, 45, 46, 47}), p[30],
            meanOf(p, {48, 60}), meanOf(p, {54, 64})};
}

VisionResult<cv::Mat> alignArcFace(const cv::Mat& image, const Landmarks68& landmarks) {
    if (image.empty())
        return fail(VisionError::kImageEmpty);
    try {
        const cv::Matx23d m = similarity(fivePoints(landmarks), kTemplate);
        cv::Mat chip;
        cv::warpAffine(image, chip, cv::Mat(m), cv::Size(kArcFaceChipPx, kArcFaceChipPx),
                       cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
        return chip;
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kInternal);
    }
}

VisionResult<std::unique_ptr<ArcFaceEmbedder>> loadArcFaceEmbedder(
    const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return fail(VisionError::kModelMissing);
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(file.string());
        if (net.empty())
            return fail(VisionError::kModelCorrupt);
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return std::unique_ptr<ArcFaceEmbedder>(new OnnxArcFace(net));
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kModelCorrupt);
    }
}

}  // namespace uketsuke::vision
