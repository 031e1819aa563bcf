// Presentation-attack generator (see pad_attacks.h).
#include "bench/pad/pad_attacks.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "sim/card_front/card_front_render.h"

namespace uketsuke::pad {
namespace {

constexpr double kPi = std::numbers::pi;

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : gen_(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) {}
    double uniform(double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(gen_); }
    int integer(int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(gen_); }
    bool chance(double p) { return uniform(0.0, 1.0) < p; }
    std::uint64_t next() { return gen_(); }

  private:
    std::mt19937_64 gen_;
};

// A smooth hand-like 1-D motion: two slow sinusoids plus a low-passed tremor, amplitude ~1.
class HandMotion {
  public:
    HandMotion(Rng& rng, int frames, double fps) {
        const double f1 = rng.uniform(0.15, 0.5), f2 = rng.uniform(0.6, 1.6);
        const double p1 = rng.uniform(0, 2 * kPi), p2 = rng.uniform(0, 2 * kPi);
        const double a2 = rng.uniform(0.2, 0.5);
        double tremor = 0.0;
        for (int i = 0; i < frames; ++i) {
            const double t = i / fps;
            tremor = 0.7 * tremor + 0.3 * rng.uniform(-1.0, 1.0);
            values_.push_back(std::sin(2 * kPi * f1 * t + p1) +
                              a2 * std::sin(2 * kPi * f2 * t + p2) + 0.25 * tremor);
        }
    }
    double at(int i) const { return values_[static_cast<std::size_t>(i)]; }

  private:
    std::vector<double> values_;
};

struct PlaneMotion {
    HandMotion dx, dy, roll, scale, yaw, pitch;
    PlaneMotion(Rng& rng, int frames, double fps)
        : dx(rng, frames, fps),
          dy(rng, frames, fps),
          roll(rng, frames, fps),
          scale(rng, frames, fps),
          yaw(rng, frames, fps),
          pitch(rng, frames, fps) {}
};

cv::Matx33d translation(double x, double y) {
    return {1, 0, x, 0, 1, y, 0, 0, 1};
}
cv::Matx33d scaling(double s) {
    return {s, 0, 0, 0, s, 0, 0, 0, 1};
}
cv::Matx33d rotation2d(double rad) {
    return {std::cos(rad), -std::sin(rad), 0, std::sin(rad), std::cos(rad), 0, 0, 0, 1};
}

// Homography of a plane through `centre` (frame coordinates), at the distance where it appears at
// scale 1 for focal length f, rotated about its own centre by yaw / pitch.
cv::Matx33d tilt(double yawRad, double pitchRad, cv::Point2d centre, double f) {
    const cv::Matx33d ry(std::cos(yawRad), 0, std::sin(yawRad), 0, 1, 0, -std::sin(yawRad), 0,
                         std::cos(yawRad));
    const cv::Matx33d rx(1, 0, 0, 0, std::cos(pitchRad), -std::sin(pitchRad), 0, std::sin(pitchRad),
                         std::cos(pitchRad));
    const cv::Matx33d r = ry * rx;
    // Plane point (x, y, 0) -> R (x, y, 0) + (0, 0, f), projected with focal length f.
    const cv::Matx33d h(f * r(0, 0), f * r(0, 1), 0, f * r(1, 0), f * r(1, 1), 0, r(2, 0), r(2, 1),
                        f);
    return translation(centre.x, centre.y) * h * translation(-centre.x, -centre.y);
}

// Per-frame pose of a hand-held plane: drift, roll, scale breathing and out-of-plane tilt.
cv::Matx33d handPose(const PlaneMotion& m, int i, cv::Point2d centre, double driftPx,
                     double rollDeg, double scaleAmp, double tiltDeg, double focal) {
    const double d2r = kPi / 180.0;
    const cv::Matx33d about = translation(centre.x, centre.y);
    const cv::Matx33d back = translation(-centre.x, -centre.y);
    const cv::Matx33d inPlane = about * rotation2d(m.roll.at(i) * rollDeg * d2r) *
                                scaling(1.0 + scaleAmp * m.scale.at(i)) * back;
    return translation(driftPx * m.dx.at(i), driftPx * m.dy.at(i)) *
           tilt(m.yaw.at(i) * tiltDeg * d2r, m.pitch.at(i) * tiltDeg * d2r, centre, focal) *
           inPlane;
}

void addSensorNoise(cv::Mat& bgr, double sigma, std::uint64_t seed) {
    cv::Mat noise(bgr.size(), CV_16SC3);
    cv::RNG rng(seed);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(sigma));
    cv::Mat wide;
    bgr.convertTo(wide, CV_16SC3);
    wide += noise;
    wide.convertTo(bgr, CV_8UC3);
}

void jpegRoundTrip(cv::Mat& bgr, int quality) {
    std::vector<uchar> buffer;
    cv::imencode(".jpg", bgr, buffer, {cv::IMWRITE_JPEG_QUALITY, quality});
    bgr = cv::imdecode(buffer, cv::IMREAD_COLOR);
}

void blur(cv::Mat& bgr, double sigma) {
    if (sigma > 0.05)
        cv::GaussianBlur(bgr, bgr, cv::Size(0, 0), sigma);
}

// Additive elliptical highlight (ceiling light on glossy paper or glass), inside `mask`.
void addGlare(cv::Mat& bgr, const cv::Mat& mask, cv::Point2d centre, cv::Size2d axes,
              double angleDeg, double strength) {
    cv::Mat glare(bgr.size(), CV_32F, cv::Scalar(0));
    cv::ellipse(glare, cv::Point(cvRound(centre.x), cvRound(centre.y)),
                cv::Size(cvRound(axes.width), cvRound(axes.height)), angleDeg, 0, 360,
                cv::Scalar(1.0), cv::FILLED);
    cv::GaussianBlur(glare, glare, cv::Size(0, 0), std::max(3.0, axes.height * 0.6));
    if (!mask.empty()) {
        cv::Mat m;
        mask.convertTo(m, CV_32F, 1.0 / 255.0);
        glare = glare.mul(m);
    }
    cv::Mat f;
    bgr.convertTo(f, CV_32FC3);
    std::vector<cv::Mat> ch;
    cv::split(f, ch);
    for (auto& c : ch)
        c += glare * strength;
    cv::merge(ch, f);
    f.convertTo(bgr, CV_8UC3);
}

cv::Mat warpOnto(const cv::Mat& background, const cv::Mat& layer, const cv::Mat& layerMask,
                 const cv::Matx33d& h, cv::Mat* frameMask = nullptr) {
    cv::Mat warped, mask;
    cv::warpPerspective(layer, warped, cv::Mat(h), background.size(), cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    cv::warpPerspective(layerMask, mask, cv::Mat(h), background.size(), cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    cv::Mat out = background.clone();
    cv::Mat alpha;
    mask.convertTo(alpha, CV_32F, 1.0 / 255.0);
    cv::Mat a3;
    cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
    cv::Mat fo, fw;
    out.convertTo(fo, CV_32FC3);
    warped.convertTo(fw, CV_32FC3);
    cv::Mat blended = fw.mul(a3) + fo.mul(cv::Scalar::all(1.0) - a3);
    blended.convertTo(out, CV_8UC3);
    if (frameMask)
        *frameMask = mask;
    return out;
}

AttackVideo stillNoise(const AttackSpec& spec, const std::vector<cv::Mat>& source, Rng& rng) {
    AttackVideo v;
    const cv::Mat& photo = source.front();
    const cv::Size fs = spec.frameSize;
    v.params.noiseSigma = rng.uniform(12.0, 16.0);
    v.params.blurSigma = rng.uniform(0.3, 1.3);
    v.params.driftPx = rng.uniform(4.0, 16.0);
    v.params.tiltDeg = rng.uniform(1.0, 6.0);
    const double rollDeg = rng.uniform(0.5, 3.0);
    const double cover = std::max(static_cast<double>(fs.width) / photo.cols,
                                  static_cast<double>(fs.height) / photo.rows) *
                         rng.uniform(1.08, 1.25);
    v.params.faceScale = cover;
    const cv::Point2d centre(fs.width / 2.0, fs.height / 2.0);
    const cv::Matx33d base = translation(centre.x + rng.uniform(-0.05, 0.05) * fs.width,
                                         centre.y + rng.uniform(-0.05, 0.05) * fs.height) *
                             scaling(cover) * translation(-photo.cols / 2.0, -photo.rows / 2.0);
    const PlaneMotion motion(rng, spec.frames, spec.fps);
    const int quality = rng.integer(70, 92);
    for (int i = 0; i < spec.frames; ++i) {
        const cv::Matx33d h = handPose(motion, i, centre, v.params.driftPx, rollDeg, 0.02,
                                       v.params.tiltDeg, 1.2 * fs.width) *
                              base;
        cv::Mat frame;
        cv::warpPerspective(photo, frame, cv::Mat(h), fs, cv::INTER_LINEAR, cv::BORDER_REFLECT101);
        blur(frame, v.params.blurSigma);
        addSensorNoise(frame, v.params.noiseSigma, rng.next());
        jpegRoundTrip(frame, quality);
        v.frames.push_back(frame);
    }
    return v;
}

// A portrait crop (4:5) of the source's centre for the card's photo field.
cv::Mat portraitOf(const cv::Mat& photo) {
    const double aspect = 4.0 / 5.0;
    cv::Rect r;
    if (photo.cols > photo.rows * aspect) {
        const int w = static_cast<int>(photo.rows * aspect);
        r = cv::Rect((photo.cols - w) / 2, 0, w, photo.rows);
    } else {
        const int h = static_cast<int>(photo.cols / aspect);
        r = cv::Rect(0, (photo.rows - h) / 2, photo.cols, h);
    }
    return photo(r).clone();
}

AttackVideo cardFront(const AttackSpec& spec, const std::vector<cv::Mat>& source,
                      const sim::CardFrontRenderer& renderer, Rng& rng) {
    using namespace std::chrono;
    AttackVideo v;
    const cv::Size fs = spec.frameSize;
    sim::CardFrontSpec card;
    card.name = "受付 花子";
    card.address = "東京都千代田区霞が関一丁目二番三号";
    card.birthDate = year_month_day{year{1980 + rng.integer(0, 20)}, month{2}, day{17}};
    card.expiry = year_month_day{year{2034}, month{2}, day{17}};
    card.securityCode = "1234";
    card.male = rng.chance(0.5);
    card.photo = portraitOf(source.front());
    const double renderPxPerMm = 12.0;
    const sim::RenderedCard rendered = renderer.render(card, renderPxPerMm);
    const auto& photoMm = renderer.layout().photo;

    // Face ~ 55 % of the photo field's height; the attacker holds the card close enough for the
    // face to reach 90-170 px.
    const double faceMm = photoMm.h * 0.55;
    const double faceTargetPx = rng.uniform(0.19, 0.33) * fs.height;
    const double scale = faceTargetPx / (faceMm * renderPxPerMm);
    v.params.faceScale = faceTargetPx / fs.height;
    const cv::Point2d photoCentreCard((photoMm.x + photoMm.w / 2) * renderPxPerMm,
                                      (photoMm.y + photoMm.h / 2) * renderPxPerMm);
    const cv::Point2d centre(fs.width * rng.uniform(0.4, 0.6), fs.height * rng.uniform(0.4, 0.6));
    const cv::Matx33d base = translation(centre.x, centre.y) *
                             rotation2d(rng.uniform(-0.15, 0.15)) * scaling(scale) *
                             translation(-photoCentreCard.x, -photoCentreCard.y);
    v.params.driftPx = rng.uniform(5.0, 20.0);
    v.params.tiltDeg = rng.uniform(8.0, 25.0);
    v.params.noiseSigma = rng.uniform(4.0, 16.0);
    v.params.blurSigma = rng.uniform(0.3, 1.2);
    const double rollDeg = rng.uniform(1.0, 6.0);
    const cv::Mat room = makeRoomBackground(fs, rng.next());
    const PlaneMotion motion(rng, spec.frames, spec.fps);
    const double glareStrength = rng.chance(0.6) ? rng.uniform(20.0, 80.0) : 0.0;
    const cv::Point2d glareAt(rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3));
    const int quality = rng.integer(70, 92);
    for (int i = 0; i < spec.frames; ++i) {
        const cv::Matx33d h = handPose(motion, i, centre, v.params.driftPx, rollDeg, 0.05,
                                       v.params.tiltDeg, 1.2 * fs.width) *
                              base;
        cv::Mat mask;
        cv::Mat frame = warpOnto(room, rendered.bgr, rendered.mask, h, &mask);
        if (glareStrength > 0)
            addGlare(
                frame, mask,
                centre + cv::Point2d(glareAt.x * faceTargetPx * 2, glareAt.y * faceTargetPx * 2),
                cv::Size2d(faceTargetPx * 0.6, faceTargetPx * 0.25), 30.0, glareStrength);
        blur(frame, v.params.blurSigma);
        addSensorNoise(frame, v.params.noiseSigma, rng.next());
        jpegRoundTrip(frame, quality);
        v.frames.push_back(frame);
    }
    return v;
}

// The screen's sub-pixel structure: each content pixel becomes 3 x 3 device dots, R | G | B
// columns with a dark row gap, at `strength` (0 = no visible grid).
cv::Mat subPixelScreen(const cv::Mat& content, double strength) {
    cv::Mat up;
    cv::resize(content, up, cv::Size(content.cols * 3, content.rows * 3), 0, 0, cv::INTER_NEAREST);
    cv::Mat f;
    up.convertTo(f, CV_32FC3, 1.0 / 255.0);
    for (int y = 0; y < f.rows; ++y) {
        auto* row = f.ptr<cv::Vec3f>(y);
        const bool gap = y % 3 == 2;
        for (int x = 0; x < f.cols; ++x) {
            cv::Vec3f grid(0, 0, 0);
            if (!gap)
                grid[2 - x % 3] = 3.0f;  // BGR order: column 0 red, 1 green, 2 blue
            const float s = static_cast<float>(strength);
            row[x] = row[x].mul(cv::Vec3f(1 - s, 1 - s, 1 - s) + s * grid * 1.5f);
        }
    }
    cv::Mat out;
    f.convertTo(out, CV_8UC3, 255.0);
    return out;
}

AttackVideo screenReplay(const AttackSpec& spec, const std::vector<cv::Mat>& source, Rng& rng) {
    AttackVideo v;
    const cv::Size fs = spec.frameSize;
    v.params.laptop = rng.chance(0.4);
    const cv::Size content = source.front().size();
    // Screen (content letterboxed into it) and bezel, in content pixels.
    const double screenAspect = v.params.laptop ? 16.0 / 10.0 : 3.0 / 4.0;
    cv::Size screen;
    if (static_cast<double>(content.width) / content.height > screenAspect)
        screen = cv::Size(content.width, static_cast<int>(content.width / screenAspect));
    else
        screen = cv::Size(static_cast<int>(content.height * screenAspect), content.height);
    const int bezel = static_cast<int>(screen.width * (v.params.laptop ? 0.04 : 0.06));
    const cv::Size device(screen.width + 2 * bezel,
                          screen.height + 2 * bezel + (v.params.laptop ? 0 : bezel * 2));
    const cv::Rect screenRect(bezel, v.params.laptop ? bezel : bezel * 2, screen.width,
                              screen.height);
    const cv::Rect contentRect(screenRect.x + (screen.width - content.width) / 2,
                               screenRect.y + (screen.height - content.height) / 2, content.width,
                               content.height);
    const int bezelGrey = rng.integer(10, 45);
    const double gridStrength = rng.uniform(0.15, 0.6);
    const double gamma = rng.uniform(0.8, 1.15);
    const double blackLevel = rng.uniform(8.0, 30.0);
    const cv::Scalar cast(rng.uniform(1.0, 1.12), rng.uniform(0.97, 1.03), rng.uniform(0.85, 1.0));
    // Content height on camera: the replayed face reaches a usable size.
    const double contentOnCamera = rng.uniform(0.7, 1.05) * fs.height;
    const double scale = contentOnCamera / content.height;
    v.params.faceScale = scale;
    const cv::Point2d centre(fs.width * rng.uniform(0.42, 0.58),
                             fs.height * rng.uniform(0.42, 0.58));
    const cv::Point2d contentCentre(contentRect.x + contentRect.width / 2.0,
                                    contentRect.y + contentRect.height / 2.0);
    // The device image is rendered at 3x (sub-pixel grid), so scale by 1/3 more.
    const cv::Matx33d base = translation(centre.x, centre.y) *
                             rotation2d(rng.uniform(-0.08, 0.08)) * scaling(scale / 3.0) *
                             translation(-3 * contentCentre.x, -3 * contentCentre.y);
    v.params.driftPx = v.params.laptop ? rng.uniform(0.0, 3.0) : rng.uniform(4.0, 16.0);
    v.params.tiltDeg = v.params.laptop ? rng.uniform(0.0, 1.0) : rng.uniform(3.0, 10.0);
    v.params.noiseSigma = rng.uniform(3.0, 12.0);
    v.params.blurSigma = rng.uniform(0.3, 1.2);
    v.params.bandingDepth = rng.uniform(0.03, 0.15);
    const double bandPeriod = rng.uniform(30.0, 160.0);
    const double bandSpeed = rng.uniform(0.1, 0.45);  // periods per frame
    const double glareStrength = rng.chance(0.7) ? rng.uniform(25.0, 90.0) : 0.0;
    const cv::Point2d glareAt(rng.uniform(-0.35, 0.35), rng.uniform(-0.35, 0.35));
    const cv::Mat room = makeRoomBackground(fs, rng.next());
    const PlaneMotion motion(rng, spec.frames, spec.fps);
    const int quality = rng.integer(70, 92);
    const int startFrame = rng.integer(0, static_cast<int>(source.size()) - 1);
    cv::Mat deviceMask(device.height * 3, device.width * 3, CV_8U, cv::Scalar(255));
    cv::Mat screenMaskHi(device.height * 3, device.width * 3, CV_8U, cv::Scalar(0));
    screenMaskHi(
        cv::Rect(screenRect.x * 3, screenRect.y * 3, screenRect.width * 3, screenRect.height * 3))
        .setTo(255);
    for (int i = 0; i < spec.frames; ++i) {
        // Source frames in order, ping-pong at the end of the clip.
        const int n = static_cast<int>(source.size());
        int k = (startFrame + i) % std::max(1, 2 * n - 2);
        if (k >= n)
            k = 2 * n - 2 - k;
        cv::Mat shown;
        source[static_cast<std::size_t>(std::clamp(k, 0, n - 1))].convertTo(shown, CV_32FC3,
                                                                            1.0 / 255.0);
        cv::pow(shown, gamma, shown);
        shown = shown.mul(cv::Scalar(cast[0], cast[1], cast[2])) * (255.0 - blackLevel) +
                cv::Scalar::all(blackLevel);
        cv::Mat screenPixels(device, CV_8UC3, cv::Scalar(bezelGrey, bezelGrey, bezelGrey + 3));
        screenPixels(screenRect).setTo(cv::Scalar(blackLevel, blackLevel, blackLevel));
        shown.convertTo(screenPixels(contentRect), CV_8UC3);
        cv::Mat hi = subPixelScreen(screenPixels, gridStrength);
        // Keep the bezel flat (the grid is only on the screen).
        cv::Mat flatBezel(hi.size(), CV_8UC3, cv::Scalar(bezelGrey, bezelGrey, bezelGrey + 3));
        flatBezel.copyTo(hi, 255 - screenMaskHi);
        const cv::Matx33d h = handPose(motion, i, centre, v.params.driftPx, 1.5, 0.02,
                                       v.params.tiltDeg, 1.2 * fs.width) *
                              base;
        cv::Mat frame = warpOnto(room, hi, deviceMask, h);
        cv::Mat screenMask;
        cv::warpPerspective(screenMaskHi, screenMask, cv::Mat(h), fs, cv::INTER_LINEAR);
        // Rolling refresh banding on the screen area.
        cv::Mat f;
        frame.convertTo(f, CV_32FC3);
        for (int y = 0; y < f.rows; ++y) {
            const double m =
                1.0 - v.params.bandingDepth *
                          (0.5 + 0.5 * std::sin(2 * kPi * (y / bandPeriod + bandSpeed * i)));
            const uchar* sm = screenMask.ptr<uchar>(y);
            auto* row = f.ptr<cv::Vec3f>(y);
            for (int x = 0; x < f.cols; ++x) {
                const double a = sm[x] / 255.0;
                row[x] *= static_cast<float>(1.0 - a + a * m);
            }
        }
        f.convertTo(frame, CV_8UC3);
        if (glareStrength > 0)
            addGlare(frame, screenMask,
                     centre + cv::Point2d(glareAt.x * contentOnCamera, glareAt.y * contentOnCamera),
                     cv::Size2d(contentOnCamera * 0.35, contentOnCamera * 0.12), -25.0,
                     glareStrength);
        blur(frame, v.params.blurSigma);
        addSensorNoise(frame, v.params.noiseSigma, rng.next());
        jpegRoundTrip(frame, quality);
        v.frames.push_back(frame);
    }
    return v;
}

}  // namespace

std::string_view attackName(AttackKind kind) {
    switch (kind) {
        case AttackKind::kStillNoise:
            return "still-noise";
        case AttackKind::kCardFront:
            return "card-front";
        case AttackKind::kScreenReplay:
            return "screen-replay";
    }
    return "unknown";
}

std::optional<AttackKind> parseAttackKind(std::string_view name) {
    for (AttackKind k : kAttackKinds)
        if (attackName(k) == name)
            return k;
    return std::nullopt;
}

cv::Mat makeRoomBackground(cv::Size size, std::uint64_t seed) {
    Rng rng(seed);
    cv::Mat room(size, CV_8UC3);
    const cv::Vec3d top(rng.uniform(150, 230), rng.uniform(150, 230), rng.uniform(150, 230));
    const cv::Vec3d bottom = top * rng.uniform(0.6, 0.95);
    for (int y = 0; y < size.height; ++y) {
        const double t = static_cast<double>(y) / size.height;
        const cv::Vec3d c = top * (1 - t) + bottom * t;
        room.row(y).setTo(cv::Scalar(c[0], c[1], c[2]));
    }
    const int objects = rng.integer(2, 6);
    for (int i = 0; i < objects; ++i) {
        const int w = rng.integer(size.width / 10, size.width / 3);
        const int h = rng.integer(size.height / 10, size.height / 2);
        const cv::Rect r(rng.integer(0, size.width - w), rng.integer(0, size.height - h), w, h);
        const cv::Scalar c(rng.uniform(30, 220), rng.uniform(30, 220), rng.uniform(30, 220));
        cv::rectangle(room, r, c, cv::FILLED);
        cv::rectangle(room, r, c * 0.6, 2);
    }
    cv::Mat noise(size, CV_8UC3);
    cv::RNG cvRng(rng.next());
    cvRng.fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(12));
    room += noise;
    cv::GaussianBlur(room, room, cv::Size(0, 0), 1.5);
    return room;
}

AttackVideo generateAttack(const AttackSpec& spec, const std::vector<cv::Mat>& source,
                           const sim::CardFrontRenderer* renderer) {
    if (source.empty() || source.front().empty())
        throw std::invalid_argument("attack generator: empty source");
    Rng rng(spec.seed ^ (static_cast<std::uint64_t>(spec.kind) << 56));
    switch (spec.kind) {
        case AttackKind::kStillNoise:
            return stillNoise(spec, source, rng);
        case AttackKind::kCardFront:
            if (!renderer)
                throw std::invalid_argument("attack generator: card-front needs a renderer");
            return cardFront(spec, source, *renderer, rng);
        case AttackKind::kScreenReplay:
            return screenReplay(spec, source, rng);
    }
    throw std::invalid_argument("attack generator: unknown kind");
}

}  // namespace uketsuke::pad
