// Card localisation (card_locator.h).
#include "vision/card_front/card_locator.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace uketsuke::vision::card_front {
namespace {

struct Line {
    cv::Point2f a, b;
};

std::optional<cv::Point2f> intersect(const Line& l1, const Line& l2) {
    const cv::Point2f d1 = l1.b - l1.a, d2 = l2.b - l2.a;
    const float det = d1.x * d2.y - d1.y * d2.x;
    if (std::abs(det) < 1e-6f)
        return std::nullopt;
    const cv::Point2f w = l2.a - l1.a;
    const float t = (w.x * d2.y - w.y * d2.x) / det;
    return l1.a + d1 * t;
}

double polygonArea(const std::array<cv::Point2f, 4>& q) {
    std::vector<cv::Point2f> v(q.begin(), q.end());
    return std::abs(cv::contourArea(v));
}

// Four lines from the hull: its four longest sides, kept in hull order, intersected in turn.
std::optional<std::array<cv::Point2f, 4>> fitQuad(const std::vector<cv::Point>& contour) {
    std::vector<cv::Point> hull;
    cv::convexHull(contour, hull, /*clockwise=*/true);
    const double peri = cv::arcLength(hull, true);
    std::vector<cv::Point> poly;
    cv::approxPolyDP(hull, poly, 0.02 * peri, true);
    if (poly.size() == 4) {
        std::array<cv::Point2f, 4> q;
        for (int i = 0; i < 4; ++i)
            q[i] = poly[i];
        return q;
    }
    cv::approxPolyDP(hull, poly, 0.008 * peri, true);
    if (poly.size() < 4)
        return std::nullopt;
    std::vector<std::pair<double, int>> sides;
    for (int i = 0; i < int(poly.size()); ++i)
        sides.push_back({cv::norm(poly[(i + 1) % poly.size()] - poly[i]), i});
    std::sort(sides.rbegin(), sides.rend());
    std::vector<int> keep;
    for (int i = 0; i < 4; ++i)
        keep.push_back(sides[i].second);
    std::sort(keep.begin(), keep.end());
    std::array<Line, 4> lines;
    for (int i = 0; i < 4; ++i)
        lines[i] = {poly[keep[i]], poly[(keep[i] + 1) % poly.size()]};
    std::array<cv::Point2f, 4> q;
    for (int i = 0; i < 4; ++i) {
        const auto p = intersect(lines[(i + 3) % 4], lines[i]);
        if (!p)
            return std::nullopt;
        q[i] = *p;
    }
    return q;
}

// Rotates the corner order so that side 0-1 is a long side and corner 0 is the upper-left of
// that side's two candidates (min x + y): the card is then "landscape", maybe upside down.
std::array<cv::Point2f, 4> orderCorners(std::array<cv::Point2f, 4> q) {
    // Clockwise as seen on screen (y down): a positive shoelace sum.
    double shoelace = 0;
    for (int i = 0; i < 4; ++i)
        shoelace += double(q[i].x) * q[(i + 1) % 4].y - double(q[(i + 1) % 4].x) * q[i].y;
    if (shoelace < 0)
        std::reverse(q.begin(), q.end());
    const double s01 = cv::norm(q[1] - q[0]) + cv::norm(q[3] - q[2]);
    const double s12 = cv::norm(q[2] - q[1]) + cv::norm(q[0] - q[3]);
    if (s12 > s01)
        std::rotate(q.begin(), q.begin() + 1, q.end());
    // Now 0-1 and 2-3 are the long sides; of the two starts (0 or 2), take the upper-left one.
    if (q[2].x + q[2].y < q[0].x + q[0].y)
        std::rotate(q.begin(), q.begin() + 2, q.end());
    return q;
}

}  // namespace

namespace {

// The card-like quadrilaterals of one mask; the best (largest, most rectangular) is kept.
void scanMask(const cv::Mat& mask, double scale, const CardLocatorOptions& options,
              std::optional<CardQuad>& best, double& bestScore, bool& sawSmallCard) {
    const double frameArea = double(mask.cols) * mask.rows;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    for (const auto& c : contours) {
        const double area = cv::contourArea(c);
        if (area < options.minAreaFraction * frameArea * 0.3)
            continue;
        const auto quad = fitQuad(c);
        if (!quad)
            continue;
        const auto q = orderCorners(*quad);
        const double longSide = (cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3])) / 2;
        const double shortSide = (cv::norm(q[2] - q[1]) + cv::norm(q[3] - q[0])) / 2;
        if (shortSide < 1)
            continue;
        const double aspect = longSide / shortSide;
        const double rect = area / std::max(1.0, polygonArea(q));
        // The card's fitted corners lie outside its rounded outline, so they may fall a few
        // pixels beyond the frame when the card nearly fills it; a region spanning the whole
        // frame is the frame itself (a blank or uniform image), never a card.
        const cv::Rect extent = cv::boundingRect(c);
        const float slack = 0.03f * float(mask.cols);
        bool inside = extent.width < mask.cols - 2 || extent.height < mask.rows - 2;
        for (const auto& p : q)
            inside = inside && p.x > -slack && p.y > -slack && p.x < mask.cols + slack &&
                     p.y < mask.rows + slack;
        if (aspect < options.minAspect || aspect > options.maxAspect ||
            rect < options.minRectangularity || !inside)
            continue;
        if (area < options.minAreaFraction * frameArea) {
            sawSmallCard = true;
            continue;
        }
        const double score = area * rect;
        if (score > bestScore) {
            bestScore = score;
            CardQuad cq;
            for (int i = 0; i < 4; ++i)
                cq.corners[i] = q[i] * float(1.0 / scale);
            cq.widthPx = longSide / scale;
            best = cq;
        }
    }
}

}  // namespace

CardFrontResult<CardQuad> locateCard(const cv::Mat& bgr, const CardLocatorOptions& options) {
    const double f = std::min(1.0, double(options.workWidthPx) / bgr.cols);
    cv::Mat small, smoothed, hsv;
    cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
    cv::GaussianBlur(small, smoothed, cv::Size(5, 5), 0);  // sensor noise would look saturated
    cv::cvtColor(smoothed, hsv, cv::COLOR_BGR2HSV);
    std::vector<cv::Mat> ch;
    cv::split(hsv, ch);
    cv::Mat bright, pale, stock;
    cv::threshold(ch[2], bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    // Card stock is nearly grey; skin (fingers) and most objects are clearly more saturated.
    cv::threshold(ch[1], pale, options.maxStockSaturation, 255, cv::THRESH_BINARY_INV);
    cv::bitwise_and(bright, pale, stock);
    // Close the print and the photo into the card.
    cv::morphologyEx(stock, stock, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));

    std::optional<CardQuad> best;
    double bestScore = 0;
    bool sawSmallCard = false;
    // Opening wider than a pen or a cable lying against the card (a spike on the outline would
    // drag the fitted sides), far narrower than the card; when nothing card-like comes out,
    // wider openings cut the bridges to larger bright objects touching it.
    for (int attempt = 1; attempt <= 3 && !best; ++attempt) {
        const int open = attempt * std::max(5, small.cols / 45);
        cv::Mat mask;
        cv::morphologyEx(stock, mask, cv::MORPH_OPEN,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(open, open)));
        scanMask(mask, f, options, best, bestScore, sawSmallCard);
    }
    if (!best)
        return fail(sawSmallCard ? CardFrontError::kCardTooSmall : CardFrontError::kNoCard);
    if (best->widthPx < options.minCardWidthPx)
        return fail(CardFrontError::kCardTooSmall);
    return *best;
}

cv::Mat rectifyCard(const cv::Mat& bgr, const CardQuad& quad, cv::Size size, bool turn180) {
    std::array<cv::Point2f, 4> dst{cv::Point2f(0, 0), cv::Point2f(float(size.width), 0),
                                   cv::Point2f(float(size.width), float(size.height)),
                                   cv::Point2f(0, float(size.height))};
    if (turn180)
        std::rotate(dst.begin(), dst.begin() + 2, dst.end());
    const cv::Mat h = cv::getPerspectiveTransform(quad.corners.data(), dst.data());
    cv::Mat out;
    cv::warpPerspective(bgr, out, h, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

}  // namespace uketsuke::vision::card_front
