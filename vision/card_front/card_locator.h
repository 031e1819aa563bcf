// Finding the card in a camera frame and rectifying it (card-front OCR, issue 6, stage 1).
//
// The card is the bright, low-saturation, card-shaped region of the frame: a tray or counter is
// darker or more colourful than card stock in every capture we model (low light lowers both, so
// Otsu on brightness still separates them). Candidates come from that region's outline (convex
// hull, its four longest sides intersected: survives a finger over one edge or a cut corner) and
// from straight image edges along it (when the region merged with a sheet of paper or a pale
// thumb, the card's four sides are still lines). The winner is the card-shaped candidate whose
// sides the image's edges follow best, with the card's side the brighter one; its sides are then
// refitted on the full-resolution frame (docs/card_front_ocr.md, Method 1).
#pragma once

#include <array>
#include <optional>

#include <opencv2/core/mat.hpp>

#include "vision/card_front/card_front_error.h"

namespace uketsuke::vision::card_front {

struct CardLocatorOptions {
    int workWidthPx = 640;          // detection runs on a downscaled frame
    double minAreaFraction = 0.06;  // of the frame; smaller bright blobs are not the card
    double minAspect = 1.25;        // ID-1 is 1.586; perspective and tilt widen the range
    double maxAspect = 2.05;
    double minRectangularity = 0.80;  // region area / fitted quadrilateral area
    int minCardWidthPx = 380;         // in the full frame: below this the print is too small
    double maxStockSaturation = 60;   // HSV S (0..255) of card stock; skin is ~80-110
    // A candidate's sides must follow the image's edges over this share of their length, on
    // average and each (a thumb with its pale nail may hide half of a short side) ...
    double minEdgeSupport = 0.6;
    double minSideSupport = 0.3;
    // ... and this share of a grid of points inside it must be card stock (print and photo
    // cover the rest).
    double minStockInside = 0.45;
};

struct CardQuad {
    // Corners in frame pixels, clockwise from the corner that is top-left when the card's long
    // side is horizontal (which of the two landscape orientations is unknown at this stage).
    std::array<cv::Point2f, 4> corners{};
    double widthPx = 0;  // mean length of the two long sides
};

// requires: bgr is CV_8UC3, non-empty.
// ensures: the quadrilateral, or kNoCard / kCardTooSmall.
CardFrontResult<CardQuad> locateCard(const cv::Mat& bgr, const CardLocatorOptions& options = {});

// The card warped to `size` (landscape), corner 0 at the top-left; `turn180` rotates the result.
cv::Mat rectifyCard(const cv::Mat& bgr, const CardQuad& quad, cv::Size size, bool turn180 = false);

}  // namespace uketsuke::vision::card_front
