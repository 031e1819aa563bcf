// Presentation-attack generator (issue 13, item 4): deterministic synthetic attack videos for the
// presentation-attack-detection (PAD) evaluation and tests. Test material only: frames stay in
// memory (or are written into a folder the caller names, never into the repository).
//
// Kinds (each deterministic for a given source and seed):
//  * kStillNoise   — one still photo turned into a video: the photo fills the frame and drifts like
//                    a hand-held phone (smooth random walk + tremor, small rotation, scale and
//                    perspective change), optical blur, per-frame sensor noise sigma 12-16 and
//                    JPEG; the attack of issue 13's first bullet.
//  * kCardFront    — the card's own printed photo: the card front (sim/card_front renderer) with
//  the
//                    still as its portrait, held close to the camera in front of a room, tilted and
//                    moved by hand, with blur, noise and a light glare.
//  * kScreenReplay — a video (or a still) shown on a phone or laptop screen that is held in front
//                    of the camera: bezel, screen gamma / blue cast, sub-pixel grid sampled by the
//                    camera (moiré), rolling refresh banding, glare, camera noise and blur.
// Out of scope (documented in docs/presentation-attack.md): a printed photo with cut-out eyes
// (someone blinks behind it), 3-D masks, and a deep-fake injected into the camera driver.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace uketsuke::sim {
class CardFrontRenderer;
}

namespace uketsuke::pad {

enum class AttackKind { kStillNoise, kCardFront, kScreenReplay };
inline constexpr AttackKind kAttackKinds[] = {AttackKind::kStillNoise, AttackKind::kCardFront,
                                              AttackKind::kScreenReplay};

std::string_view attackName(AttackKind kind);  // "still-noise", "card-front", "screen-replay"
std::optional<AttackKind> parseAttackKind(std::string_view name);

struct AttackSpec {
    AttackKind kind = AttackKind::kStillNoise;
    std::uint64_t seed = 1;
    int frames = 20;
    double fps = 10.0;  // timestamps of the generated video
    cv::Size frameSize{640, 480};
};

// What the generator chose for a trial (recorded with the evaluation).
struct AttackParams {
    double noiseSigma = 0.0;
    double blurSigma = 0.0;
    double driftPx = 0.0;       // amplitude of the hand drift
    double tiltDeg = 0.0;       // amplitude of the out-of-plane tilt
    double faceScale = 0.0;     // face height in the frame / frame height (approximate)
    bool laptop = false;        // screen replay: laptop (true) or phone (false)
    double bandingDepth = 0.0;  // screen replay: refresh-banding modulation depth
};

struct AttackVideo {
    std::vector<cv::Mat> frames;  // 8-bit BGR, frameSize
    AttackParams params;
};

// requires: `source` holds >= 1 BGR image with one face (a video for kScreenReplay may hold
//           several frames, used in order and looped); `renderer` non-null for kCardFront.
// ensures: spec.frames frames; the same inputs and seed give the same pixels.
AttackVideo generateAttack(const AttackSpec& spec, const std::vector<cv::Mat>& source,
                           const sim::CardFrontRenderer* renderer = nullptr);

// A room-like background (wall gradient, shelves, a door, texture), deterministic by seed.
cv::Mat makeRoomBackground(cv::Size size, std::uint64_t seed);

}  // namespace uketsuke::pad
