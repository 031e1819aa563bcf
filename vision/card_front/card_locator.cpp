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
    sides.reserve(poly.size());
    for (int i = 0; i < int(poly.size()); ++i)
        sides.push_back({cv::norm(poly[(i + 1) % poly.size()] - poly[i]), i});
    std::sort(sides.rbegin(), sides.rend());
    std::vector<int> keep;
    keep.reserve(4);
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

struct Candidate {
    std::array<cv::Point2f, 4> q;  // ordered (orderCorners), work-image pixels
    double area = 0;
    double longSide = 0;
};

// Geometry every card candidate must have, whichever way it was found.
// (Possibly too small: the caller tells a small card from clutter.)
std::optional<Candidate> cardShaped(const std::array<cv::Point2f, 4>& raw, cv::Size work,
                                    const CardLocatorOptions& options) {
    const auto q = orderCorners(raw);
    std::vector<cv::Point2f> poly(q.begin(), q.end());
    if (!cv::isContourConvex(poly))
        return std::nullopt;
    const double longSide = (cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3])) / 2;
    const double shortSide = (cv::norm(q[2] - q[1]) + cv::norm(q[3] - q[0])) / 2;
    if (shortSide < 1)
        return std::nullopt;
    const double aspect = longSide / shortSide;
    // The card's fitted corners lie outside its rounded outline, so they may fall a few pixels
    // beyond the frame when the card nearly fills it.
    const float slack = 0.03f * float(work.width);
    for (const auto& p : q)
        if (p.x < -slack || p.y < -slack || p.x > work.width + slack || p.y > work.height + slack)
            return std::nullopt;
    if (aspect < options.minAspect || aspect > options.maxAspect)
        return std::nullopt;
    const double area = polygonArea(q);
    if (area < 0.3 * options.minAreaFraction * work.area())
        return std::nullopt;
    return Candidate{q, area, longSide};
}

// The card-like quadrilaterals of the stock mask's outer contours.
void maskCandidates(const cv::Mat& mask, const CardLocatorOptions& options,
                    std::vector<Candidate>& out) {
    const double frameArea = double(mask.cols) * mask.rows;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    for (const auto& c : contours) {
        const double area = cv::contourArea(c);
        if (area < options.minAreaFraction * frameArea * 0.3)
            continue;
        // A region spanning the whole frame is the frame itself (a blank or uniform image).
        const cv::Rect extent = cv::boundingRect(c);
        if (extent.width >= mask.cols - 2 && extent.height >= mask.rows - 2)
            continue;
        const auto quad = fitQuad(c);
        if (!quad)
            continue;
        auto cand = cardShaped(*quad, mask.size(), options);
        if (cand && area / std::max(1.0, cand->area) >= options.minRectangularity)
            out.push_back(*cand);
    }
}

// A straight edge of the frame: the merged Hough segments along one line.
struct EdgeLine {
    double theta = 0, rho = 0;  // normal form: x cos(theta) + y sin(theta) = rho, theta in [0, pi)
    double length = 0;          // total length of its segments
    Line line;                  // its longest segment
};

double angleGap(double a, double b) {  // between two line directions, 0..pi/2
    double d = std::fmod(std::abs(a - b), CV_PI);
    return std::min(d, CV_PI - d);
}

std::vector<EdgeLine> edgeLines(const cv::Mat& edges, int maxLines) {
    // The probabilistic transform walks each line pixel by pixel: on a one-pixel edge a long,
    // slightly slanted side falls off its own staircase and breaks into short pieces, so the
    // walk runs on edges thickened to 3 px.
    cv::Mat thick;
    cv::dilate(edges, thick, cv::Mat());
    std::vector<cv::Vec4i> segments;
    const int minLength = std::max(20, edges.cols / 14);
    cv::HoughLinesP(thick, segments, 1, CV_PI / 720, minLength / 2, minLength, 6);
    std::sort(segments.begin(), segments.end(), [](const cv::Vec4i& a, const cv::Vec4i& b) {
        return std::hypot(a[2] - a[0], a[3] - a[1]) > std::hypot(b[2] - b[0], b[3] - b[1]);
    });
    std::vector<EdgeLine> lines;
    for (const auto& sgm : segments) {
        const cv::Point2f a{float(sgm[0]), float(sgm[1])}, b{float(sgm[2]), float(sgm[3])};
        const double len = cv::norm(b - a);
        double theta = std::atan2(double(b.y - a.y), double(b.x - a.x)) + CV_PI / 2;
        theta = std::fmod(theta + 2 * CV_PI, CV_PI);
        const double rho = a.x * std::cos(theta) + a.y * std::sin(theta);
        bool merged = false;
        for (auto& l : lines) {
            // Same line: nearly the same direction and the segment's middle on it.
            const cv::Point2f m = (a + b) * 0.5f;
            const double off = m.x * std::cos(l.theta) + m.y * std::sin(l.theta) - l.rho;
            if (angleGap(theta, l.theta) < 2.5 * CV_PI / 180 && std::abs(off) < 4) {
                l.length += len;
                merged = true;
                break;
            }
        }
        if (!merged)
            lines.push_back({theta, rho, len, {a, b}});
    }
    std::sort(lines.begin(), lines.end(),
              [](const EdgeLine& x, const EdgeLine& y) { return x.length > y.length; });
    if (int(lines.size()) > maxLines)
        lines.resize(maxLines);

    return lines;
}

// Card-shaped quadrilaterals bounded by two pairs of nearly parallel edge lines.
void lineCandidates(const std::vector<EdgeLine>& lines, cv::Size work,
                    const CardLocatorOptions& options, std::vector<Candidate>& out) {
    const double parallel = 20 * CV_PI / 180;  // perspective and tilt make sides converge
    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < int(lines.size()); ++i)
        for (int j = i + 1; j < int(lines.size()); ++j)
            if (angleGap(lines[i].theta, lines[j].theta) < parallel) {
                const cv::Point2f m = (lines[j].line.a + lines[j].line.b) * 0.5f;
                const double gap = std::abs(m.x * std::cos(lines[i].theta) +
                                            m.y * std::sin(lines[i].theta) - lines[i].rho);
                if (gap > work.width / 12.0)
                    pairs.push_back({i, j});
            }
    for (std::size_t p = 0; p < pairs.size(); ++p)
        for (std::size_t r = p + 1; r < pairs.size(); ++r) {
            const auto [a, b] = pairs[p];
            const auto [c, d] = pairs[r];
            if (a == c || a == d || b == c || b == d)
                continue;
            if (std::abs(angleGap(lines[a].theta, lines[c].theta) - CV_PI / 2) > CV_PI / 6)
                continue;
            const auto p0 = intersect(lines[a].line, lines[c].line);
            const auto p1 = intersect(lines[c].line, lines[b].line);
            const auto p2 = intersect(lines[b].line, lines[d].line);
            const auto p3 = intersect(lines[d].line, lines[a].line);
            if (!p0 || !p1 || !p2 || !p3)
                continue;
            if (auto cand = cardShaped({*p0, *p1, *p2, *p3}, work, options))
                out.push_back(*cand);
        }
}

// The unit normal of side i (corner i to corner i+1) of a convex quadrilateral, pointing out of it.
cv::Point2f outwardNormal(const std::array<cv::Point2f, 4>& q, int i) {
    const cv::Point2f a = q[i], b = q[(i + 1) % 4];
    cv::Point2f centre(0, 0);
    for (const auto& p : q)
        centre += p * 0.25f;
    cv::Point2f n(b.y - a.y, a.x - b.x);
    n *= float(1.0 / std::max(1e-3, cv::norm(n)));
    return n.dot(centre - (a + b) * 0.5f) > 0 ? -n : n;
}

// How well the image's edges follow the candidate's sides: per side, the share of points (the
// middle 76 %: the corners are rounded) with an edge pixel within 2 px and the card's side of it
// brighter than the other (card stock is the brightest thing on the counter; the far edge of a
// dark gap between the card and a sheet of paper has the opposite sense).
struct EdgeSupport {
    double weakest = 1;  // the weakest side (a thumb may hide half of a short side)
    double mean = 0;     // over the four sides
};
EdgeSupport edgeSupport(const cv::Mat& edgeDistance, const cv::Mat& grey, const Candidate& c) {
    EdgeSupport support;
    for (int i = 0; i < 4; ++i) {
        const cv::Point2f a = c.q[i], b = c.q[(i + 1) % 4];
        const cv::Point2f normal = outwardNormal(c.q, i);
        const int n = std::max(8, int(cv::norm(b - a) / 3));
        int hit = 0, total = 0;
        auto at = [&](cv::Point2f p) -> int {
            const int x = std::clamp(cvRound(p.x), 0, grey.cols - 1);
            const int y = std::clamp(cvRound(p.y), 0, grey.rows - 1);
            return grey.at<uchar>(y, x);
        };
        for (int k = 0; k < n; ++k) {
            const cv::Point2f p = a + (b - a) * float(0.12 + 0.76 * k / (n - 1));
            const int x = cvRound(p.x), y = cvRound(p.y);
            if (x < 0 || y < 0 || x >= edgeDistance.cols || y >= edgeDistance.rows)
                continue;
            ++total;
            hit += edgeDistance.at<float>(y, x) <= 2.0f &&
                   at(p - normal * 4.0f) > at(p + normal * 4.0f) + 6;
        }
        const double side = total ? double(hit) / total : 0.0;
        support.weakest = std::min(support.weakest, side);
        support.mean += side / 4;
    }
    return support;
}

// Share of a grid of points inside the candidate that are card stock.
double stockInside(const cv::Mat& stock, const Candidate& c) {
    int hit = 0, total = 0;
    for (int gy = 1; gy < 8; ++gy)
        for (int gx = 1; gx < 12; ++gx) {
            const float u = gx / 12.0f, v = gy / 8.0f;
            const cv::Point2f top = c.q[0] + (c.q[1] - c.q[0]) * u;
            const cv::Point2f bottom = c.q[3] + (c.q[2] - c.q[3]) * u;
            const cv::Point2f p = top + (bottom - top) * v;
            const int x = cvRound(p.x), y = cvRound(p.y);
            if (x < 0 || y < 0 || x >= stock.cols || y >= stock.rows)
                continue;
            ++total;
            hit += stock.at<uchar>(y, x) != 0;
        }
    return total ? double(hit) / total : 0;
}

// The sides refitted on the full-resolution frame: the candidate comes from a 640-px copy
// (2 px per pixel on a 1280-px frame), and every pixel of corner error moves the fields in the
// rectified card. Along each side's middle 70 %, the steepest bright-to-dark step outwards within
// `reach` px is an edge point; a robust line through them is the side. A side with too few edge
// points (a finger over it) keeps its coarse line; a result far from the coarse one is refused.
std::array<cv::Point2f, 4> refineQuad(const cv::Mat& grey, const std::array<cv::Point2f, 4>& q) {
    constexpr int reach = 8;
    auto at = [&](float x, float y) -> float {  // bilinear
        x = std::clamp(x, 0.f, float(grey.cols - 2));
        y = std::clamp(y, 0.f, float(grey.rows - 2));
        const int x0 = int(x), y0 = int(y);
        const float fx = x - x0, fy = y - y0;
        const uchar* r0 = grey.ptr<uchar>(y0);
        const uchar* r1 = grey.ptr<uchar>(y0 + 1);
        return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) +
               fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
    };
    std::array<Line, 4> sides;
    for (int i = 0; i < 4; ++i) {
        const cv::Point2f a = q[i], b = q[(i + 1) % 4];
        sides[i] = {a, b};
        const cv::Point2f n = outwardNormal(q, i);
        const int count = std::max(10, int(cv::norm(b - a) / 4));
        std::vector<cv::Point2f> points;
        for (int k = 0; k < count; ++k) {
            const cv::Point2f p = a + (b - a) * float(0.15 + 0.7 * k / (count - 1));
            float best = 0;
            int bestS = 0;
            std::array<float, 2 * reach + 1> d{};
            for (int s = -reach; s <= reach; ++s) {
                const cv::Point2f o = p + n * float(s);
                d[s + reach] = at(o.x - n.x, o.y - n.y) - at(o.x + n.x, o.y + n.y);
                if (d[s + reach] > best)
                    best = d[s + reach], bestS = s;
            }
            if (best < 20 || bestS == -reach || bestS == reach)
                continue;
            // Parabola through the peak and its neighbours: the sub-pixel edge.
            const float l = d[bestS + reach - 1], c = d[bestS + reach], r = d[bestS + reach + 1];
            const float den = l - 2 * c + r;
            const float off = std::abs(den) > 1e-3f ? 0.5f * (l - r) / den : 0.f;
            points.push_back(p + n * (float(bestS) + std::clamp(off, -0.5f, 0.5f)));
        }
        if (int(points.size()) < count / 2)
            continue;
        cv::Vec4f fit;
        cv::fitLine(points, fit, cv::DIST_HUBER, 0, 0.01, 0.01);
        const cv::Point2f dir(fit[0], fit[1]), on(fit[2], fit[3]);
        sides[i] = {on, on + dir * 100.f};
    }
    std::array<cv::Point2f, 4> refined;
    for (int i = 0; i < 4; ++i) {
        const auto p = intersect(sides[(i + 3) % 4], sides[i]);
        if (!p || cv::norm(*p - q[i]) > 3 * reach)
            return q;
        refined[i] = *p;
    }
    return refined;
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
    // Close the print and the photo into the card. Outside the frame counts as background: by
    // default the closing would fill the strip between a card near the frame edge and the edge.
    const cv::Mat closeKernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15));
    cv::morphologyEx(stock, stock, cv::MORPH_CLOSE, closeKernel, cv::Point(-1, -1), 1,
                     cv::BORDER_CONSTANT, cv::Scalar(0));

    // The card's outline as the image's edges see it (brightness stretched first: a dim frame
    // has weak gradients).
    cv::Mat grey, edges, edgeDistance;
    cv::cvtColor(smoothed, grey, cv::COLOR_BGR2GRAY);
    cv::normalize(grey, grey, 0, 255, cv::NORM_MINMAX);
    cv::Canny(grey, edges, 30, 90);
    cv::Mat noEdge = edges == 0;
    cv::distanceTransform(noEdge, edgeDistance, cv::DIST_L2, 3);

    // Every card-shaped candidate, from two sources:
    // 1. the stock region's outline. Opening wider than a pen or a cable lying against the card
    //    (a spike on the outline would drag the fitted sides), far narrower than the card; wider
    //    openings cut the bridges to larger bright objects touching it;
    // 2. straight edges: when the region merged with something as bright (a sheet of paper, a
    //    pale thumb), the card's four sides are still lines in the image.
    std::vector<Candidate> found;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        const int open = attempt * std::max(5, small.cols / 45);
        cv::Mat mask;
        cv::morphologyEx(stock, mask, cv::MORPH_OPEN,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(open, open)));
        maskCandidates(mask, options, found);
    }
    // Only edges along the outline of the stock region or of the bright region (a tinted card
    // may be too saturated for "stock"): inside the card, the print's strokes would make more
    // and longer lines than its sides.
    cv::Mat outline, brightOutline, brightClosed, outlineEdges;
    cv::morphologyEx(stock, outline, cv::MORPH_GRADIENT, cv::Mat());
    cv::morphologyEx(bright, brightClosed, cv::MORPH_CLOSE, closeKernel, cv::Point(-1, -1), 1,
                     cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::morphologyEx(brightClosed, brightOutline, cv::MORPH_GRADIENT, cv::Mat());
    cv::bitwise_or(outline, brightOutline, outline);
    cv::dilate(outline, outline, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
    cv::bitwise_and(edges, outline, outlineEdges);
    lineCandidates(edgeLines(outlineEdges, 24), small.size(), options, found);

    // The one the image's edges follow best, weighted by size (a merged region has a side
    // across the gap to what it merged with; a quadrilateral inside the card is smaller).
    std::optional<Candidate> best;
    double bestScore = 0;
    bool sawSmallCard = false;
    const double minArea = options.minAreaFraction * small.size().area();
    for (const auto& c : found) {
        const EdgeSupport support = edgeSupport(edgeDistance, grey, c);
        if (support.weakest < options.minSideSupport || support.mean < options.minEdgeSupport ||
            stockInside(bright, c) < options.minStockInside)
            continue;
        if (c.area < minArea) {
            sawSmallCard = true;
            continue;
        }
        const double score = c.area * std::pow(support.mean, 4);
        if (score > bestScore)
            bestScore = score, best = c;
    }
    if (!best)
        return fail(sawSmallCard ? CardFrontError::kCardTooSmall : CardFrontError::kNoCard);
    std::array<cv::Point2f, 4> corners;
    for (int i = 0; i < 4; ++i)
        corners[i] = best->q[i] * float(1.0 / f);
    cv::Mat fullGrey;
    cv::cvtColor(bgr, fullGrey, cv::COLOR_BGR2GRAY);
    cv::GaussianBlur(fullGrey, fullGrey, cv::Size(3, 3), 0);
    CardQuad cq;
    cq.corners = refineQuad(fullGrey, corners);
    cq.widthPx = best->longSide / f;
    if (cq.widthPx < options.minCardWidthPx)
        return fail(CardFrontError::kCardTooSmall);
    return cq;
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
