// FaceEmbedder over dlib's face-recognition ResNet (anet_type). The ONLY vision/ translation unit
// that instantiates the network (reference/toolchain.md §2: ~30 s and ~1.4 GB per TU).
#include "vision/face_embedder.h"

#include <new>

#include <opencv2/core.hpp>

#include "vision/face_net.h"

namespace uketsuke::vision {
namespace {

using detail::anet_type;

// Chips per forward pass: batching gives no per-image gain on CPU (reference §5); this only
// bounds the activation memory of a large batch.
constexpr std::size_t kBatchSize = 16;

// BGR or grey cv::Mat chip -> dlib RGB matrix. dlib's input layer takes R, G, B planes with its
// own mean subtraction; a grey chip is copied into all three channels (as a browser does).
dlib::matrix<dlib::rgb_pixel> toDlibRgb(const cv::Mat& chip) {
    dlib::matrix<dlib::rgb_pixel> out(chip.rows, chip.cols);
    for (int y = 0; y < chip.rows; ++y) {
        if (chip.type() == CV_8UC1) {
            const auto* row = chip.ptr<std::uint8_t>(y);
            for (int x = 0; x < chip.cols; ++x)
                out(y, x) = dlib::rgb_pixel(row[x], row[x], row[x]);
        } else {
            const auto* row = chip.ptr<cv::Vec3b>(y);
            for (int x = 0; x < chip.cols; ++x)
                out(y, x) = dlib::rgb_pixel(row[x][2], row[x][1], row[x][0]);
        }
    }
    return out;
}

bool validChip(const cv::Mat& chip) {
    return !chip.empty() && chip.rows == kChipSizePx && chip.cols == kChipSizePx &&
           (chip.type() == CV_8UC1 || chip.type() == CV_8UC3);
}

Embedding toEmbedding(const dlib::matrix<float, 0, 1>& m) {
    Embedding e{};
    for (int i = 0; i < kEmbeddingSize; ++i)
        e[i] = m(i);
    return e;
}

class DlibFaceEmbedder final : public FaceEmbedder {
  public:
    VisionResult<Embedding> embed(const cv::Mat& chip) override {
        auto batch = embedBatch({chip});
        if (!batch)
            return batch.failure();
        return batch.value()[0];
    }

    VisionResult<std::vector<Embedding>> embedBatch(const std::vector<cv::Mat>& chips) override {
        for (const auto& chip : chips)
            if (!validChip(chip))
                return fail(VisionError::kInvalidChip);
        try {
            std::vector<dlib::matrix<dlib::rgb_pixel>> inputs;
            inputs.reserve(chips.size());
            for (const auto& chip : chips)
                inputs.push_back(toDlibRgb(chip));
            const auto outputs = net(inputs, kBatchSize);
            std::vector<Embedding> result;
            result.reserve(outputs.size());
            for (const auto& o : outputs)
                result.push_back(toEmbedding(o));
            return result;
        } catch (const std::bad_alloc&) {
            return fail(VisionError::kOutOfMemory);
        } catch (const std::exception&) {
            return fail(VisionError::kInternal);
        }
    }

    anet_type net;
};

}  // namespace

VisionResult<std::unique_ptr<FaceEmbedder>> loadFaceEmbedder(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return fail(VisionError::kModelMissing);
    try {
        auto embedder = std::make_unique<DlibFaceEmbedder>();
        dlib::deserialize(file.string()) >> embedder->net;
        return std::unique_ptr<FaceEmbedder>(std::move(embedder));
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        // dlib::serialization_error (wrong file, truncated, another network) and anything else.
        return fail(VisionError::kModelCorrupt);
    }
}

}  // namespace uketsuke::vision
