// FaceEngine: the whole per-image pipeline behind one object (detect -> 68 landmarks -> quality ->
// aligned 150x150 chip -> 128-D embedding), loading both models once. The stages live in their own
// files; this is what the CLI, the verifier, the calibration bench and the session use.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "vision/arcface_embedder.h"
#include "vision/face_aligner.h"
#include "vision/face_detector.h"
#include "vision/face_embedder.h"
#include "vision/face_types.h"
#include "vision/landmark_predictor.h"
#include "vision/pad/pad_liveness_net.h"
#include "vision/pad/pad_texture.h"
#include "vision/quality.h"
#include "vision/vision_error.h"

namespace uketsuke::vision {

inline constexpr const char* kLandmarkModelFile = "shape_predictor_68_face_landmarks.dat";
inline constexpr const char* kRecognitionModelFile = "dlib_face_recognition_resnet_model_v1.dat";

struct FaceModelPaths {
    std::filesystem::path landmarks;
    std::filesystem::path recognition;
    // Optional second embedding (fr_feature.onnx); absent file = dlib only.
    std::filesystem::path arcFace;
    // Optional presentation-attack texture model (pad_svm.yml, SHA-256 pinned in
    // vision/pad/pad_texture.h); absent file = no texture cue.
    std::filesystem::path padTexture;
    // Optional presentation-attack network (fr_liveness.onnx, SHA-256 pinned in
    // vision/pad/pad_liveness_net.h); absent file = no network cue.
    std::filesystem::path livenessNet;
    // The files by their standard names in `modelsDir` (Config.vision.modelsDir).
    static FaceModelPaths inDirectory(const std::filesystem::path& modelsDir);
};

struct AnalyseOptions {
    DetectorOptions detector;
    QualityThresholds quality;
    bool computeEmbeddings = true;
    // Embed only faces that pass the quality gate (live frames); chip photos embed regardless.
    bool embedOnlyAcceptable = false;
};

struct FaceObservation {
    cv::Rect box;  // detector box (input coordinates)
    double detectionScore = 0.0;
    Landmarks68 landmarks{};
    FaceQuality quality;
    std::optional<Embedding> embedding;
};

// Not thread-safe (the detector and the network keep buffers): one engine per thread. Holds no
// image or embedding between calls.
class FaceEngine {
  public:
    // ensures: an engine with both dlib models loaded (and fr_feature.onnx when the file exists),
    //          or kModelMissing / kModelCorrupt.
    static VisionResult<std::unique_ptr<FaceEngine>> load(const FaceModelPaths& paths);
    ~FaceEngine();
    FaceEngine(const FaceEngine&) = delete;
    FaceEngine& operator=(const FaceEngine&) = delete;

    // Every face in the image, largest first.
    // requires: 8-bit BGR or grey image.
    // ensures:  observations (possibly none) or kImageEmpty / kOutOfMemory / kInternal.
    VisionResult<std::vector<FaceObservation>> analyse(const cv::Mat& image,
                                                       const AnalyseOptions& options = {});
    // Landmarks, quality and (optionally) embedding for a face whose box is already known
    // (tracking). Same contract as analyse() for one face.
    VisionResult<FaceObservation> analyseBox(const cv::Mat& image, const cv::Rect& box,
                                             const AnalyseOptions& options = {},
                                             const Landmarks68* previous = nullptr);
    // The largest face's observation with its embedding: kNoFace when there is none.
    VisionResult<FaceObservation> embedLargestFace(const cv::Mat& image,
                                                   const AnalyseOptions& options = {});
    // Embedding of a pre-cropped 150x150 chip (no detection, no alignment).
    VisionResult<Embedding> embedChip(const cv::Mat& chip150);

    // The stages, for pipelines that schedule them themselves (verifier, bench).
    FaceDetector& detector();
    const LandmarkPredictor& landmarkPredictor() const;
    const FaceAligner& aligner() const;
    FaceEmbedder& embedder();
    // The second embedding when its model was found; nullptr otherwise.
    ArcFaceEmbedder* arcFace();
    // The presentation-attack texture model when its file was found; nullptr otherwise.
    const pad::TextureModel* padTexture() const;
    // The presentation-attack network when its file was found; nullptr otherwise.
    pad::LivenessNet* livenessNet();

  private:
    struct Impl;
    explicit FaceEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace uketsuke::vision
