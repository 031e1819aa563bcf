// Multi-frame calibration material (issue 12): every face of the NUAA webcam clips
// (../shared/data/nuaa-dev/live) and of the East-Asian dev stills analysed once, with the quality
// gate's findings and all the embeddings the evaluation compares (dlib on the colour frame and on
// its grey version, fr_feature.onnx when present), and, for the items chosen as card photos, the
// embeddings of their chip-style photo. Cached on disk in the build directory only (derived from
// third-party photos: never in the repository).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "uketsuke/result.h"
#include "vision/arcface_embedder.h"
#include "vision/face_types.h"
#include "vision/quality.h"

namespace uketsuke::calibration {

struct FaceItem {
    // Identity of the item.
    std::string source;  // "nuaa" or a dev-set name ("jp-celeb", ...)
    std::string person;  // NUAA person id, or the dev set's folder
    std::string group;   // NUAA group folder; empty for stills
    std::string file;
    std::int64_t timestampMs = 0;  // NUAA: frame number x frameIntervalMs; stills: index x 200
    bool wantChip = false;         // also make and embed its chip-style photo

    // Live analysis (the production detector and quality gate).
    std::string failure;  // empty when exactly one face was analysed ("no_face", "several_faces")
    int faces = 0;
    vision::FaceQuality quality;  // guidance empty = passes the gate
    std::optional<vision::Embedding> dlib, dlibGrey;
    std::optional<vision::ArcFaceEmbedding> fr, frGrey;

    // Chip-style photo of this item (when wantChip).
    std::string chipFailure;
    std::optional<vision::Embedding> chipDlib;
    std::optional<vision::ArcFaceEmbedding> chipFr;

    bool goodFrame() const { return failure.empty() && quality.acceptable(); }
};

struct SequenceDataOptions {
    std::filesystem::path nuaaDir;      // ../shared/data/nuaa-dev (empty = skip)
    std::filesystem::path facesDevDir;  // ../shared/data/faces-dev (empty = skip)
    std::filesystem::path modelsDir;
    std::filesystem::path cacheFile;  // empty = no cache
    std::vector<std::string> stillSets{"lfw-ea", "jp-celeb", "cn-celeb"};
    std::size_t maxImagesPerPerson = 25;
    int chipEveryNthFrame = 4;  // NUAA frames that also become card photos
    // NUAA frame numbers count video frames; the capture rate is taken as 20 fps (assumption, the
    // database paper's webcam rate): timestamp = number x 50 ms.
    int frameIntervalMs = 50;
    int threads = 2;
    // Re-run the quality gate (not the embeddings) on cached NUAA frames, e.g. after a change of
    // vision/quality.cpp; the cache keeps the embeddings' quality of the run that made them.
    bool refreshQuality = false;
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct SequenceData {
    std::vector<FaceItem> items;
    bool haveArcFace = false;
    std::size_t cacheHits = 0;
    double seconds = 0.0;
};

Result<SequenceData, std::string> loadSequenceData(const SequenceDataOptions& options);

}  // namespace uketsuke::calibration
