// uketsuke-persona-media: build-time tool that makes a persona's card media from the face-api
// sample photos (issue 2 §3, sim/README.md "Build outputs"):
//   photo-source.png  colour head-and-shoulders crop (4:5) of face #k of sample<N>.jpg
//   photo.jp2         the chip photo: greyscale, 240x300, lossy JPEG 2000 (card-protocol.md §5.3
//   DF27) name.png, address.png, security-code.png  1-bit PNG images of DF25/DF26/DF2A
// Faces are found with dlib's HOG detector (no DNN) and numbered left to right.
//   uketsuke-persona-media --persona P.json --samples DIR --out DIR
//   uketsuke-persona-media --list IMAGE [--annotate OUT.jpg]
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv.h>
#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "sim/persona.h"
#include "uketsuke/guarded_main.h"

namespace {

namespace fs = std::filesystem;
using uketsuke::sim::Persona;

// Chip photo geometry: portrait 4:5, about 300 px high (issue 3: "greyscale, about 300 px high,
// lossy JP2"). The rate keeps the JP2 at a few KB like a real chip photo.
constexpr int kChipWidthPx = 240;
constexpr int kChipHeightPx = 300;
constexpr int kChipJp2RateX1000 = 60;
constexpr int kSourceMaxHeightPx = 600;

std::vector<cv::Rect> detectFaces(const cv::Mat& bgr) {
    // HOG on a copy no wider than 1280 px: the sample faces stay well above the detector's
    // 80 px minimum, and detection takes well under a second.
    const double scale = std::min(1.0, 1280.0 / bgr.cols);
    cv::Mat small;
    cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::Mat rgb;
    cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
    dlib::cv_image<dlib::rgb_pixel> img(rgb);
    static dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    std::vector<cv::Rect> faces;
    for (const dlib::rectangle& r : detector(img)) {
        faces.emplace_back(static_cast<int>(r.left() / scale), static_cast<int>(r.top() / scale),
                           static_cast<int>(r.width() / scale),
                           static_cast<int>(r.height() / scale));
    }
    std::sort(faces.begin(), faces.end(),
              [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
    return faces;
}

// Head-and-shoulders crop like an ID photo: the face box is about 45 % of the crop width, with
// room for hair above and shoulders below; clamped (keeping 4:5) to the image.
cv::Rect idPhotoCrop(const cv::Rect& face, const cv::Size& image) {
    double w = face.width * 2.1;
    double h = w * 5.0 / 4.0;
    const double maxW = std::min<double>(image.width, image.height * 4.0 / 5.0);
    if (w > maxW) {
        w = maxW;
        h = w * 5.0 / 4.0;
    }
    double x = face.x + face.width / 2.0 - w / 2.0;
    double y = face.y - face.height * 0.75;
    x = std::clamp(x, 0.0, image.width - w);
    y = std::clamp(y, 0.0, image.height - h);
    return cv::Rect(static_cast<int>(x), static_cast<int>(y), static_cast<int>(w),
                    static_cast<int>(h));
}

// A 1-bit PNG with black text lines on white (DF25 name, DF26 address, DF2A security code).
bool writeTextImage(const fs::path& out, const std::vector<std::string>& lines, int width,
                    double fontScale) {
    const int lineHeight = static_cast<int>(34 * fontScale) + 10;
    cv::Mat img(lineHeight * static_cast<int>(lines.size()) + 10, width, CV_8UC1, cv::Scalar(255));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        cv::putText(img, lines[i], cv::Point(8, lineHeight * static_cast<int>(i + 1)),
                    cv::FONT_HERSHEY_SIMPLEX, fontScale, cv::Scalar(0), 2, cv::LINE_8);
    }
    cv::threshold(img, img, 128, 255, cv::THRESH_BINARY);
    return cv::imwrite(out.string(), img, {cv::IMWRITE_PNG_BILEVEL, 1});
}

// Splits an address into lines of at most maxChars at spaces.
std::vector<std::string> wrap(const std::string& text, std::size_t maxChars) {
    std::vector<std::string> lines(1);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos)
            end = text.size();
        std::string word = text.substr(start, end - start);
        if (!lines.back().empty() && lines.back().size() + 1 + word.size() > maxChars)
            lines.emplace_back();
        if (!lines.back().empty())
            lines.back() += ' ';
        lines.back() += word;
        start = end + 1;
    }
    return lines;
}

int listFaces(const fs::path& image, const std::string& annotate) {
    cv::Mat bgr = cv::imread(image.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) {
        std::cerr << "persona-media: cannot read " << image << "\n";
        return 1;
    }
    const auto faces = detectFaces(bgr);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const cv::Rect& f = faces[i];
        std::cout << i << ": x=" << f.x << " y=" << f.y << " w=" << f.width << " h=" << f.height
                  << "\n";
        cv::rectangle(bgr, f, cv::Scalar(0, 0, 255), 4);
        cv::putText(bgr, std::to_string(i), f.tl() + cv::Point(0, -8), cv::FONT_HERSHEY_SIMPLEX,
                    2.0, cv::Scalar(0, 0, 255), 4);
    }
    if (!annotate.empty())
        cv::imwrite(annotate, bgr);
    return 0;
}

int makeMedia(const fs::path& personaFile, const fs::path& samples, const fs::path& outDir) {
    auto loaded = uketsuke::sim::loadPersona(personaFile);
    if (!loaded) {
        std::cerr << "persona-media: " << loaded.error().message() << "\n";
        return 1;
    }
    const Persona& p = loaded.value();
    const fs::path sample = samples / ("sample" + std::to_string(p.photo.sample) + ".jpg");
    cv::Mat bgr = cv::imread(sample.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) {
        std::cerr << "persona-media: cannot read " << sample
                  << " (run scripts/setup.sh: it fetches the face-api sample photos)\n";
        return 1;
    }
    const auto faces = detectFaces(bgr);
    if (p.photo.face < 0 || p.photo.face >= static_cast<int>(faces.size())) {
        std::cerr << "persona-media: " << p.id << ": face " << p.photo.face << " not found in "
                  << sample << " (" << faces.size() << " faces)\n";
        return 1;
    }
    fs::create_directories(outDir);
    cv::Mat crop = bgr(idPhotoCrop(faces[p.photo.face], bgr.size())).clone();
    if (crop.rows > kSourceMaxHeightPx) {
        cv::resize(crop, crop, cv::Size(kSourceMaxHeightPx * 4 / 5, kSourceMaxHeightPx), 0, 0,
                   cv::INTER_AREA);
    }
    cv::Mat grey, chip;
    cv::cvtColor(crop, grey, cv::COLOR_BGR2GRAY);
    cv::resize(grey, chip, cv::Size(kChipWidthPx, kChipHeightPx), 0, 0, cv::INTER_AREA);
    bool ok = cv::imwrite((outDir / "photo-source.png").string(), crop);
    ok = ok && cv::imwrite((outDir / "photo.jp2").string(), chip,
                           {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, kChipJp2RateX1000});
    ok = ok && writeTextImage(outDir / "name.png", {p.kenmen.displayName}, 480, 1.0);
    ok = ok && writeTextImage(outDir / "address.png", wrap(p.kenmen.address, 32), 560, 0.9);
    ok = ok && writeTextImage(outDir / "security-code.png", {p.kenmen.securityCode}, 120, 1.0);
    if (!ok) {
        std::cerr << "persona-media: writing into " << outDir << " failed\n";
        return 1;
    }
    return 0;
}

}  // namespace

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Makes a persona's chip photo and card-face images from the face-api samples"};
    std::string persona, samples, out, list, annotate;
    app.add_option("--persona", persona, "persona JSON file");
    app.add_option("--samples", samples, "folder with face-api sample<N>.jpg");
    app.add_option("--out", out, "output folder (build/pki/personas/<id>)");
    app.add_option("--list", list, "print the faces found in an image, left to right");
    app.add_option("--annotate", annotate, "with --list: write the image with numbered boxes");
    CLI11_PARSE(app, argc, argv);
    try {
        if (!list.empty())
            return listFaces(list, annotate);
        if (persona.empty() || samples.empty() || out.empty()) {
            std::cerr << app.help();
            return 2;
        }
        return makeMedia(persona, samples, out);
    } catch (const std::exception& e) {
        // OpenCV and dlib report bad images by exception; this is a build tool, so say it and stop.
        std::cerr << "persona-media: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    return uketsuke::guardedMain("persona-media", 1, [&] { return run(argc, argv); });
}
