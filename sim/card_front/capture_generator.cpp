// Capture generator (capture_generator.h). Each variation starts from the same mild baseline
// (small tilt and rotation, ordinary light, a little noise, JPEG 90) and pushes one factor to
// its range, so a failure is attributable to that factor.
#include "sim/card_front/capture_generator.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace uketsuke::sim {
namespace {

using V = CaptureVariation;

struct Rng {
    std::mt19937_64 engine;
    double uniform(double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(engine);
    }
    int integer(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine); }
    bool coin(double p = 0.5) { return uniform(0, 1) < p; }
};

cv::Scalar randomColour(Rng& rng, int lo, int hi) {
    return cv::Scalar(rng.integer(lo, hi), rng.integer(lo, hi), rng.integer(lo, hi));
}

// A counter top: a darkish tray colour, a light gradient, a few objects; `busy` adds paper
// sheets, pens and a keyboard-like grid.
cv::Mat background(cv::Size size, Rng& rng, bool busy) {
    cv::Mat bg(size, CV_8UC3, randomColour(rng, 35, 100));
    cv::Mat gradient(size, CV_32FC1);
    const double gx = rng.uniform(-0.25, 0.25), gy = rng.uniform(-0.25, 0.25);
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x)
            gradient.at<float>(y, x) = float(1.0 + gx * (x / double(size.width) - 0.5) +
                                             gy * (y / double(size.height) - 0.5));
    cv::Mat f;
    bg.convertTo(f, CV_32FC3);
    cv::Mat g3;
    cv::merge(std::vector<cv::Mat>{gradient, gradient, gradient}, g3);
    f = f.mul(g3);
    f.convertTo(bg, CV_8UC3);

    const int objects = busy ? 30 : rng.integer(2, 8);
    for (int i = 0; i < objects; ++i) {
        const cv::Point c(rng.integer(0, size.width), rng.integer(0, size.height));
        switch (rng.integer(0, busy ? 3 : 2)) {
            case 0:
                cv::circle(bg, c, rng.integer(10, 80), randomColour(rng, 20, 200), cv::FILLED,
                           cv::LINE_AA);
                break;
            case 1:
                cv::line(bg, c, c + cv::Point(rng.integer(-300, 300), rng.integer(-300, 300)),
                         randomColour(rng, 0, 230), rng.integer(2, 12), cv::LINE_AA);
                break;
            case 2: {
                const cv::RotatedRect r(
                    c, cv::Size2f(float(rng.uniform(40, 200)), float(rng.uniform(20, 120))),
                    float(rng.uniform(0, 180)));
                cv::Point2f p[4];
                r.points(p);
                std::vector<cv::Point> poly(p, p + 4);
                cv::fillConvexPoly(bg, poly, randomColour(rng, 20, 210), cv::LINE_AA);
                break;
            }
            default: {  // keyboard keys
                const cv::Scalar key = randomColour(rng, 30, 90);
                for (int k = 0; k < 12; ++k)
                    cv::rectangle(bg, cv::Rect(c.x + k * 34, c.y, 28, 28), key, cv::FILLED);
                break;
            }
        }
    }
    return bg;
}

// Where the card goes in the frame: TL, TR, BR, BL.
std::array<cv::Point2f, 4> placeCard(cv::Size frame, cv::Size card, V v, Rng& rng) {
    double widthFrac = rng.uniform(0.58, 0.75);
    if (v == V::kScale)
        widthFrac = rng.coin() ? rng.uniform(0.42, 0.55) : rng.uniform(0.76, 0.9);
    double angle = rng.uniform(-4, 4);
    if (v == V::kRotation)
        angle = rng.coin() ? rng.uniform(-15, -5) : rng.uniform(5, 15);
    if (v == V::kUpsideDown)
        angle += 180;
    const double jitter = v == V::kPerspective ? 0.09 : 0.03;

    const double w = widthFrac * frame.width;
    const double h = w * card.height / card.width;
    const double a = angle * CV_PI / 180;
    std::array<cv::Point2f, 4> pts;
    const cv::Point2f local[4] = {{float(-w / 2), float(-h / 2)},
                                  {float(w / 2), float(-h / 2)},
                                  {float(w / 2), float(h / 2)},
                                  {float(-w / 2), float(h / 2)}};
    for (int i = 0; i < 4; ++i) {
        const double jx = rng.uniform(-jitter, jitter) * w, jy = rng.uniform(-jitter, jitter) * h;
        const double x = local[i].x + jx, y = local[i].y + jy;
        pts[i] = cv::Point2f(float(x * std::cos(a) - y * std::sin(a)),
                             float(x * std::sin(a) + y * std::cos(a)));
    }
    // Centre with a random offset that keeps every corner 12 px inside the frame. A large card
    // turned far would not fit (its corners would leave the frame, and with them the evidence
    // of where the card is): it is shrunk until it does, as a patient would hold it farther.
    struct Extent {
        float minX = 1e9f, maxX = -1e9f, minY = 1e9f, maxY = -1e9f;
    };
    auto extent = [&] {
        Extent e;
        for (auto& p : pts) {
            e.minX = std::min(e.minX, p.x), e.maxX = std::max(e.maxX, p.x);
            e.minY = std::min(e.minY, p.y), e.maxY = std::max(e.maxY, p.y);
        }
        return e;
    };
    Extent e = extent();
    const double fit = std::min({1.0, (frame.width - 24) / double(e.maxX - e.minX),
                                 (frame.height - 24) / double(e.maxY - e.minY)});
    if (fit < 1.0) {
        for (auto& p : pts)
            p *= float(fit);
        e = extent();
    }
    const double spareX = std::max(0.0, frame.width - 24 - double(e.maxX - e.minX));
    const double spareY = std::max(0.0, frame.height - 24 - double(e.maxY - e.minY));
    const double ox = 12 - e.minX + rng.uniform(0, spareX),
                 oy = 12 - e.minY + rng.uniform(0, spareY);
    for (auto& p : pts)
        p += cv::Point2f(float(ox), float(oy));
    return pts;
}

void composite(cv::Mat& frame, const cv::Mat& bgr, const cv::Mat& mask, const cv::Mat& h) {
    cv::Mat warped, warpedMask;
    cv::warpPerspective(bgr, warped, h, frame.size(), cv::INTER_AREA, cv::BORDER_CONSTANT);
    cv::warpPerspective(mask, warpedMask, h, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
    cv::Mat alpha;
    warpedMask.convertTo(alpha, CV_32F, 1.0 / 255);
    cv::Mat a3, f, w;
    cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
    frame.convertTo(f, CV_32FC3);
    warped.convertTo(w, CV_32FC3);
    f = w.mul(a3) + f.mul(cv::Scalar::all(1.0) - a3);
    f.convertTo(frame, CV_8UC3);
}

cv::Point2f mapPoint(const cv::Mat& h, cv::Point2f p) {
    std::vector<cv::Point2f> in{p}, out;
    cv::perspectiveTransform(in, out, h);
    return out[0];
}

// A finger: a skin-coloured capsule with a darker outline and a nail-side highlight, from
// `from` (outside the card) to `tip` (on the card).
void drawFinger(cv::Mat& frame, cv::Point2f from, cv::Point2f tip, double width, Rng& rng) {
    const cv::Scalar skin(rng.uniform(120, 160), rng.uniform(150, 185), rng.uniform(200, 235));
    const int thick = std::max(6, int(width));
    cv::line(frame, from, tip, skin * 0.8, thick + 4, cv::LINE_AA);
    cv::line(frame, from, tip, skin, thick, cv::LINE_AA);
    cv::circle(frame, tip, thick / 2, skin, cv::FILLED, cv::LINE_AA);
    const cv::Point2f d = (tip - from) * (1.0f / float(std::max(1.0, cv::norm(tip - from))));
    cv::line(frame, tip - d * float(width * 0.9), tip - d * float(width * 0.2), skin * 1.08,
             std::max(2, thick / 3), cv::LINE_AA);
}

cv::Mat screenGrid(cv::Size size) {
    // Phone sub-pixels: R, G, B columns with a dark gap column and a dark gap row, period 5 px
    // of the rendered card (about 3 px in the frame: the warp aliases it into moiré).
    cv::Mat grid(size, CV_32FC3);
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x) {
            const int cx = x % 5, cy = y % 5;
            cv::Vec3f v(0.35f, 0.35f, 0.35f);
            if (cy != 4) {
                if (cx == 0 || cx == 1)
                    v = cv::Vec3f(0.45f, 0.45f, 1.25f);
                else if (cx == 2)
                    v = cv::Vec3f(0.45f, 1.3f, 0.45f);
                else if (cx == 3)
                    v = cv::Vec3f(1.3f, 0.45f, 0.45f);
            }
            grid.at<cv::Vec3f>(y, x) = v;
        }
    return grid;
}

}  // namespace

std::string_view variationName(CaptureVariation v) {
    switch (v) {
        case V::kClean:
            return "clean";
        case V::kPerspective:
            return "perspective";
        case V::kRotation:
            return "rotation";
        case V::kScale:
            return "scale";
        case V::kBlur:
            return "blur";
        case V::kMotionBlur:
            return "motion_blur";
        case V::kGlare:
            return "glare";
        case V::kLowLight:
            return "low_light";
        case V::kJpeg:
            return "jpeg";
        case V::kFingers:
            return "fingers";
        case V::kClutter:
            return "clutter";
        case V::kNoCard:
            return "no_card";
        case V::kOtherCard:
            return "other_card";
        case V::kScreen:
            return "screen";
        case V::kUpsideDown:
            return "upside_down";
        case V::kFingerOverField:
            return "finger_over_field";
    }
    return "?";
}

Capture makeCapture(const RenderedCard& card, CaptureVariation v, std::uint64_t seed,
                    const CaptureOptions& options) {
    Rng rng{std::mt19937_64(seed * 0x9E3779B97F4A7C15ull + std::uint64_t(v))};
    Capture out;
    out.variation = v;
    cv::Mat frame = background(options.frameSize, rng, v == V::kClutter);

    if (v != V::kNoCard && !card.bgr.empty()) {
        const cv::Size cs = card.bgr.size();
        out.cardCorners = placeCard(options.frameSize, cs, v, rng);
        const std::array<cv::Point2f, 4> src{cv::Point2f(0, 0), cv::Point2f(float(cs.width), 0),
                                             cv::Point2f(float(cs.width), float(cs.height)),
                                             cv::Point2f(0, float(cs.height))};
        const cv::Mat h = cv::getPerspectiveTransform(src.data(), out.cardCorners.data());
        if (v == V::kClutter) {
            // A sheet of paper on the counter, as bright as the card, cut by the frame edge on
            // the side with more room and kept clear of the card: a sheet overlapping the card
            // merges with it (the reader then abstains; docs/card_front_ocr.md, limits).
            float minX = 1e9f, maxX = -1e9f;
            for (const auto& p : out.cardCorners)
                minX = std::min(minX, p.x), maxX = std::max(maxX, p.x);
            const int w = rng.integer(150, 300), hgt = rng.integer(250, 420);
            const int y = rng.integer(-hgt / 3, frame.rows - hgt / 2);
            const bool left = minX > frame.cols - maxX;
            const int room = left ? int(minX) - 20 : frame.cols - int(maxX) - 20;
            if (room > 40) {
                const int visible = std::min(w, room);
                const int x = left ? visible - w : frame.cols - visible;
                cv::rectangle(frame, cv::Rect(x, y, w, hgt), cv::Scalar(225, 228, 230), cv::FILLED);
            }
        }
        cv::Mat bgr = card.bgr, mask = card.mask;
        if (v == V::kScreen) {
            // The card fills a phone screen: emissive (brighter, bluish), pixel grid, and a
            // black bezel around the displayed image.
            cv::Mat f;
            bgr.convertTo(f, CV_32FC3, 1.0 / 255);
            f = f.mul(screenGrid(bgr.size()));
            f = f.mul(cv::Scalar(1.15, 1.0, 0.9));
            f.convertTo(bgr, CV_8UC3, 255);
            const int border = cs.width / 14;
            cv::Mat phone(cs.height + 2 * border, cs.width + 2 * border, CV_8UC3,
                          cv::Scalar(12, 12, 14));
            bgr.copyTo(phone(cv::Rect(border, border, cs.width, cs.height)));
            cv::Mat phoneMask(phone.size(), CV_8UC1, cv::Scalar(255));
            const std::array<cv::Point2f, 4> psrc{
                cv::Point2f(float(-border), float(-border)),
                cv::Point2f(float(cs.width + border), float(-border)),
                cv::Point2f(float(cs.width + border), float(cs.height + border)),
                cv::Point2f(float(-border), float(cs.height + border))};
            std::array<cv::Point2f, 4> pdst;
            for (int i = 0; i < 4; ++i)
                pdst[i] = mapPoint(h, psrc[i]);
            const std::array<cv::Point2f, 4> phoneSrc{
                cv::Point2f(0, 0), cv::Point2f(float(phone.cols), 0),
                cv::Point2f(float(phone.cols), float(phone.rows)),
                cv::Point2f(0, float(phone.rows))};
            composite(frame, phone, phoneMask,
                      cv::getPerspectiveTransform(phoneSrc.data(), pdst.data()));
        } else {
            composite(frame, bgr, mask, h);
        }

        const double s = cs.width / 85.60;  // card px per mm
        auto onCard = [&](double xMm, double yMm) {
            return mapPoint(h, cv::Point2f(float(xMm * s), float(yMm * s)));
        };
        const double fingerW = cv::norm(onCard(0, 0) - onCard(15, 0));
        if (v == V::kFingers) {
            // Thumbs over the edges where no field is printed: the top edge (title, name), the
            // right edge beside the photo, the bottom edge under the 追記欄.
            const int n = rng.integer(1, 2);
            for (int i = 0; i < n; ++i) {
                switch (rng.integer(0, 2)) {
                    case 0: {
                        const double x = rng.uniform(12, 50);
                        drawFinger(frame, onCard(x, -25),
                                   onCard(x + rng.uniform(-3, 3), rng.uniform(3, 6)), fingerW, rng);
                        break;
                    }
                    case 1: {
                        const double y = rng.uniform(10, 28);
                        drawFinger(frame, onCard(110, y),
                                   onCard(rng.uniform(80, 83), y + rng.uniform(-2, 2)), fingerW,
                                   rng);
                        break;
                    }
                    default: {
                        const double x = rng.uniform(12, 45);
                        drawFinger(frame, onCard(x, 80),
                                   onCard(x + rng.uniform(-3, 3), rng.uniform(48, 51)), fingerW,
                                   rng);
                        break;
                    }
                }
            }
        } else if (v == V::kFingerOverField) {
            if (rng.coin()) {  // over the security code from below
                const double x = rng.uniform(64, 76);
                drawFinger(frame, onCard(x, 80), onCard(x, rng.uniform(38.5, 41)), fingerW, rng);
            } else {  // over the birth date from the left
                const double y = rng.uniform(26.5, 29.5);
                drawFinger(frame, onCard(-30, y), onCard(rng.uniform(14, 24), y), fingerW, rng);
            }
        }
        if (v == V::kGlare) {
            cv::Mat glare(frame.size(), CV_32FC1, cv::Scalar(0));
            const cv::Point2f c = onCard(rng.uniform(10, 75), rng.uniform(8, 46));
            const double rx = fingerW * rng.uniform(0.8, 2.0), ry = rx * rng.uniform(0.4, 0.8);
            cv::ellipse(glare, c, cv::Size(int(rx), int(ry)), rng.uniform(0, 180), 0, 360,
                        cv::Scalar(1), cv::FILLED);
            cv::GaussianBlur(glare, glare, cv::Size(0, 0), rx / 2.5);
            cv::Mat masked;
            cv::warpPerspective(card.mask, masked, h, frame.size());
            masked.convertTo(masked, CV_32F, 1.0 / 255);
            glare = glare.mul(masked) * rng.uniform(90, 170);
            cv::Mat f, g3;
            frame.convertTo(f, CV_32FC3);
            cv::merge(std::vector<cv::Mat>{glare, glare, glare}, g3);
            f += g3;
            f.convertTo(frame, CV_8UC3);
        }
    }

    // Optics: focus and motion blur.
    if (v == V::kBlur)
        cv::GaussianBlur(frame, frame, cv::Size(0, 0), rng.uniform(0.8, 1.8));
    else if (v == V::kMotionBlur) {
        const int len = rng.integer(5, 9);
        cv::Mat k = cv::Mat::zeros(len, len, CV_32F);
        const double a = rng.uniform(0, CV_PI);
        for (int i = 0; i < len; ++i) {
            const double t = i - (len - 1) / 2.0;
            k.at<float>(cvRound((len - 1) / 2.0 + t * std::sin(a)),
                        cvRound((len - 1) / 2.0 + t * std::cos(a))) = 1.f;
        }
        k /= cv::sum(k)[0];
        cv::filter2D(frame, frame, -1, k);
    } else {
        cv::GaussianBlur(frame, frame, cv::Size(0, 0), rng.uniform(0.3, 0.7));
    }

    // Light and sensor: gain, colour cast, noise.
    const double gain = v == V::kLowLight ? rng.uniform(0.3, 0.5) : rng.uniform(0.85, 1.1);
    const double noise = v == V::kLowLight ? rng.uniform(4, 8) : rng.uniform(1, 3);
    cv::Mat f;
    frame.convertTo(f, CV_32FC3);
    f = f.mul(cv::Scalar(gain * rng.uniform(0.93, 1.07), gain * rng.uniform(0.95, 1.05),
                         gain * rng.uniform(0.93, 1.07)));
    cv::Mat n(frame.size(), CV_32FC3);
    cv::RNG cvRng(seed + 17);
    cvRng.fill(n, cv::RNG::NORMAL, 0, noise);
    f += n;
    f.convertTo(frame, CV_8UC3);

    // The camera's JPEG.
    const int quality = v == V::kJpeg ? rng.integer(25, 50) : rng.integer(85, 95);
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
    out.bgr = cv::imdecode(jpeg, cv::IMREAD_COLOR);
    return out;
}

}  // namespace uketsuke::sim
