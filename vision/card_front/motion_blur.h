// Motion blur of a card capture, measured on the card's own edges, and its removal
// (card-front OCR, issue 6).
//
// A hand moving the card during the exposure smears it along a line. The card's four straight
// sides are the best known edges in the frame: rectified with a margin, each side's edge-spread
// (the 10-90 % rise of its median profile) is the smear projected on that side's normal plus the
// camera's own blur. Opposite sides must agree. The line's extent along the card's two axes
// follows; its sign is not observable (a smear towards upper-left and one towards lower-left
// widen the sides alike); the image's own gradients tell it, and tell a smear from a focus blur
// (smearDirection). Wiener deconvolution with
// that line restores stroke contrast the LSTM needs; it is offered as more views to the vote, never
// as the only evidence.
#pragma once

#include <optional>

#include <opencv2/core/mat.hpp>

#include "vision/card_front/card_locator.h"

namespace uketsuke::vision::card_front {

struct MotionBlurOptions {
    double baseSpreadPx = 1.6;     // 10-90 % spread of a sharp card edge (camera + resampling)
    double minExtentPx = 3.0;      // shorter smears are left alone (the views cope)
    double maxSideMismatchPx = 2;  // opposite sides further apart: not a uniform smear
    // smearDirection's anisotropy above this: a focus blur, not deconvolved (calibration
    // captures: smears 0.15-0.65, focus blurs 0.91-1.0).
    double maxAnisotropy = 0.8;
    double noiseToSignal = 0.02;  // Wiener regularisation (calibration captures, seeds 7 and 9)
};

// The smear's extent along the canonical image's x and y axes (both >= 0), in canonical pixels.
struct BlurExtent {
    double x = 0, y = 0;
};

// requires: bgr 8-bit 3-channel; quad from locateCard; canonical the rectified size.
// ensures: the extent when the edges show a smear of at least minExtentPx, else nullopt (sharp
//          enough, or the edges are too weak or disagree to tell).
std::optional<BlurExtent> measureMotionBlur(const cv::Mat& bgr, const CardQuad& quad,
                                            cv::Size canonical,
                                            const MotionBlurOptions& options = {});

// The diagonal's sign the edges cannot tell (+1: the smear runs along (x, y), -1: along
// (x, -y)): a smear flattens the image's gradients along its own direction, so the direction
// with less gradient energy in `grey` (the rectified card) is the smear's. `anisotropy` is that
// energy over the energy across it: well below 1 for a smear; near 1 for a focus blur, which
// widens all four sides alike and must not be deconvolved as a line.
struct SmearDirection {
    int sign = 1;
    double anisotropy = 1;
};
SmearDirection smearDirection(const cv::Mat& grey, const BlurExtent& extent);

// `grey` (CV_8UC1) deconvolved with a line from (-dx/2, -dy/2) to (dx/2, dy/2).
cv::Mat deblurLinear(const cv::Mat& grey, double dx, double dy, double noiseToSignal);

}  // namespace uketsuke::vision::card_front
