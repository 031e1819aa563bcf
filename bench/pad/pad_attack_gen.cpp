// pad_attack_gen: writes one generated presentation attack (bench/pad/pad_attacks.h) as numbered
// PNG frames into a folder, readable as a camera stand-in with `images:<folder>`.
//
//   pad_attack_gen --kind still-noise --source photo.jpg --seed 7 --out /tmp/attack
//   pad_attack_gen --kind screen-replay --seed 3 --frames 40 --out /tmp/replay
//                  --source ../shared/data/nuaa-dev/live/0001/0001_00_00_01
//
// --source is an image file or a folder of frames (name order: a video for screen-replay; the
// first frame for the still kinds). The output is test material: keep it out of the repository.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>

#include "bench/pad/pad_attacks.h"
#include "sim/card_front/card_front_render.h"

namespace fs = std::filesystem;
using namespace uketsuke;

int main(int argc, char** argv) {
    CLI::App app{"Generate a presentation-attack video (issue 13) as PNG frames"};
    std::string kindName = "still-noise", source, out;
    std::uint64_t seed = 1;
    int frames = 20;
    double fps = 10.0;
    app.add_option("--kind", kindName, "still-noise | card-front | screen-replay");
    app.add_option("--source", source, "image file or folder of frames")->required();
    app.add_option("--seed", seed, "generator seed (same seed, same pixels)");
    app.add_option("--frames", frames, "number of frames")->check(CLI::Range(1, 1000));
    app.add_option("--fps", fps, "frame rate written into the manifest");
    app.add_option("--out", out, "output folder (created)")->required();
    CLI11_PARSE(app, argc, argv);

    const auto kind = pad::parseAttackKind(kindName);
    if (!kind) {
        std::cerr << "unknown --kind " << kindName << "\n";
        return 2;
    }
    std::vector<fs::path> files;
    if (fs::is_directory(source)) {
        for (const auto& e : fs::directory_iterator(source))
            if (e.is_regular_file())
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
    } else {
        files.push_back(source);
    }
    std::vector<cv::Mat> images;
    for (const auto& f : files) {
        cv::Mat m = cv::imread(f.string(), cv::IMREAD_COLOR);
        if (!m.empty())
            images.push_back(m);
        if (*kind != pad::AttackKind::kScreenReplay && !images.empty())
            break;
    }
    if (images.empty()) {
        std::cerr << "no readable image in " << source << "\n";
        return 2;
    }
    std::unique_ptr<sim::CardFrontRenderer> renderer;
    if (*kind == pad::AttackKind::kCardFront)
        renderer = std::make_unique<sim::CardFrontRenderer>();
    const pad::AttackSpec spec{.kind = *kind, .seed = seed, .frames = frames, .fps = fps};
    const pad::AttackVideo video = pad::generateAttack(spec, images, renderer.get());
    fs::create_directories(out);
    for (std::size_t i = 0; i < video.frames.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "%04zu.png", i);
        cv::imwrite((fs::path(out) / name).string(), video.frames[i]);
    }
    const auto& p = video.params;
    std::cout << pad::attackName(*kind) << " seed " << seed << ": " << video.frames.size()
              << " frames -> " << out << " (noise sigma " << p.noiseSigma << ", blur "
              << p.blurSigma << ", drift " << p.driftPx << " px, tilt " << p.tiltDeg << " deg"
              << (*kind == pad::AttackKind::kScreenReplay ? (p.laptop ? ", laptop" : ", phone")
                                                          : "")
              << ")\n";
    return 0;
}
