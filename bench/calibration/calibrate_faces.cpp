// calibrate_faces: measures chip-photo-vs-live error rates of the face engine on the labelled dev
// sets and prints the tables of docs/calibration.md (issue 3, "calibration ... in the repo").
//
//   calibrate_faces --shared ../shared --out build/calibration
//
// Writes <out>/summary.json and <out>/summary.tsv, prints Markdown. Embeddings are cached in
// <out>/embeddings.cache.json (build directory only; --no-cache to keep none).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "bench/calibration/calibration_command.h"
#include "vision/thresholds.h"

namespace fs = std::filesystem;
using namespace uketsuke::calibration;

int main(int argc, char** argv) {
    CLI::App app{"Face-matching calibration on ../shared/data/faces-dev (docs/calibration.md)"};
    CommandPaths paths;
    EmbedOptions embed;
    embed.compressionLevels = {1000, 200, 60, 20};
    AnalysisOptions analysis;
    analysis.configuredThreshold = uketsuke::vision::kDefaultMaxEmbeddingDistance;
    bool noCache = false;
    paths.addOptions(app, "the shared folder holding data/faces-dev",
                     "output folder (build directory): summary.json, summary.tsv");
    app.add_option("--sets", embed.sets,
                   "dev sets (lfw att lfw-ea jp-celeb cn-celeb; default all)");
    app.add_option("--max-images-per-person", embed.maxImagesPerPerson,
                   "first N images per person (0 = all)");
    app.add_option("--compression", embed.compressionLevels,
                   "JP2 compression levels x1000 for the chip-style photo");
    app.add_option("--threads", embed.threads, "worker threads (one face engine each)");
    app.add_option("--max-age-gap", analysis.maxAgeGapYears, "similar age: max years apart");
    app.add_option("--threshold", analysis.configuredThreshold,
                   "threshold to evaluate (default: vision::kDefaultMaxEmbeddingDistance)");
    app.add_flag("--no-cache", noCache, "do not read or write the embedding cache");
    CLI11_PARSE(app, argc, argv);
    const fs::path& out = paths.out;

    const fs::path facesDev = paths.shared / "data" / "faces-dev";
    if (!fs::is_directory(facesDev)) {
        std::cerr << "calibrate_faces: " << facesDev << " not found (pass --shared)\n";
        return 2;
    }
    auto labels = LabelTable::load(paths.labelsFile);
    if (!labels) {
        std::cerr << "calibrate_faces: " << labels.error() << "\n";
        return 2;
    }
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!noCache)
        embed.cacheFile = out / "embeddings.cache.json";
    embed.progress = [](std::size_t done, std::size_t total) {
        if (done % 100 == 0 || done == total) {
            std::cerr << "calibrate_faces: embedded " << done << " / " << total << " images\n";
        }
    };

    auto data = embedDevSets(facesDev, paths.models, embed);
    if (!data) {
        std::cerr << "calibrate_faces: " << data.error() << "\n";
        return 1;
    }
    const auto analyseStart = std::chrono::steady_clock::now();
    const Analysis result = analyse(data.value(), labels.value(), analysis);
    const double analyseSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - analyseStart).count();

    auto json = toJson(data.value(), result);
    json["analyse_seconds"] = analyseSeconds;
    std::ofstream(out / "summary.json") << json.dump(2) << "\n";
    std::ofstream(out / "summary.tsv") << toTsv(result);

    std::cout << "## Face calibration: " << data->images.size() << " images, embedded in "
              << data->embedSeconds << " s (" << data->cacheHits << " from cache), analysed in "
              << analyseSeconds << " s\n\n"
              << toMarkdown(data.value(), result) << "\nWritten: " << (out / "summary.json") << ", "
              << (out / "summary.tsv") << "\n";
    return 0;
}
