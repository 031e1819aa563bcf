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
// With fr_liveness.onnx loaded, "texture" in the rules above is the appearance score (texture
// margin + weighted network logit), the network also refuses alone (below netAttack) and must
// agree with live (at or above netLive); a strong appearance (both cues high) may stand in for
// the geometric evidence. Thresholds: docs/presentation-attack.md (nested person-disjoint).
#pragma once

#include <memory>

#include "vision/liveness.h"
#include "vision/pad/pad_liveness_net.h"
#include "vision/pad/pad_parallax.h"
#include "vision/pad/pad_planarity.h"
#include "vision/pad/pad_texture.h"

namespace uketsuke::vision::pad {

// Defaults: chosen by `evaluate_pad` (--tie-break centre, the default) over all 8 nuaa-dev
// persons with the rule of docs/presentation-attack.md §4 (the per-fold choices and the held-out
// figures are there).
struct PadOptions {
    int minFrames = 8;
    std::int64_t minWindowMs = 900;
    double planarityLive = 0.0095;    // planarity value >= this: the face is not a plane
    double planarityAttack = 0.0025;  // below this (with motion, no blink): a plane
    double parallaxAttack = 0.65;     // surroundings glued to the face: attack
    double parallaxLive = 0.30;       // face moved against a still background: live geometry
    // Appearance = texture margin + netWeight * network logit when both models are loaded; the
    // three thresholds below apply to it.
    double netWeight = 0.15;
    double textureLive = 0.3;     // appearance >= this (and network live): live appearance
    double textureAttack = -0.1;  // appearance below this: attack
    // Live without geometric evidence (a patient holding very still, no blink yet): appearance
    // at or above textureStrong and the network at or above netStrong, no cue saying attack.
    double textureStrong = 0.6;
    // fr_liveness.onnx (pad_liveness_net.h): median logit of p(real).
    double netLive = 4.0;     // >= this: the network agrees with a live verdict
    double netStrong = 4.0;   // >= this: may stand in for geometry (with textureStrong)
    double netAttack = -4.0;  // below this: attack on its own
    // Without the network (fr_liveness.onnx absent) the texture margin alone, as in session 5.
    double textureOnlyLive = 0.15;
    double textureOnlyAttack = -0.3;
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
