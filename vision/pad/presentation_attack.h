// Presentation-attack detection (issue 13): the passive cues fused into one verdict, behind the
// LivenessCheck interface the verifier already uses (vision/liveness.h).
//
// Cues (each measured alone in docs/presentation-attack.md):
//  * planarity  (pad_planarity.h): robust homography residual over 150 ms - 1.5 s baselines;
//  * parallax   (pad_parallax.h):  does the surroundings move with the face;
//  * texture    (pad_texture.h):   LBP + frequency + colour + border features, linear SVM
//                                   (models/pad_svm.yml; absent = no texture cue);
//  * blink      (eye aspect ratio open -> closed -> open, as before).
// Verdict after at least minFrames frames over minWindowMs:
//  * kSpoofSuspected (attack suspected) when ANY cue says attack: texture below textureAttack,
//    parallax at or above parallaxAttack, or planarity below planarityAttack without a blink;
//  * kLive when no cue says attack, the texture (when the model is loaded) is at or above
//    textureLive, AND the geometry shows life (planarity at or above planarityLive, a blink, or
//    the face moving against a still background: parallax at or below parallaxLive);
//  * kUnsure otherwise: the session asks for an active challenge (issue 13 item 3);
//  * kInsufficientEvidence before minFrames / minWindowMs.
// Thresholds: docs/presentation-attack.md (person-disjoint on nuaa-dev + generated attacks).
#pragma once

#include <memory>

#include "vision/liveness.h"
#include "vision/pad/pad_liveness_net.h"
#include "vision/pad/pad_parallax.h"
#include "vision/pad/pad_planarity.h"
#include "vision/pad/pad_texture.h"

namespace uketsuke::vision::pad {

struct PadOptions {
    int minFrames = 8;
    std::int64_t minWindowMs = 1200;
    double planarityLive = 0.0095;    // planarity value >= this: the face is not a plane
    double planarityAttack = 0.0025;  // below this (with motion, no blink): a plane
    double parallaxAttack = 0.65;     // surroundings glued to the face: attack
    double parallaxLive = 0.30;       // face moved against a still background: live geometry
    double textureLive = 0.15;        // linear-SVM margin >= this: live texture
    double textureAttack = -0.3;      // margin below this: attack texture
    // fr_liveness.onnx (pad_liveness_net.h), when loaded: median logit of p(real).
    double netLive = 0.0;     // >= this (and texture live): live appearance
    double netAttack = -6.0;  // below this: attack
    // Live without geometric evidence (a patient holding very still, no blink yet): both
    // appearance cues at or above these (both models loaded), no cue saying attack.
    double textureStrong = 1e9;  // default: never (set by docs/presentation-attack.md §4)
    double netStrong = 1e9;
    LivenessOptions blink;  // eye thresholds (blink detection)
    PlanarityOptions planarity;
    ParallaxOptions parallax;
    int textureEveryNth = 1;
};

// The fusion rule alone (what the check's evaluate() applies; the evaluation tool replays it on
// recorded cue values). Fills r.verdict and r.reason from r's cues, r.blinkSeen, r.textureModel.
void fuseCues(const PadOptions& options, int frames, std::int64_t windowMs, LivenessResult& r);

// `texture` may be null (no model installed): then live needs geometry only and the texture
// cue never votes. The model must outlive the check.
// `net` may be null (fr_liveness.onnx absent): no network cue. Both must outlive the check; the
// network is not thread-safe (one check at a time per network).
std::unique_ptr<LivenessCheck> createPresentationAttackCheck(PadOptions options = {},
                                                             const TextureModel* texture = nullptr,
                                                             LivenessNet* net = nullptr);

}  // namespace uketsuke::vision::pad
