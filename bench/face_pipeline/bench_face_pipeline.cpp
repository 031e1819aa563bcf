// bench_face_pipeline: the face engine's cost on a 2-core terminal (issue 3 acceptance).
//
// Frames: a short synthetic clip made from one of the npm package's sample photos (a portrait crop
// scaled so the face is ~40 % of the frame height, drifting a few pixels per frame), at 640x480
// and 1280x720. On the same frames, in the same run:
//   * stages: detect (downscaled HOG), 68 landmarks, align (150x150 chip), embed (ResNet);
//   * live loop: the FaceVerifier's per-frame work (tracker between detections, quality gate,
//     embedding only when the face changed; with fr_feature.onnx present both embeddings, as the
//     terminal does), never deciding so every frame is processed;
//   * plain dlib pipeline: HOG on the full frame + 68 landmarks + ResNet on every frame.
// Also: model load time and peak RSS (getrusage). Targets (2 cores): live loop >= 2x faster than
// plain at 640x480, embedding <= 25 ms, RSS <= 400 MB.
//
// Usage: bench_face_pipeline [MODELS_DIR] [FRAMES]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/face_verifier.h"

using namespace uketsuke::vision;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Stats {
    std::vector<double> samples;
    void add(double ms) { samples.push_back(ms); }
    double percentile(double p) const {
        if (samples.empty())
            return 0.0;
        std::vector<double> s = samples;
        std::sort(s.begin(), s.end());
        const auto i = static_cast<std::size_t>(std::lround(p * (s.size() - 1)));
        return s[i];
    }
    double mean() const {
        double sum = 0;
        for (double v : samples)
            sum += v;
        return samples.empty() ? 0.0 : sum / samples.size();
    }
};

void row(const char* name, const Stats& s) {
    std::printf("  %-28s p50 %7.2f ms   p95 %7.2f ms   (n=%zu)\n", name, s.percentile(0.5),
                s.percentile(0.95), s.samples.size());
}

long peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// Frame i of the synthetic clip, made on demand so that the clip does not inflate the RSS figure.
class Clip {
  public:
    Clip(const cv::Mat& portrait, const cv::Rect& faceBox, cv::Size size, int frames)
        : portrait_(portrait), faceBox_(faceBox), size_(size), frames_(frames) {}
    int size() const { return frames_; }
    cv::Mat frame(int i) const {
        cv::Mat frame(size_, CV_8UC3, cv::Scalar(90, 100, 110));
        const double scale = 0.4 * size_.height / faceBox_.height;
        const double dx = 0.01 * size_.width * std::sin(i * 0.25);
        const double dy = 0.006 * size_.height * std::cos(i * 0.2);
        const double s = scale * (1.0 + 0.01 * std::sin(i * 0.15));
        const double cx = faceBox_.x + faceBox_.width / 2.0;
        const double cy = faceBox_.y + faceBox_.height / 2.0;
        const cv::Matx23d m(s, 0, size_.width / 2.0 + dx - cx * s, 0, s,
                            size_.height / 2.0 + dy - cy * s);
        cv::warpAffine(portrait_, frame, m, size_, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
        return frame;
    }

  private:
    cv::Mat portrait_;
    cv::Rect faceBox_;
    cv::Size size_;
    int frames_;
};

void runAt(FaceEngine& engine, const cv::Mat& portrait, const cv::Rect& faceBox, cv::Size size,
           int frames) {
    const Clip clip(portrait, faceBox, size, frames);
    std::printf("\n%dx%d, %d frames\n", size.width, size.height, frames);

    // Stages of the engine, each timed on every frame.
    Stats detect, landmarks, align, embed, arcEmbed, plainDetect, plainTotal, live;
    const DetectorOptions downscaled;
    DetectorOptions full;
    full.scale = 1.0;
    full.maxDetectWidthPx = 1 << 20;
    full.retryUpscaleSteps = 0;
    ChipReference reference;
    bool haveReference = false;
    for (int i = 0; i < clip.size(); ++i) {
        const cv::Mat frame = clip.frame(i);
        auto t = Clock::now();
        auto dets = engine.detector().detect(frame, downscaled);
        detect.add(msSince(t));
        if (!dets || dets->empty())
            continue;
        t = Clock::now();
        const Landmarks68 points = engine.landmarkPredictor().predict(frame, dets->front().box);
        landmarks.add(msSince(t));
        t = Clock::now();
        auto chip = engine.aligner().align(frame, points);
        align.add(msSince(t));
        if (!chip)
            continue;
        t = Clock::now();
        auto e = engine.embedChip(chip.value());
        embed.add(msSince(t));
        std::optional<ArcFaceEmbedding> arc;
        if (engine.arcFace() != nullptr) {
            t = Clock::now();
            if (auto arcChip = alignArcFace(frame, points))
                if (auto a = engine.arcFace()->embed(arcChip.value()))
                    arc = a.value();
            arcEmbed.add(msSince(t));
        }
        if (e && !haveReference) {
            reference.embedding = e.value();
            reference.arcFace = arc;
            haveReference = true;
        }
    }

    // Plain dlib pipeline: HOG on the full frame, landmarks + chip + ResNet for every face.
    for (int i = 0; i < clip.size(); ++i) {
        const cv::Mat frame = clip.frame(i);
        const auto start = Clock::now();
        auto t = Clock::now();
        auto dets = engine.detector().detect(frame, full);
        plainDetect.add(msSince(t));
        if (dets)
            for (const auto& d : dets.value()) {
                const Landmarks68 points = engine.landmarkPredictor().predict(frame, d.box);
                auto chip = engine.aligner().align(frame, points);
                if (chip)
                    (void)engine.embedChip(chip.value());
            }
        plainTotal.add(msSince(start));
    }

    // Live loop: the verifier's per-frame work; thresholds that never decide.
    VisionThresholds t;
    t.verifier.requireLiveness = false;
    for (auto* e : {&t.verifier.evidence, &t.verifier.evidenceWithArcFace}) {
        e->windowMs = 1LL << 40;
        e->earlyAcceptDistance = -1.0;
    }
    t.verifier.timeBudgetMs = 1LL << 40;
    FaceVerifier verifier(engine, t);
    auto run = verifier.begin(reference);
    int embedded = 0, tracked = 0;
    double loopMs = 0.0;
    for (int i = 0; i < clip.size(); ++i) {
        const Frame frame{clip.frame(i), i * 1000 / 30, i};
        const auto start = Clock::now();
        const FrameFinding f = run->addFrame(frame);
        const double ms = msSince(start);
        live.add(ms);
        loopMs += ms;
        embedded += f.embedded;
        tracked += f.tracked;
    }

    row("detect (downscaled HOG)", detect);
    row("landmarks (68 points)", landmarks);
    row("align (150x150 chip)", align);
    row("embed (ResNet)", embed);
    if (!arcEmbed.samples.empty())
        row("embed fr_feature (+align)", arcEmbed);
    row("plain: HOG on full frame", plainDetect);
    row("plain: whole frame", plainTotal);
    row("live loop: whole frame", live);
    std::printf("  live loop: %.1f fps (%d of %d frames tracked, %d embedded)\n",
                1000.0 * clip.size() / loopMs, tracked, clip.size(), embedded);
    std::printf("  plain pipeline: %.1f fps\n", 1000.0 / std::max(1e-9, plainTotal.mean()));
    std::printf("  speed-up live vs plain (mean per frame): %.2fx\n",
                plainTotal.mean() / std::max(1e-9, live.mean()));
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path modelsDir =
        argc > 1 && argv[1][0] != '\0' ? std::filesystem::path(argv[1])
                                       : std::filesystem::path(UKETSUKE_BUILD_DIR) / "models";
    const int frames = argc > 2 ? std::max(10, std::atoi(argv[2])) : 90;
    const auto photo =
        std::filesystem::path(UKETSUKE_SOURCE_DIR) / "models/downloads/face-api/demo/sample6.jpg";

    const auto loadStart = Clock::now();
    auto engine = FaceEngine::load(FaceModelPaths::inDirectory(modelsDir));
    const double loadMs = msSince(loadStart);
    if (!engine) {
        std::fprintf(stderr, "bench_face_pipeline: models in %s: %s\n", modelsDir.c_str(),
                     std::string(describe(engine.error())).c_str());
        return 1;
    }
    const cv::Mat image = cv::imread(photo.string(), cv::IMREAD_COLOR);
    if (image.empty()) {
        std::fprintf(stderr, "bench_face_pipeline: %s missing: run scripts/setup.sh\n",
                     photo.c_str());
        return 1;
    }
    DetectorOptions fullRes;
    fullRes.scale = 1.0;
    fullRes.maxDetectWidthPx = 1 << 20;
    auto faces = engine.value()->detector().detect(image, fullRes);
    if (!faces || faces->empty()) {
        std::fprintf(stderr, "bench_face_pipeline: no face in %s\n", photo.c_str());
        return 1;
    }
    // The largest face's portrait, with a margin: neighbours out, the whole head in.
    const cv::Rect box = faces->front().box;
    cv::Rect crop(box.x - box.width / 2, box.y - box.height * 3 / 4, box.width * 2,
                  box.height * 5 / 2);
    crop &= cv::Rect(0, 0, image.cols, image.rows);
    const cv::Mat portrait = image(crop).clone();
    const cv::Rect faceInPortrait(box.x - crop.x, box.y - crop.y, box.width, box.height);

    std::printf("bench_face_pipeline: models %s, source %s\n", modelsDir.c_str(),
                photo.filename().c_str());
    std::printf("  model load (68-point predictor + ResNet): %.0f ms\n", loadMs);
    std::printf("  RSS after model load: %ld MB\n", peakRssMb());
    runAt(*engine.value(), portrait, faceInPortrait, cv::Size(640, 480), frames);
    runAt(*engine.value(), portrait, faceInPortrait, cv::Size(1280, 720), frames);
    std::printf("\npeak RSS: %ld MB\n", peakRssMb());
    return 0;
}
