// FaceEngine: the stages of face_detector / landmark_predictor / quality / face_aligner /
// face_embedder composed for one image, with both models loaded once.
#include "vision/face_engine.h"

#include <new>
#include <optional>

namespace uketsuke::vision {

struct FaceEngine::Impl {
    std::unique_ptr<FaceDetector> detector;
    std::unique_ptr<LandmarkPredictor> landmarks;
    FaceAligner aligner;
    std::unique_ptr<FaceEmbedder> embedder;
    std::unique_ptr<ArcFaceEmbedder> arcFace;
    std::optional<pad::TextureModel> padTexture;
    std::unique_ptr<pad::LivenessNet> livenessNet;
};

FaceModelPaths FaceModelPaths::inDirectory(const std::filesystem::path& modelsDir) {
    return FaceModelPaths{modelsDir / kLandmarkModelFile, modelsDir / kRecognitionModelFile,
                          modelsDir / kArcFaceModelFile, modelsDir / pad::kPadModelFile,
                          modelsDir / pad::kLivenessNetFile};
}

VisionResult<std::unique_ptr<FaceEngine>> FaceEngine::load(const FaceModelPaths& paths) {
    auto landmarks = loadLandmarkPredictor(paths.landmarks);
    if (!landmarks)
        return landmarks.failure();
    auto embedder = loadFaceEmbedder(paths.recognition);
    if (!embedder)
        return embedder.failure();
    std::unique_ptr<ArcFaceEmbedder> arcFace;
    std::error_code ec;
    if (!paths.arcFace.empty() && std::filesystem::exists(paths.arcFace, ec)) {
        auto loaded = loadArcFaceEmbedder(paths.arcFace);
        if (!loaded)
            return loaded.failure();  // present but unreadable: a configuration error
        arcFace = std::move(loaded).takeValue();
    }
    std::optional<pad::TextureModel> padTexture;
    if (!paths.padTexture.empty() && std::filesystem::exists(paths.padTexture, ec)) {
        // Present but altered or unreadable: a configuration error, not a silent downgrade.
        padTexture = pad::TextureModel::load(paths.padTexture, pad::kPadModelSha256);
        if (!padTexture)
            return fail(VisionError::kModelCorrupt);
    }
    std::unique_ptr<pad::LivenessNet> livenessNet;
    if (!paths.livenessNet.empty() && std::filesystem::exists(paths.livenessNet, ec)) {
        auto loaded = pad::LivenessNet::load(paths.livenessNet);
        if (!loaded)
            return loaded.failure();  // present but altered or unreadable: configuration error
        livenessNet = std::move(loaded).takeValue();
    }
    try {
        auto impl = std::make_unique<Impl>(Impl{createHogFaceDetector(),
                                                std::move(landmarks).takeValue(), FaceAligner{},
                                                std::move(embedder).takeValue(), std::move(arcFace),
                                                std::move(padTexture), std::move(livenessNet)});
        return std::unique_ptr<FaceEngine>(new FaceEngine(std::move(impl)));
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    }
}

FaceEngine::FaceEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceEngine::~FaceEngine() = default;

FaceDetector& FaceEngine::detector() {
    return *impl_->detector;
}
const LandmarkPredictor& FaceEngine::landmarkPredictor() const {
    return *impl_->landmarks;
}
const FaceAligner& FaceEngine::aligner() const {
    return impl_->aligner;
}
FaceEmbedder& FaceEngine::embedder() {
    return *impl_->embedder;
}
ArcFaceEmbedder* FaceEngine::arcFace() {
    return impl_->arcFace.get();
}
const pad::TextureModel* FaceEngine::padTexture() const {
    return impl_->padTexture ? &*impl_->padTexture : nullptr;
}
pad::LivenessNet* FaceEngine::livenessNet() {
    return impl_->livenessNet.get();
}

VisionResult<FaceObservation> FaceEngine::analyseBox(const cv::Mat& image, const cv::Rect& box,
                                                     const AnalyseOptions& options,
                                                     const Landmarks68* previous) {
    if (image.empty())
        return fail(VisionError::kImageEmpty);
    try {
        FaceObservation obs;
        obs.box = box;
        obs.landmarks = impl_->landmarks->predict(image, box);
        obs.quality = assessQuality(image, obs.landmarks, options.quality, previous);
        if (options.computeEmbeddings &&
            (!options.embedOnlyAcceptable || obs.quality.acceptable())) {
            auto chip = impl_->aligner.align(image, obs.landmarks);
            if (!chip)
                return chip.failure();
            auto embedding = impl_->embedder->embed(chip.value());
            if (!embedding)
                return embedding.failure();
            obs.embedding = embedding.value();
        }
        return obs;
    } catch (const std::bad_alloc&) {
        return fail(VisionError::kOutOfMemory);
    } catch (const std::exception&) {
        return fail(VisionError::kInternal);
    }
}

VisionResult<std::vector<FaceObservation>> FaceEngine::analyse(const cv::Mat& image,
                                                               const AnalyseOptions& options) {
    auto detections = impl_->detector->detect(image, options.detector);
    if (!detections)
        return detections.failure();
    std::vector<FaceObservation> out;
    for (const auto& d : detections.value()) {
        auto obs = analyseBox(image, d.box, options);
        if (!obs)
            return obs.failure();
        obs.value().detectionScore = d.score;
        out.push_back(std::move(obs).takeValue());
    }
    return out;
}

VisionResult<FaceObservation> FaceEngine::embedLargestFace(const cv::Mat& image,
                                                           const AnalyseOptions& options) {
    auto detections = impl_->detector->detect(image, options.detector);
    if (!detections)
        return detections.failure();
    if (detections->empty())
        return fail(VisionError::kNoFace);
    AnalyseOptions embedAlways = options;
    embedAlways.computeEmbeddings = true;
    embedAlways.embedOnlyAcceptable = false;
    auto obs = analyseBox(image, detections->front().box, embedAlways);
    if (!obs)
        return obs.failure();
    obs.value().detectionScore = detections->front().score;
    return obs;
}

VisionResult<Embedding> FaceEngine::embedChip(const cv::Mat& chip150) {
    return impl_->embedder->embed(chip150);
}

}  // namespace uketsuke::vision
