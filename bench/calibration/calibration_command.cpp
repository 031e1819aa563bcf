#include "bench/calibration/calibration_command.h"

#include <iostream>
#include <utility>

namespace uketsuke::calibration {

CommandPaths::CommandPaths()
    : shared(UKETSUKE_CALIB_SHARED_DIR),
      out("calibration"),
      models(UKETSUKE_CALIB_MODELS_DIR),
      labelsFile(UKETSUKE_CALIB_LABELS_FILE) {}

void CommandPaths::addOptions(CLI::App& app, const std::string& sharedHelp,
                              const std::string& outHelp) {
    app.add_option("--shared", shared, sharedHelp);
    app.add_option("--out", out, outHelp);
    app.add_option("--models", models, "model folder");
    app.add_option("--labels", labelsFile, "labels TSV (docs/calibration/labels.tsv)");
}

std::optional<Material> loadMaterial(const CommandPaths& paths, SequenceDataOptions options,
                                     bool noCache) {
    auto labels = LabelTable::load(paths.labelsFile);
    if (!labels) {
        std::cerr << labels.error() << "\n";
        return std::nullopt;
    }
    options.nuaaDir = paths.shared / "data" / "nuaa-dev";
    options.facesDevDir = paths.shared / "data" / "faces-dev";
    options.modelsDir = paths.models;
    if (!noCache)
        options.cacheFile = paths.out / "sequences.cache.json";
    auto loaded = loadSequenceData(options);
    if (!loaded) {
        std::cerr << loaded.error() << "\n";
        return std::nullopt;
    }
    return Material{std::move(labels.value()), std::move(loaded.value())};
}

}  // namespace uketsuke::calibration
