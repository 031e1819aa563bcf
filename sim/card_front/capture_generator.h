// Camera captures of a rendered card front (card_front_render.h): the card warped into a frame
// with a chosen variation, deterministic for a given seed. The variations are what a reception
// camera sees: tilt, rotation, distance, focus and motion blur, glare from the ceiling light, a
// dim room with sensor noise, JPEG compression, fingers holding the card, a cluttered counter;
// and the bad inputs the reader must refuse with a reason: no card, another card, a card shown on
// a phone screen, a card upside down, a finger over a field.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "sim/card_front/card_front_render.h"

namespace uketsuke::sim {

enum class CaptureVariation {
    // Readable captures (the acceptance set): every field visible.
    kClean,
    kPerspective,  // corners moved by up to 9 % of the card size (tilted card)
    kRotation,     // in-plane rotation up to ±15°
    kScale,        // card 42 %..90 % of the frame width
    kBlur,         // Gaussian blur, sigma 0.8..1.8 px
    kMotionBlur,   // linear motion blur, 5..9 px
    kGlare,        // bright elliptical highlight
    kLowLight,     // gain 0.3..0.5 with sensor noise
    kJpeg,         // JPEG quality 25..50
    kFingers,      // skin-coloured fingers at the card's edges, away from the fields
    kClutter,      // busy background (paper, pens, a keyboard)
    // Bad inputs.
    kNoCard,           // background only
    kOtherCard,        // another ID-1 card (renderOtherCard)
    kScreen,           // the card shown on a phone screen: bezel, pixel grid, emissive cast
    kUpsideDown,       // rotated by 180° (plus the usual small tilt)
    kFingerOverField,  // a finger over the security code or the birth date
};

inline constexpr std::array<CaptureVariation, 11> kReadableVariations{
    CaptureVariation::kClean,   CaptureVariation::kPerspective, CaptureVariation::kRotation,
    CaptureVariation::kScale,   CaptureVariation::kBlur,        CaptureVariation::kMotionBlur,
    CaptureVariation::kGlare,   CaptureVariation::kLowLight,    CaptureVariation::kJpeg,
    CaptureVariation::kFingers, CaptureVariation::kClutter};

std::string_view variationName(CaptureVariation variation);

struct CaptureOptions {
    cv::Size frameSize{1280, 720};
};

struct Capture {
    cv::Mat bgr;  // the camera frame
    CaptureVariation variation = CaptureVariation::kClean;
    std::array<cv::Point2f, 4> cardCorners{};  // card TL, TR, BR, BL in the frame (no card: zero)
};

// `card` may be empty for kNoCard. Same inputs and seed, same pixels.
Capture makeCapture(const RenderedCard& card, CaptureVariation variation, std::uint64_t seed,
                    const CaptureOptions& options = {});

}  // namespace uketsuke::sim
