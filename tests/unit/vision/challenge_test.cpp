// The active liveness challenge (vision/challenge.h): synthetic landmark tracks for direction,
// timing, mirroring, blinks and continuity; landmarks of real nuaa-dev clips (live and print,
// replayed as the answer) when ../shared is present.
#include "vision/challenge.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "vision/face_engine.h"
#include "vision/frame_source.h"
#include "vision/quality.h"

namespace uketsuke::vision {
namespace {

namespace fs = std::filesystem;
using V = ChallengeVerdict;

// A frontal synthetic face (jaw 0..16 from x=100 to x=200) whose nose tip sits at `yaw` (as
// yawFromLandmarks measures it) and whose eyes have aspect ratio `ear`; `dx` shifts it all.
Landmarks68 face(double yaw, double ear = 0.30, float dx = 0.f) {
    Landmarks68 l{};
    for (int i = 0; i <= 16; ++i)
        l[static_cast<std::size_t>(i)] = {100.f + 100.f * i / 16.f + dx, 150.f + 3.f * i};
    for (int i = 17; i < 68; ++i)
        l[static_cast<std::size_t>(i)] = {150.f + dx, 160.f};
    for (int i = 27; i <= 35; ++i)
        l[static_cast<std::size_t>(i)] = {150.f + dx + static_cast<float>(yaw * 50.0), 150.f + i};
    // Eyes: p1..p6 = 36..41 (left in the image) and 42..47; width 20, height = ear * width.
    const float h = static_cast<float>(ear * 20.0);
    for (int e = 0; e < 2; ++e) {
        const float x0 = (e == 0 ? 115.f : 165.f) + dx;
        const std::size_t b = e == 0 ? 36 : 42;
        l[b + 0] = {x0, 140.f};
        l[b + 1] = {x0 + 7.f, 140.f - h / 2};
        l[b + 2] = {x0 + 13.f, 140.f - h / 2};
        l[b + 3] = {x0 + 20.f, 140.f};
        l[b + 4] = {x0 + 13.f, 140.f + h / 2};
        l[b + 5] = {x0 + 7.f, 140.f + h / 2};
    }
    return l;
}

// Feeds a 30 fps track from 0 to `endMs`; `yawAt` and `earAt` give the pose at each time.
template <class Yaw, class Ear>
V run(ChallengeCheck& check, std::int64_t endMs, Yaw yawAt, Ear earAt) {
    for (std::int64_t t = 0; t <= endMs && check.verdict() == V::kPending; t += 33)
        check.addFrame(t, face(yawAt(t), earAt(t)));
    return check.verdict() == V::kPending ? check.finish() : check.verdict();
}

auto open = [](std::int64_t) { return 0.30; };
auto still = [](std::int64_t) { return 0.0; };

// A head turn starting at `startMs`, reaching `amplitude` 400 ms later (a person's turn).
auto turnAt(std::int64_t startMs, double amplitude) {
    return [=](std::int64_t t) {
        if (t < startMs)
            return 0.0;
        return amplitude * std::min(1.0, double(t - startMs) / 400.0);
    };
}

// Blinks (closed for 130 ms) starting at the given times.
auto blinksAt(std::vector<std::int64_t> starts) {
    return [=](std::int64_t t) {
        for (auto s : starts)
            if (t >= s && t < s + 130)
                return 0.10;
        return 0.30;
    };
}

TEST(ChallengeTest, YawSignFollowsTheNose) {
    EXPECT_NEAR(yawFromLandmarks(face(0.0)), 0.0, 1e-9);
    EXPECT_GT(yawFromLandmarks(face(0.3)), 0.25);
    EXPECT_LT(yawFromLandmarks(face(-0.3)), -0.25);
}

TEST(ChallengeTest, TurnInTheAskedDirectionAfterThePromptPasses) {
    ChallengeCheck left(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(left, 6000, turnAt(1450, 0.4), open), V::kPassed);
    ChallengeCheck right(ChallengeAction::kTurnRight, 1000);
    EXPECT_EQ(run(right, 6000, turnAt(1450, -0.4), open), V::kPassed);
}

TEST(ChallengeTest, TurnInTheOtherDirectionIsAWrongAnswer) {
    ChallengeCheck left(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(left, 6000, turnAt(1450, -0.4), open), V::kWrongAnswer);
    ChallengeCheck blink(ChallengeAction::kBlinkTwice, 1000);
    EXPECT_EQ(run(blink, 6000, turnAt(1450, 0.4), open), V::kWrongAnswer);
}

TEST(ChallengeTest, MirroredCameraFlipsTheDirectionExplicitly) {
    ChallengeOptions mirrored;
    mirrored.mirrored = true;
    // The same image motion is a left turn for a plain camera and a right turn for a mirror.
    ChallengeCheck right(ChallengeAction::kTurnRight, 1000, mirrored);
    EXPECT_EQ(run(right, 6000, turnAt(1450, 0.4), open), V::kPassed);
    ChallengeCheck left(ChallengeAction::kTurnLeft, 1000, mirrored);
    EXPECT_EQ(run(left, 6000, turnAt(1450, 0.4), open), V::kWrongAnswer);
}

TEST(ChallengeTest, AResponseStartingBeforeAPersonCouldReactIsTooEarly) {
    // The head is already turning when the prompt appears (a recording, or a guess).
    ChallengeCheck anticipated(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(anticipated, 6000, turnAt(850, 0.4), open), V::kTooEarly);
    // Starting 60 ms after the prompt: faster than any reaction.
    ChallengeCheck fast(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(fast, 6000, turnAt(1000, 0.6), open), V::kTooEarly);
}

TEST(ChallengeTest, ATurnBeforeThePromptThatSettlesDoesNotCount) {
    // A turn and back long before the prompt is just a restless patient; the asked turn passes.
    auto yaw = [](std::int64_t t) {
        if (t >= 100 && t < 500)
            return 0.35;
        return turnAt(1600, 0.4)(t);
    };
    ChallengeCheck check(ChallengeAction::kTurnLeft, 1200);
    EXPECT_EQ(run(check, 7000, yaw, open), V::kPassed);
}

TEST(ChallengeTest, NoMovementIsNoResponseWhenTheWindowCloses) {
    ChallengeCheck check(ChallengeAction::kTurnRight, 1000);
    for (std::int64_t t = 0; t <= 4900; t += 33) {
        check.addFrame(t, face(0.0));
        EXPECT_EQ(check.verdict(), V::kPending) << t;
    }
    check.addFrame(5034, face(0.0));
    EXPECT_EQ(check.verdict(), V::kNoResponse);
    // A turn after the window is too late.
    ChallengeCheck late(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(late, 9000, turnAt(5200, 0.4), open), V::kNoResponse);
    // The stream ends first: no response either.
    ChallengeCheck ended(ChallengeAction::kBlinkTwice, 1000);
    ended.addFrame(0, face(0.0));
    EXPECT_EQ(ended.finish(), V::kNoResponse);
}

TEST(ChallengeTest, TwoBlinksAfterThePromptPass) {
    ChallengeCheck check(ChallengeAction::kBlinkTwice, 1000);
    EXPECT_EQ(run(check, 6000, still, blinksAt({1500, 2100})), V::kPassed);
}

TEST(ChallengeTest, OneBlinkOrBlinksBeforeThePromptDoNotPass) {
    ChallengeCheck one(ChallengeAction::kBlinkTwice, 1000);
    EXPECT_EQ(run(one, 6000, still, blinksAt({1500})), V::kNoResponse);
    ChallengeCheck before(ChallengeAction::kBlinkTwice, 1000);
    EXPECT_EQ(run(before, 6000, still, blinksAt({300, 700, 1050})), V::kNoResponse);
    ChallengeCheck apart(ChallengeAction::kBlinkTwice, 1000);
    EXPECT_EQ(run(apart, 6000, still, blinksAt({1300, 3800})), V::kNoResponse);
    // Blinking is not turning: a turn challenge is not answered by blinks.
    ChallengeCheck turn(ChallengeAction::kTurnLeft, 1000);
    EXPECT_EQ(run(turn, 6000, still, blinksAt({1500, 2100})), V::kNoResponse);
}

TEST(ChallengeTest, FaceLeavingOrJumpingFailsTheChallenge) {
    ChallengeCheck gap(ChallengeAction::kTurnLeft, 1000);
    for (std::int64_t t = 0; t < 1200; t += 33)
        gap.addFrame(t, face(0.0));
    for (std::int64_t t = 1200; t < 1800; t += 33)
        gap.addFrameWithoutFace(t);
    EXPECT_EQ(gap.verdict(), V::kFaceLost);

    // A photo swapped for a face in one frame: the landmarks jump.
    ChallengeCheck swap(ChallengeAction::kTurnLeft, 1000);
    for (std::int64_t t = 0; t < 1300; t += 33)
        swap.addFrame(t, face(0.0));
    swap.addFrame(1333, face(0.0, 0.30, 90.f));
    EXPECT_EQ(swap.verdict(), V::kFaceLost);
}

TEST(ChallengeTest, AFrozenOrLoopingReplayNeverPasses) {
    // A replay cannot know the action or the moment: a still photo with camera-like landmark
    // noise, and a clip with natural blinks and small sway, over many random prompts.
    std::mt19937 rng(13);
    std::normal_distribution<double> noise(0.0, 0.01);
    int passed = 0, trials = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const auto action = static_cast<ChallengeAction>(trial % kChallengeActionCount);
        const std::int64_t prompt = 700 + static_cast<std::int64_t>(rng() % 1800);
        ChallengeCheck check(action, prompt);
        const int phase = static_cast<int>(rng() % 1000);
        for (std::int64_t t = 0; t <= prompt + 4200 && check.verdict() == V::kPending; t += 33) {
            const double sway = trial % 2 ? 0.06 * std::sin((t + phase) / 700.0) : 0.0;
            const bool blink = trial % 2 && (t + phase) % 3100 < 130;  // natural: every 3 s
            check.addFrame(t, face(sway + noise(rng), blink ? 0.1 : 0.3));
        }
        passed += check.finish() == V::kPassed;
        ++trials;
    }
    EXPECT_EQ(passed, 0) << passed << " of " << trials;
}

// Real landmarks: nuaa-dev clips (a live person who was never asked anything, and a printed photo
// moved by hand) replayed as the challenge's answer. Neither can answer; the live person's own
// small motions must not be read as a turn or as two blinks, and the print never.
TEST(ChallengeTest, NuaaClipsReplayedAsAnswersNeverPass) {
    const fs::path nuaa = fs::path(UKETSUKE_SHARED_DIR) / "data" / "nuaa-dev";
    const fs::path models = fs::path(UKETSUKE_BUILD_DIR) / "models";
    if (!fs::exists(nuaa) || !fs::exists(models))
        GTEST_SKIP() << "needs ../shared/data/nuaa-dev and the built models";
    auto engine = FaceEngine::load(FaceModelPaths::inDirectory(models));
    ASSERT_TRUE(engine.ok());
    int clips = 0, trials = 0, passed = 0;
    for (const char* kind : {"live", "print"}) {
        std::vector<fs::path> groups;
        for (const auto& person : fs::directory_iterator(nuaa / kind))
            for (const auto& group : fs::directory_iterator(person.path()))
                groups.push_back(group.path());
        std::sort(groups.begin(), groups.end());
        if (groups.size() > 4)
            groups.resize(4);  // 4 clips per kind keep the test short on 2 cores
        for (const auto& group : groups) {
            auto source = openFrameSource(
                {FrameSourceKind::kImageSequence, group.string(), Pacing::kUnpaced, 10.0});
            ASSERT_TRUE(source.ok()) << group;
            std::vector<std::pair<std::int64_t, std::optional<Landmarks68>>> track;
            while (auto frame = source.value()->next()) {
                auto faces = engine.value()->analyse(frame->bgr, AnalyseOptions{{}, {}, false});
                if (faces.ok() && faces->size() == 1)
                    track.emplace_back(frame->timestampMs, faces->front().landmarks);
                else
                    track.emplace_back(frame->timestampMs, std::nullopt);
            }
            ++clips;
            // Every action, prompts at every 300 ms of the clip.
            for (int a = 0; a < kChallengeActionCount; ++a) {
                for (std::int64_t prompt = 700; prompt + 500 < track.back().first; prompt += 300) {
                    ChallengeCheck check(static_cast<ChallengeAction>(a), prompt);
                    for (const auto& [t, l] : track) {
                        if (l)
                            check.addFrame(t, *l);
                        else
                            check.addFrameWithoutFace(t);
                    }
                    passed += check.finish() == V::kPassed;
                    ++trials;
                }
            }
        }
    }
    RecordProperty("clips", clips);
    RecordProperty("trials", trials);
    EXPECT_GT(trials, 0);
    EXPECT_EQ(passed, 0) << passed << " of " << trials << " replayed answers passed";
}

}  // namespace
}  // namespace uketsuke::vision
