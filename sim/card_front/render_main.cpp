// uketsuke-card-front-render: writes rendered card fronts and camera captures (card-front OCR,
// issue 6) as image files with a truth file, for looking at them or for feeding the CLI.
// Output goes into the build tree; nothing here belongs in git.
//
//   uketsuke-card-front-render --personas DIR --pki DIR --out DIR [--count N] [--first I]
//                              [--bad N] [--seed S]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "sim/card_front/card_front_test_set.h"
#include "uketsuke/guarded_main.h"

namespace {

std::string iso(std::chrono::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                  unsigned(d.day()));
    return buf;
}

}  // namespace

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Render My Number Card fronts and camera captures (test material)"};
    std::string personas, pki, out;
    int count = 22, bad = 4, first = 0;
    std::uint64_t seed = 2026;
    app.add_option("--personas", personas, "persona folder (sim/personas)")->required();
    app.add_option("--pki", pki, "the build's pki/ folder (persona photos)")->required();
    app.add_option("--out", out, "output folder")->required();
    app.add_option("--count", count, "readable captures (acceptance set: 500)");
    app.add_option("--bad", bad, "captures per bad-input kind");
    app.add_option("--first", first, "index of the first readable capture");
    app.add_option("--seed", seed, "capture seed (2026: the acceptance set)");
    CLI11_PARSE(app, argc, argv);

    try {
        const uketsuke::sim::CardFrontTestSet set(personas, pki, seed);
        std::filesystem::create_directories(out);
        nlohmann::json truth = nlohmann::json::array();
        auto write = [&](const uketsuke::sim::CardFrontSample& s, const std::string& file) {
            cv::imwrite((std::filesystem::path(out) / file).string(), s.capture.bgr);
            truth.push_back({{"file", file},
                             {"variation", uketsuke::sim::variationName(s.capture.variation)},
                             {"persona", s.personaId},
                             {"birth_date", iso(s.spec.birthDate)},
                             {"expiry", iso(s.spec.expiry)},
                             {"security_code", s.spec.securityCode},
                             {"face_auth", s.spec.faceAuth}});
        };
        for (int i = first; i < first + count; ++i) {
            char name[64];
            std::snprintf(name, sizeof name, "capture_%03d.jpg", i);
            write(set.readable(i), name);
        }
        using V = uketsuke::sim::CaptureVariation;
        for (V v : {V::kNoCard, V::kOtherCard, V::kScreen, V::kUpsideDown, V::kFingerOverField})
            for (int i = 0; i < bad; ++i)
                write(set.bad(v, i), std::string("bad_") +
                                         std::string(uketsuke::sim::variationName(v)) + "_" +
                                         std::to_string(i) + ".jpg");
        std::ofstream(std::filesystem::path(out) / "truth.json") << truth.dump(2) << "\n";
        std::printf("wrote %zu captures to %s\n", truth.size(), out.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "uketsuke-card-front-render: %s\n", e.what());
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return uketsuke::guardedMain("uketsuke-card-front-render", 1, [&] { return run(argc, argv); });
}
