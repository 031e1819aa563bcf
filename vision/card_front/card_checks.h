// Checks on a located card before any OCR (card-front OCR, issue 6, stage 2): which way up it
// is, whether it has the My Number Card layout at all, and whether it is shown on a screen.
#pragma once

#include <opencv2/core/mat.hpp>

#include "vision/card_front/card_front_layout.h"
#include "vision/card_front/card_locator.h"

namespace uketsuke::vision::card_front {

// Fraction (0..1) of the box's pixels that differ clearly from the card stock (the card's
// median colour). The photo fills its box edge to edge, so it scores near 1; the same box turned
// by 180° falls on the left column's text lines, which cover well under half of it.
double inkCoverage(const cv::Mat& canonicalBgr, const MmBox& box, double pxPerMm);

enum class Orientation { kUpright, kUpsideDown, kNoPhoto };

struct OrientationOptions {
    // The photo's box must be at least this full (glare over the photo washes part of it out)...
    // (a pale photo under glare scored 0.31 on the calibration captures)...
    double photoMinCoverage = 0.25;
    // ...and this many times fuller than the opposite box (text lines: 0.09-0.21 on the sim set).
    double minCoverageRatio = 1.8;
    // When the photo's ink is washed out (glare): its box must still be textured (grey standard
    // deviation), and the title 「個人番号カード」 must be inked where the upright card prints it
    // and this many times less at the turned place (bare stock there).
    double photoMinTexture = 20;
    double titleMinCoverage = 0.06;
    double titleMinRatio = 3;
};

Orientation detectOrientation(const cv::Mat& canonicalBgr, const CardFrontLayout& layout,
                              double pxPerMm, const OrientationOptions& options = {});

struct ScreenCheckOptions {
    // Relative fine-texture energy of the card's plain stock (layout.plainStock) in the frame:
    // the standard deviation of (patch - its 1.5 px Gaussian blur) over the patch's mean
    // brightness. Physical cards on the sim captures: median 0.006, max 0.113 (sensor noise in
    // a dim room); cards on a phone screen: min 0.081, median 0.161 (docs/card_front_ocr.md).
    // The threshold sits above every physical card; it caught 16 of 20 screen captures.
    // What it does not catch: a screen whose grid the camera does not resolve (no moiré).
    double maxPlainStockTexture = 0.12;
};

// The fine texture of the plain stock as above; `turn180`: the quad's corner 0 is the card's
// bottom-right (the card is upside down in the frame).
double screenTextureScore(const cv::Mat& bgr, const CardQuad& quad, bool turn180,
                          const CardFrontLayout& layout, const ScreenCheckOptions& options = {});

}  // namespace uketsuke::vision::card_front
