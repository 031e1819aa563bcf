// Shared helpers of the vision unit tests: model and data locations, one engine per process
// (loading the 95 MB landmark model takes about a second), and synthetic frames.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/face_engine.h"

namespace uketsuke::vision::test {

inline std::filesystem::path modelsDir() {
    return std::filesystem::path(UKETSUKE_BUILD_DIR) / "models";
}
inline std::filesystem::path goldenDir() {
    return std::filesystem::path(UKETSUKE_SHARED_DIR) / "golden" / "faceapi";
}
inline std::filesystem::path samplePhoto(int n) {
    return std::filesystem::path(UKETSUKE_SOURCE_DIR) / "models" / "downloads" / "face-api" /
           "demo" / ("sample" + std::to_string(n) + ".jpg");
}
inline bool haveSamples() {
    return std::filesystem::exists(samplePhoto(1));
}

// The engine, loaded once; nullptr (and a test failure) when the models are missing.
inline FaceEngine* engine() {
    static std::unique_ptr<FaceEngine> instance = [] {
        auto loaded = FaceEngine::load(FaceModelPaths::inDirectory(modelsDir()));
        return loaded ? std::move(loaded).takeValue() : nullptr;
    }();
    return instance.get();
}

#define UKETSUKE_REQUIRE_ENGINE()                                        \
    ASSERT_NE(::uketsuke::vision::test::engine(), nullptr)               \
        << "models missing in " << ::uketsuke::vision::test::modelsDir() \
        << ": build the uketsuke_models target (needs scripts/setup.sh)"

#define UKETSUKE_REQUIRE_SAMPLES()                                                       \
    if (!::uketsuke::vision::test::haveSamples())                                        \
    GTEST_SKIP() << "sample photos absent (" << ::uketsuke::vision::test::samplePhoto(1) \
                 << "): run scripts/setup.sh"

// A single-person portrait from a sample photo: the largest face's portrait crop, so that tests
// have one face per image (the samples are group photos).
inline cv::Mat samplePortrait(int sample, int faceIndex = 0) {
    const cv::Mat photo = cv::imread(samplePhoto(sample).string(), cv::IMREAD_COLOR);
    if (photo.empty() || engine() == nullptr)
        return {};
    DetectorOptions options;
    options.scale = 1.0;
    options.maxDetectWidthPx = 1920;
    auto faces = engine()->detector().detect(photo, options);
    if (!faces || static_cast<int>(faces->size()) <= faceIndex)
        return {};
    const cv::Rect box = faces.value()[static_cast<std::size_t>(faceIndex)].box;
    // Wide enough that no neighbour's face fits, tall enough for the whole head.
    cv::Rect crop(box.x - box.width / 2, box.y - box.height * 3 / 4, box.width * 2,
                  box.height * 5 / 2);
    crop &= cv::Rect(0, 0, photo.cols, photo.rows);
    return photo(crop).clone();
}

// `portrait` placed in a frame of `size` at `offset` from the centre, scaled to `faceScale`.
inline cv::Mat frameAround(const cv::Mat& portrait, cv::Size size, double scale,
                           cv::Point2d offset = {0, 0}) {
    cv::Mat frame(size, CV_8UC3, cv::Scalar(90, 100, 110));
    const cv::Matx23d m(scale, 0, size.width / 2.0 + offset.x - portrait.cols * scale / 2, 0, scale,
                        size.height / 2.0 + offset.y - portrait.rows * scale / 2);
    cv::warpAffine(portrait, frame, m, size, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
    return frame;
}

}  // namespace uketsuke::vision::test
