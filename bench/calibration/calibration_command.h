// What the calibration commands (calibrate_faces, calibrate_sequences, calibrate_backend) share:
// the folders they read and write, as command-line options with the build's defaults, and the
// loading of the labels and of the multi-frame material (bench/calibration/sequence_data.h).
#pragma once

#include <filesystem>
#include <optional>

#include <CLI/CLI.hpp>

#include "bench/calibration/calibration.h"
#include "bench/calibration/sequence_data.h"

namespace uketsuke::calibration {

struct CommandPaths {
    std::filesystem::path shared;      // ../shared (data/nuaa-dev, data/faces-dev)
    std::filesystem::path out;         // output folder in the build directory (caches, reports)
    std::filesystem::path models;      // face models
    std::filesystem::path labelsFile;  // docs/calibration/labels.tsv

    CommandPaths();  // the build's defaults; out = "calibration"

    // --shared, --out, --models, --labels.
    void addOptions(CLI::App& app, const std::string& sharedHelp, const std::string& outHelp);
};

struct Material {
    LabelTable labels;
    SequenceData data;
};

// The labels and the material of paths.shared (options: the rest; its folders are set here, its
// cache file is <out>/sequences.cache.json unless noCache). Prints what went wrong and returns
// nullopt on a failure.
std::optional<Material> loadMaterial(const CommandPaths& paths, SequenceDataOptions options,
                                     bool noCache = false);

}  // namespace uketsuke::calibration
