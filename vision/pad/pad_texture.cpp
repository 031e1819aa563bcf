// Texture / frequency / colour / border cue (see pad_texture.h).
#include "vision/pad/pad_texture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "uketsuke/encoding.h"
#include "vision/order_statistics.h"

namespace uketsuke::vision::pad {
namespace {

constexpr int kCrop = 96;
constexpr int kLbpBins = 59;
constexpr int kFftSize = 64;
constexpr int kBands = 6;

// Uniform-pattern lookup: the 58 patterns with <= 2 transitions get bins 0..57, the rest 58.
const std::array<int, 256>& uniformTable() {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t{};
        int next = 0;
        for (int v = 0; v < 256; ++v) {
            int transitions = 0;
            for (int b = 0; b < 8; ++b)
                transitions += ((v >> b) & 1) != ((v >> ((b + 1) % 8)) & 1);
            t[static_cast<std::size_t>(v)] = transitions <= 2 ? next++ : kLbpBins - 1;
        }
        return t;
    }();
    return table;
}

// LBP codes (radius r, 8 neighbours on the square ring) of a grey image.
cv::Mat lbpCodes(const cv::Mat& grey, int r) {
    cv::Mat codes(grey.size(), CV_8U, cv::Scalar(0));
    static const int dx[8] = {-1, 0, 1, 1, 1, 0, -1, -1};
    static const int dy[8] = {-1, -1, -1, 0, 1, 1, 1, 0};
    for (int y = r; y < grey.rows - r; ++y)
        for (int x = r; x < grey.cols - r; ++x) {
            const uchar c = grey.at<uchar>(y, x);
            int code = 0;
            for (int k = 0; k < 8; ++k)
                code |= (grey.at<uchar>(y + dy[k] * r, x + dx[k] * r) >= c) << k;
            codes.at<uchar>(y, x) =
                static_cast<uchar>(uniformTable()[static_cast<std::size_t>(code)]);
        }
    return codes;
}

void appendHistogram(const cv::Mat& codes, const cv::Rect& cell, int r, std::vector<float>& out) {
    std::array<double, kLbpBins> h{};
    double n = 0;
    for (int y = std::max(cell.y, r); y < std::min(cell.y + cell.height, codes.rows - r); ++y)
        for (int x = std::max(cell.x, r); x < std::min(cell.x + cell.width, codes.cols - r); ++x) {
            h[codes.at<uchar>(y, x)] += 1;
            n += 1;
        }
    for (double v : h)
        out.push_back(static_cast<float>(std::sqrt(n > 0 ? v / n : 0.0)));
}

cv::Rect widen(const cv::Rect& r, double f) {
    const double cx = r.x + r.width / 2.0, cy = r.y + r.height / 2.0;
    return {cvRound(cx - r.width * f / 2), cvRound(cy - r.height * f / 2), cvRound(r.width * f),
            cvRound(r.height * f)};
}

void frequencyFeatures(const cv::Mat& grey, const cv::Rect& box, std::vector<float>& out) {
    // Native-resolution patch at the face centre (nose / cheeks).
    const int n = std::min({kFftSize, box.width, box.height});
    cv::Rect patch(box.x + box.width / 2 - n / 2, box.y + box.height / 2 - n / 2, n, n);
    patch &= cv::Rect(0, 0, grey.cols, grey.rows);
    std::array<double, kBands> band{};
    double peakRatio = 0.0;
    if (patch.width >= 16 && patch.height >= 16) {
        cv::Mat f;
        cv::resize(grey(patch), f, cv::Size(kFftSize, kFftSize), 0, 0, cv::INTER_NEAREST);
        f.convertTo(f, CV_32F);
        f -= cv::mean(f)[0];
        cv::Mat hann;
        cv::createHanningWindow(hann, f.size(), CV_32F);
        f = f.mul(hann);
        cv::Mat spectrum;
        cv::dft(f, spectrum, cv::DFT_COMPLEX_OUTPUT);
        std::vector<cv::Mat> parts;
        cv::split(spectrum, parts);
        cv::Mat mag;
        cv::magnitude(parts[0], parts[1], mag);
        std::vector<float> high;
        double total = 1e-9;
        for (int y = 0; y < kFftSize; ++y)
            for (int x = 0; x < kFftSize; ++x) {
                const int fy = y <= kFftSize / 2 ? y : y - kFftSize;
                const int fx = x <= kFftSize / 2 ? x : x - kFftSize;
                const double radius = std::sqrt(fx * fx + fy * fy) / (kFftSize / 2.0);
                if (radius < 0.03 || radius > 1.0)
                    continue;
                const double e = mag.at<float>(y, x) * mag.at<float>(y, x);
                band[static_cast<std::size_t>(
                    std::min(kBands - 1, static_cast<int>(radius * kBands)))] += e;
                total += e;
                if (radius > 0.5)
                    high.push_back(mag.at<float>(y, x));
            }
        for (double& b : band)
            b = std::log10(b / total + 1e-6);
        if (!high.empty()) {
            const double med = medianOf(high) + 1e-6;
            peakRatio = std::log10(*std::max_element(high.begin(), high.end()) / med);
        }
    }
    for (double b : band)
        out.push_back(static_cast<float>(b));
    out.push_back(static_cast<float>(peakRatio));

    // Refresh banding: periodicity of the row means over the face box (native resolution).
    const cv::Rect rows = box & cv::Rect(0, 0, grey.cols, grey.rows);
    double bandPeak = 0.0;
    if (rows.height >= 32) {
        cv::Mat profile;
        cv::reduce(grey(rows), profile, 1, cv::REDUCE_AVG, CV_32F);
        profile = profile.t();
        cv::Mat smooth;
        cv::GaussianBlur(profile, smooth, cv::Size(0, 0), 6.0);
        cv::Mat detrended = profile - smooth;
        cv::Mat spectrum;
        cv::dft(detrended, spectrum, cv::DFT_COMPLEX_OUTPUT);
        std::vector<float> mags;
        for (int k = 2; k < detrended.cols / 2; ++k) {
            const cv::Vec2f c = spectrum.at<cv::Vec2f>(0, k);
            mags.push_back(std::hypot(c[0], c[1]));
        }
        if (mags.size() >= 4) {
            bandPeak =
                std::log10(*std::max_element(mags.begin(), mags.end()) / (medianOf(mags) + 1e-6));
        }
    }
    out.push_back(static_cast<float>(bandPeak));
}

void colourFeatures(const cv::Mat& crop, std::vector<float>& out) {
    cv::Mat ycc, hsv;
    cv::cvtColor(crop, ycc, cv::COLOR_BGR2YCrCb);
    cv::cvtColor(crop, hsv, cv::COLOR_BGR2HSV);
    cv::Scalar m, s;
    cv::meanStdDev(ycc, m, s);
    out.push_back(static_cast<float>(m[1] / 128.0 - 1));
    out.push_back(static_cast<float>(m[2] / 128.0 - 1));
    out.push_back(static_cast<float>(s[0] / 64.0));
    out.push_back(static_cast<float>(s[1] / 32.0));
    out.push_back(static_cast<float>(s[2] / 32.0));
    cv::Scalar hm, hs;
    cv::meanStdDev(hsv, hm, hs);
    out.push_back(static_cast<float>(hm[1] / 255.0));
    out.push_back(static_cast<float>(hs[1] / 128.0));
    std::vector<cv::Mat> ch;
    cv::split(hsv, ch);
    const double n = static_cast<double>(crop.total());
    out.push_back(static_cast<float>(cv::countNonZero((ch[2] > 235) & (ch[1] < 40)) / n));
    out.push_back(static_cast<float>(cv::countNonZero(ch[2] < 20) / n));
}

void borderFeatures(const cv::Mat& grey, const cv::Rect& box, std::vector<float>& out) {
    const cv::Rect frame(0, 0, grey.cols, grey.rows);
    const cv::Rect outer = widen(box, 3.0) & frame;
    const cv::Rect inner = widen(box, 1.2) & frame;
    double longest = 0.0;
    int count = 0;
    if (outer.area() > 0) {
        cv::Mat g;
        const double s = std::min(1.0, 160.0 / std::max(1, box.height));
        cv::resize(grey(outer), g, cv::Size(), s, s, cv::INTER_AREA);
        cv::Mat edges;
        cv::Canny(g, edges, 50, 150);
        const auto scaled = [s](int v) { return static_cast<int>(v * s); };
        const cv::Rect in(scaled(inner.x - outer.x), scaled(inner.y - outer.y), scaled(inner.width),
                          scaled(inner.height));
        edges(in & cv::Rect(0, 0, edges.cols, edges.rows)).setTo(0);
        std::vector<cv::Vec4i> lines;
        const double faceH = box.height * s;
        cv::HoughLinesP(edges, lines, 1, CV_PI / 180, 40, 0.5 * faceH, 3);
        for (const auto& l : lines) {
            const double len = std::hypot(l[2] - l[0], l[3] - l[1]) / faceH;
            longest = std::max(longest, len);
            count += len >= 0.8;
        }
    }
    out.push_back(static_cast<float>(std::min(longest, 3.0)));
    out.push_back(static_cast<float>(std::min(count, 10) / 10.0));
}

std::string fileSha256(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return lowerHex(
        sha256(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())));
}

}  // namespace

int textureFeatureCount() {
    return 2 * 5 * kLbpBins + kBands + 2 + 9 + 2;
}

std::vector<float> textureFeatures(const cv::Mat& bgr, const cv::Rect& faceBox) {
    std::vector<float> out;
    if (bgr.empty())
        return out;
    const cv::Rect frame(0, 0, bgr.cols, bgr.rows);
    const cv::Rect box = faceBox & frame;
    if (box.width < 24 || box.height < 24)
        return out;
    out.reserve(static_cast<std::size_t>(textureFeatureCount()));
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    cv::Mat crop;
    cv::resize(grey(box), crop, cv::Size(kCrop, kCrop), 0, 0, cv::INTER_AREA);
    for (int r : {1, 2}) {
        const cv::Mat codes = lbpCodes(crop, r);
        appendHistogram(codes, cv::Rect(0, 0, kCrop, kCrop), r, out);
        for (int cy = 0; cy < 2; ++cy)
            for (int cx = 0; cx < 2; ++cx)
                appendHistogram(
                    codes, cv::Rect(cx * kCrop / 2, cy * kCrop / 2, kCrop / 2, kCrop / 2), r, out);
    }
    frequencyFeatures(grey, box, out);
    colourFeatures(bgr(box), out);
    borderFeatures(grey, box, out);
    return out;
}

std::optional<TextureModel> TextureModel::load(const std::filesystem::path& file,
                                               const std::string& expectedSha256,
                                               std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<TextureModel> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!std::filesystem::exists(file))
        return fail("PAD model missing: " + file.string());
    if (!expectedSha256.empty()) {
        const std::string actual = fileSha256(file);
        if (actual != expectedSha256)
            return fail("PAD model SHA-256 mismatch: " + actual + " (expected " + expectedSha256 +
                        ")");
    }
    TextureModel m;
    try {
        cv::FileStorage fs(file.string(), cv::FileStorage::READ);
        if (!fs.isOpened())
            return fail("PAD model unreadable");
        fs["mean"] >> m.mean;
        fs["scale"] >> m.scale;
        fs["weights"] >> m.weights;
        fs["bias"] >> m.bias;
    } catch (const cv::Exception& e) {
        return fail(std::string("PAD model corrupt: ") + e.what());
    }
    const auto n = static_cast<std::size_t>(textureFeatureCount());
    if (m.mean.size() != n || m.scale.size() != n || m.weights.size() != n)
        return fail("PAD model has the wrong feature count");
    return m;
}

bool TextureModel::save(const std::filesystem::path& file, const std::string& comment) const {
    cv::FileStorage fs(file.string(), cv::FileStorage::WRITE | cv::FileStorage::FORMAT_YAML);
    if (!fs.isOpened())
        return false;
    fs.writeComment(comment);
    fs << "features" << textureFeatureCount();
    fs << "mean" << mean << "scale" << scale << "weights" << weights << "bias" << bias;
    return true;
}

double TextureModel::score(const std::vector<float>& features) const {
    if (features.size() != weights.size())
        return 0.0;
    double s = bias;
    for (std::size_t i = 0; i < features.size(); ++i)
        s += weights[i] * (features[i] - mean[i]) / scale[i];
    return s;
}

void TextureCue::addFrame(const PadFrame& frame) {
    if (seen_++ % everyNth_ != 0)
        return;
    const std::vector<float> f = textureFeatures(frame.bgr, frame.faceBox);
    if (!f.empty())
        scores_.push_back(model_.score(f));
}

CueScore TextureCue::score() const {
    CueScore s;
    s.samples = static_cast<int>(scores_.size());
    if (s.samples < minFrames_)
        return s;
    s.value = medianOf(scores_);
    s.available = true;
    return s;
}

}  // namespace uketsuke::vision::pad
