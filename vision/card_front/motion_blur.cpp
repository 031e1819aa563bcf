// Motion blur measurement and removal (motion_blur.h).
#include "vision/card_front/motion_blur.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "vision/order_statistics.h"

namespace uketsuke::vision::card_front {
namespace {

constexpr int kMargin = 24;      // canonical pixels of background kept around the card
constexpr int kReach = 16;       // profile half-length across an edge
constexpr double kMinStep = 30;  // grey levels between background and card: a usable edge

// 10-90 % rise distance of a profile running from the background into the card; nullopt when
// the step is too small or not monotonic enough to cross both levels.
std::optional<double> spread(const std::vector<double>& p) {
    std::vector<double> outside(p.begin(), p.begin() + 6), inside(p.end() - 6, p.end());
    std::nth_element(outside.begin(), outside.begin() + 3, outside.end());
    std::nth_element(inside.begin(), inside.begin() + 3, inside.end());
    const double lo = outside[3], hi = inside[3];
    if (hi - lo < kMinStep)
        return std::nullopt;
    auto crossing = [&](double level) -> std::optional<double> {
        const double v = lo + level * (hi - lo);
        for (std::size_t i = 1; i < p.size(); ++i)
            if (p[i - 1] < v && p[i] >= v)
                return double(i - 1) + (v - p[i - 1]) / (p[i] - p[i - 1]);
        return std::nullopt;
    };
    const auto a = crossing(0.1), b = crossing(0.9);
    if (!a || !b || *b < *a)
        return std::nullopt;
    return *b - *a;
}

// Agreeing spreads of two opposite sides, as the smear's extent along their normal.
std::optional<double> extent(std::optional<double> s1, std::optional<double> s2,
                             const MotionBlurOptions& o) {
    double w = 0;
    if (s1 && s2) {
        if (std::abs(*s1 - *s2) > o.maxSideMismatchPx)
            return std::nullopt;
        w = (*s1 + *s2) / 2;
    } else if (s1 || s2) {
        w = s1 ? *s1 : *s2;  // a finger or an object may spoil one side
    } else {
        return std::nullopt;
    }
    // A box smear of length L rises 10-90 % over 0.8 L; the camera's own blur widens that
    // roughly in quadrature (the spreads of independent blurs add as variances).
    return std::sqrt(std::max(0.0, w * w - o.baseSpreadPx * o.baseSpreadPx)) / 0.8;
}

}  // namespace

std::optional<BlurExtent> measureMotionBlur(const cv::Mat& bgr, const CardQuad& quad,
                                            cv::Size canonical, const MotionBlurOptions& options) {
    const int W = canonical.width, H = canonical.height, m = kMargin;
    const std::array<cv::Point2f, 4> dst{
        cv::Point2f(float(m), float(m)), cv::Point2f(float(m + W), float(m)),
        cv::Point2f(float(m + W), float(m + H)), cv::Point2f(float(m), float(m + H))};
    const cv::Mat h = cv::getPerspectiveTransform(quad.corners.data(), dst.data());
    cv::Mat warped, grey;
    cv::warpPerspective(bgr, warped, h, cv::Size(W + 2 * m, H + 2 * m), cv::INTER_LINEAR,
                        cv::BORDER_REPLICATE);
    cv::cvtColor(warped, grey, cv::COLOR_BGR2GRAY);

    // Median profile across one side over its middle 60 % (the corners are rounded, and a
    // finger or an object touching the side is outvoted).
    enum Side { kTop, kRight, kBottom, kLeft };
    auto sideSpread = [&](Side side) {
        std::vector<double> profile;
        std::vector<uchar> values;
        for (int k = -kReach; k <= kReach; ++k) {
            values.clear();
            const int along = side == kTop || side == kBottom ? W : H;
            for (int t = int(0.2 * along); t <= int(0.8 * along); t += 2) {
                int x = 0, y = 0;
                switch (side) {
                    case kTop:
                        x = m + t, y = m + k;
                        break;
                    case kBottom:
                        x = m + t, y = m + H - k;
                        break;
                    case kLeft:
                        x = m + k, y = m + t;
                        break;
                    case kRight:
                        x = m + W - k, y = m + t;
                        break;
                }
                values.push_back(grey.at<uchar>(y, x));
            }
            profile.push_back(medianOf(values));
        }
        return spread(profile);
    };
    const auto ey = extent(sideSpread(kTop), sideSpread(kBottom), options);
    const auto ex = extent(sideSpread(kLeft), sideSpread(kRight), options);
    if (!ex && !ey)
        return std::nullopt;
    const BlurExtent e{ex.value_or(0), ey.value_or(0)};
    if (std::hypot(e.x, e.y) < options.minExtentPx)
        return std::nullopt;
    return e;
}

SmearDirection smearDirection(const cv::Mat& grey, const BlurExtent& e) {
    cv::Mat gx, gy;
    cv::Sobel(grey, gx, CV_32F, 1, 0);
    cv::Sobel(grey, gy, CV_32F, 0, 1);
    const double n = std::max(1e-6, std::hypot(e.x, e.y));
    auto energy = [&](double ux, double uy) {
        const cv::Mat d = gx * (ux / n) + gy * (uy / n);
        return cv::sum(d.mul(d))[0];
    };
    SmearDirection out;
    if (e.x >= 1 && e.y >= 1 && energy(e.x, -e.y) < energy(e.x, e.y))
        out.sign = -1;
    const double along = energy(e.x, out.sign * e.y);
    const double across = energy(-out.sign * e.y, e.x);
    out.anisotropy = along / std::max(1e-6, across);
    return out;
}

cv::Mat deblurLinear(const cv::Mat& grey, double dx, double dy, double noiseToSignal) {
    // Pad (reflected) so that the circular convolution of the DFT does not wrap the far edge
    // onto the near one.
    const int pad = 2 * int(std::ceil(std::max(std::abs(dx), std::abs(dy)))) + 8;
    cv::Mat padded;
    cv::copyMakeBorder(grey, padded, pad, pad, pad, pad, cv::BORDER_REFLECT);
    const cv::Size size(cv::getOptimalDFTSize(padded.cols), cv::getOptimalDFTSize(padded.rows));
    cv::Mat f;
    cv::copyMakeBorder(padded, padded, 0, size.height - padded.rows, 0, size.width - padded.cols,
                       cv::BORDER_REFLECT);
    padded.convertTo(f, CV_32F);

    // The line kernel, splatted bilinearly at quarter-pixel steps, centred on (0, 0) (wrapped).
    cv::Mat psf = cv::Mat::zeros(size, CV_32F);
    const double length = std::hypot(dx, dy);
    const int steps = std::max(1, int(length * 4));
    for (int i = 0; i <= steps; ++i) {
        const double t = double(i) / steps - 0.5;
        const double x = t * dx, y = t * dy;
        const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
        const double fx = x - x0, fy = y - y0;
        const std::array<std::array<double, 3>, 4> taps{{{0, 0, (1 - fx) * (1 - fy)},
                                                         {1, 0, fx * (1 - fy)},
                                                         {0, 1, (1 - fx) * fy},
                                                         {1, 1, fx * fy}}};
        for (const auto& [ox, oy, w] : taps) {
            const int px = ((x0 + int(ox)) % size.width + size.width) % size.width;
            const int py = ((y0 + int(oy)) % size.height + size.height) % size.height;
            psf.at<float>(py, px) += float(w);
        }
    }
    psf /= cv::sum(psf)[0];

    cv::Mat F, K;
    cv::dft(f, F, cv::DFT_COMPLEX_OUTPUT);
    cv::dft(psf, K, cv::DFT_COMPLEX_OUTPUT);
    // G = F conj(K) / (|K|^2 + nsr)
    std::vector<cv::Mat> kp(2), fp(2);
    cv::split(K, kp);
    cv::split(F, fp);
    cv::Mat power = kp[0].mul(kp[0]) + kp[1].mul(kp[1]) + noiseToSignal;
    cv::Mat re = (fp[0].mul(kp[0]) + fp[1].mul(kp[1])) / power;
    cv::Mat im = (fp[1].mul(kp[0]) - fp[0].mul(kp[1])) / power;
    cv::Mat G, out;
    cv::merge(std::vector<cv::Mat>{re, im}, G);
    cv::dft(G, out, cv::DFT_INVERSE | cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    cv::Mat result;
    out(cv::Rect(pad, pad, grey.cols, grey.rows)).convertTo(result, CV_8U);
    return result;
}

}  // namespace uketsuke::vision::card_front
