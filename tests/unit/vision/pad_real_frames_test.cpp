// Presentation-attack detection on real frames (../shared/data/nuaa-dev; skipped with a message
// when absent): the production face loop (detector, tracker, 68 landmarks) feeds the
// presentation-attack check with the committed texture model, frame by frame, and the first
// live / attack-suspected verdict decides, as in the verifier. Live nuaa groups must pass; nuaa
// print groups and generated attacks (bench/pad) must not.
//
// The texture model was trained on these nuaa persons (in-sample here); the person-disjoint
// figures are in docs/presentation-attack.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "bench/pad/pad_attacks.h"
#include "sim/card_front/card_front_render.h"
#include "vision/chip_photo.h"
#include "vision/face_tracker.h"
#include "vision/pad/pad_liveness_net.h"
#include "vision/pad/presentation_attack.h"
#include "vision_test_support.h"

namespace uketsuke::vision::pad {
namespace {

namespace fs = std::filesystem;

fs::path nuaa() {
    return fs::path(UKETSUKE_SHARED_DIR) / "data" / "nuaa-dev";
}

#define UKETSUKE_REQUIRE_NUAA()           \
    if (!fs::is_directory(nuaa()))        \
    GTEST_SKIP() << nuaa() << " absent: " \
                 << "presentation-attack tests on real frames skipped"

std::vector<fs::path> framesOf(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".jpg")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

struct Look {
    LivenessResult result;
    int faceFrames = 0;
};

// The verifier's loop: first live / attack verdict decides, else the verdict at the end.
Look runLook(const std::vector<cv::Mat>& frames, const std::vector<std::int64_t>& stamps) {
    FaceEngine& engine = *test::engine();
    auto check = createPresentationAttackCheck(PadOptions{}, engine.padTexture());
    auto tracker = createCorrelationFaceTracker();
    AnalyseOptions options;
    options.computeEmbeddings = false;
    Look look;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        std::optional<cv::Rect> box;
        if (!tracker->needsDetection())
            box = tracker->update(frames[i]);
        if (!box) {
            auto found = engine.detector().detect(frames[i], DetectorOptions{});
            if (!found || found->size() != 1) {
                tracker->reset();
                continue;
            }
            box = found->front().box;
            tracker->start(frames[i], *box);
        }
        auto obs = engine.analyseBox(frames[i], *box, options);
        if (!obs)
            continue;
        ++look.faceFrames;
        check->addCameraFrame(stamps[i], obs.value().landmarks, frames[i], *box);
        look.result = check->evaluate();
        if (look.result.verdict == LivenessVerdict::kLive ||
            look.result.verdict == LivenessVerdict::kSpoofSuspected)
            break;
    }
    return look;
}

Look runGroup(const fs::path& dir) {
    std::vector<cv::Mat> frames;
    std::vector<std::int64_t> stamps;
    for (const auto& f : framesOf(dir)) {
        frames.push_back(cv::imread(f.string(), cv::IMREAD_COLOR));
        stamps.push_back(std::stoll(f.stem().string()) * 50);  // docs/calibration.md §6
    }
    return runLook(frames, stamps);
}

std::string describe(const Look& l) {
    return std::string(name(l.result.verdict)) + " (" + std::string(l.result.reason) +
           ") planarity " + std::to_string(l.result.planarity.value) + " parallax " +
           std::to_string(l.result.parallax.value) + " texture " +
           std::to_string(l.result.texture.value) + ", " + std::to_string(l.faceFrames) +
           " face frames";
}

class PadRealFrames : public ::testing::Test {
  protected:
    void SetUp() override {
        UKETSUKE_REQUIRE_ENGINE();
        ASSERT_NE(test::engine()->padTexture(), nullptr)
            << "models/pad_svm.yml not installed in " << test::modelsDir();
    }
};

// Live webcam groups of several people (glasses, lighting) are passed as live.
TEST_F(PadRealFrames, LiveNuaaGroupsPass) {
    UKETSUKE_REQUIRE_NUAA();
    for (const char* group : {"0001/0001_00_00_01", "0002/0002_01_00_01", "0004/0004_01_00_02",
                              "0005/0005_00_00_01", "0007/0007_01_00_02", "0008/0008_00_00_02"}) {
        const Look l = runGroup(nuaa() / "live" / group);
        EXPECT_EQ(l.result.verdict, LivenessVerdict::kLive) << group << ": " << describe(l);
    }
}

// Printed photos held up, moved, bent and tilted: never live (one group per person).
TEST_F(PadRealFrames, PrintNuaaGroupsAreNeverLive) {
    UKETSUKE_REQUIRE_NUAA();
    for (const auto& person : {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"}) {
        for (const auto& e : fs::directory_iterator(nuaa() / "print" / person)) {
            const Look l = runGroup(e.path());
            EXPECT_NE(l.result.verdict, LivenessVerdict::kLive)
                << e.path().filename() << ": " << describe(l);
            break;
        }
    }
}

// Generated attacks made from real nuaa frames: still photo with sensor noise, the card's printed
// photo held and tilted, a screen replay of the person's live clip. None is passed as live, and
// the still-photo-with-noise video is refused outright.
TEST_F(PadRealFrames, GeneratedAttacksAreStopped) {
    UKETSUKE_REQUIRE_NUAA();
    const fs::path clipDir = nuaa() / "live" / "0006" / "0006_00_00_01";
    std::vector<cv::Mat> clip;
    for (const auto& f : framesOf(clipDir))
        clip.push_back(cv::imread(f.string(), cv::IMREAD_COLOR));
    ASSERT_FALSE(clip.empty());
    const sim::CardFrontRenderer renderer;
    auto faces = test::engine()->detector().detect(clip.front(), DetectorOptions{});
    ASSERT_TRUE(faces && !faces->empty());
    const cv::Mat portrait =
        clip.front()(portraitCropAround(faces->front().box, clip.front().size())).clone();
    for (::uketsuke::pad::AttackKind kind : ::uketsuke::pad::kAttackKinds) {
        for (std::uint64_t seed : {11u, 12u, 13u}) {
            const ::uketsuke::pad::AttackSpec spec{.kind = kind, .seed = seed, .frames = 30};
            const std::vector<cv::Mat> source =
                kind == ::uketsuke::pad::AttackKind::kScreenReplay ? clip
                : kind == ::uketsuke::pad::AttackKind::kCardFront  ? std::vector<cv::Mat>{portrait}
                                                                   : std::vector<cv::Mat>{clip[5]};
            const auto video = ::uketsuke::pad::generateAttack(spec, source, &renderer);
            std::vector<std::int64_t> stamps;
            for (int i = 0; i < spec.frames; ++i)
                stamps.push_back(i * 100);
            const Look l = runLook(video.frames, stamps);
            const std::string what = std::string(::uketsuke::pad::attackName(kind)) + " seed " +
                                     std::to_string(seed) + ": " + describe(l);
            EXPECT_NE(l.result.verdict, LivenessVerdict::kLive) << what;
            if (kind == ::uketsuke::pad::AttackKind::kStillNoise && l.faceFrames >= 8) {
                EXPECT_EQ(l.result.verdict, LivenessVerdict::kSpoofSuspected) << what;
            }
        }
    }
}

// fr_liveness.onnx as one cue (crop 2.7x the box, B,G,R): the median logit of every live nuaa
// person's first group is above the median logit of the same person's first print group in at
// least 7 of 8 persons, and the live medians are above the print medians overall.
TEST(PadLivenessNet, SeparatesNuaaLiveFromPrintPerPerson) {
    UKETSUKE_REQUIRE_ENGINE();
    UKETSUKE_REQUIRE_NUAA();
    const fs::path file = test::modelsDir() / kLivenessNetFile;
    if (!fs::exists(file))
        GTEST_SKIP() << file << " absent (scripts/setup.sh unpacks it): network cue not tested";
    auto net = LivenessNet::load(file);
    ASSERT_TRUE(net);
    double netMs = 0.0;
    int netRuns = 0;
    auto medianOf = [&](const fs::path& dir) {
        std::vector<double> v;
        int k = 0;
        for (const auto& f : framesOf(dir)) {
            if (k++ % 4 != 0)
                continue;
            const cv::Mat frame = cv::imread(f.string(), cv::IMREAD_COLOR);
            auto faces = test::engine()->detector().detect(frame, DetectorOptions{});
            if (!faces || faces->size() != 1)
                continue;
            const auto t0 = std::chrono::steady_clock::now();
            const double s = net.value()->score(frame, faces->front().box);
            netMs +=
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            ++netRuns;
            EXPECT_FALSE(std::isnan(s));
            EXPECT_LE(std::abs(s), 12.0);
            v.push_back(s);
        }
        EXPECT_GE(v.size(), 3u) << dir;
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    int separated = 0;
    std::vector<double> live, print;
    for (const auto& person : {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"}) {
        auto firstGroup = [&](const char* kind) {
            std::vector<fs::path> dirs;
            for (const auto& e : fs::directory_iterator(nuaa() / kind / person))
                dirs.push_back(e.path());
            std::sort(dirs.begin(), dirs.end());
            return dirs.front();
        };
        const double l = medianOf(firstGroup("live")), p = medianOf(firstGroup("print"));
        live.push_back(l);
        print.push_back(p);
        separated += l > p;
        std::cout << "  person " << person << ": live " << l << " print " << p << "\n";
    }
    std::cout << "  network: " << netMs / std::max(1, netRuns) << " ms per frame (" << netRuns
              << " frames)\n";
    EXPECT_GE(separated, 7);
    std::sort(live.begin(), live.end());
    std::sort(print.begin(), print.end());
    EXPECT_GT(live[4], print[4]);
}

// The crop follows the package: 2.7x the box, shrunk to fit, shifted inside the frame.
TEST(PadLivenessNet, CropFollowsThePackage) {
    EXPECT_EQ(livenessNetCrop({640, 480}, {300, 200, 40, 50}), cv::Rect(266, 157, 108, 135));
    // Near the left edge: shifted right, same size.
    const cv::Rect c = livenessNetCrop({640, 480}, {0, 200, 40, 50});
    EXPECT_EQ(c.x, 0);
    EXPECT_EQ(c.width, 108);
    // A box too large for 2.7x: the scale shrinks so the crop fits the frame.
    const cv::Rect big = livenessNetCrop({640, 480}, {200, 100, 200, 200});
    EXPECT_LE(big.height, 479);
    EXPECT_LE(big.y + big.height, 480);
    EXPECT_TRUE(livenessNetCrop({640, 480}, {10, 10, 0, 0}).empty());
}

// A file whose SHA-256 differs is refused; an absent one is kModelMissing.
TEST(PadLivenessNet, Sha256IsCheckedAtLoad) {
    const fs::path file = test::modelsDir() / kLivenessNetFile;
    if (!fs::exists(file))
        GTEST_SKIP() << file << " absent (scripts/setup.sh unpacks it)";
    EXPECT_TRUE(LivenessNet::load(file));
    auto wrong = LivenessNet::load(file, std::string(64, '0'));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error(), VisionError::kModelCorrupt);
    auto missing = LivenessNet::load(test::modelsDir() / "no-such.onnx");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), VisionError::kModelMissing);
}

}  // namespace
}  // namespace uketsuke::vision::pad
