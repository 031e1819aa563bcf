// Face-matching calibration (issue 3: "Thresholds ... come from a calibration you document in the
// repo"; docs/calibration.md). Walks the labelled dev sets in ../shared/data/faces-dev, embeds the
// largest face of every image as a live frame AND as a chip-style photo (greyscale, ~300 px high,
// lossy JPEG 2000, read back through the production chip-photo path), and measures genuine and
// impostor distances of chip-photo vs live image, with impostors restricted to the same sex, a
// similar age and the same population (docs/calibration/labels.tsv).
//
// Nothing here writes an image; embeddings are kept in memory and, when asked, cached under the
// build directory only (they derive from third-party photos: never into the repository).
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/calibration/error_rates.h"
#include "uketsuke/result.h"
#include "vision/face_types.h"

namespace uketsuke::calibration {

// ---- Labels (our annotation of the dev-set folders: docs/calibration/labels.tsv) ----

enum class Sex { kUnknown, kFemale, kMale };

struct PersonLabel {
    std::string set;     // "lfw", "att", "lfw-ea", "jp-celeb", "cn-celeb"
    std::string folder;  // the person's folder in that set
    Sex sex = Sex::kUnknown;
    std::optional<int> ageYears;  // rough age at photo time; nullopt = unknown
    std::string population;       // "east-asian", "white", ...
    std::string basis;            // where the label comes from
};

class LabelTable {
  public:
    // ensures: the table, or a message naming the bad line.
    static Result<LabelTable, std::string> load(const std::filesystem::path& file);
    const PersonLabel* find(const std::string& set, const std::string& folder) const;
    std::size_t size() const { return labels_.size(); }

  private:
    std::map<std::pair<std::string, std::string>, PersonLabel> labels_;
};

// Same sex (both known), ages known and at most maxAgeGapYears apart, same population.
bool similarPeople(const PersonLabel& a, const PersonLabel& b, int maxAgeGapYears);

// ---- Data ----

struct DevSet {
    std::string name;           // label-table set name
    std::filesystem::path dir;  // relative to faces-dev
    bool colour = false;        // colour photos (the live camera is colour; chip photos are grey)
};

// lfw, att, lfw-ea, jp-celeb, cn-celeb.
std::vector<DevSet> standardDevSets();

struct EmbedOptions {
    std::vector<std::string> sets;        // empty = all standard sets
    std::size_t maxImagesPerPerson = 25;  // first N by file name, so one person cannot dominate
    std::size_t maxPeoplePerSet = 0;      // 0 = all
    std::vector<int> compressionLevels;   // JP2 compression x1000; empty = {production default}
    int threads = 2;                      // one FaceEngine per thread
    std::filesystem::path cacheFile;      // empty = no cache
    std::function<void(std::size_t done, std::size_t total)> progress;
};

// Why an image produced no embedding (VisionError name, e.g. "no_face"), or nullopt when it did.
struct EmbeddingOutcome {
    std::optional<vision::Embedding> embedding;
    std::string failure;
};

struct ImageRecord {
    std::string set;
    std::string person;
    std::string file;                // file name inside the person's folder
    bool liveNeededPadding = false;  // the face was only found once the tight crop was padded
    EmbeddingOutcome live;
    std::vector<EmbeddingOutcome> chip;  // one per compression level, same order
    std::vector<std::size_t> chipBytes;  // JP2 size per level (0 when not made)
};

struct EmbeddedData {
    std::vector<ImageRecord> images;
    std::vector<int> compressionLevels;
    int primaryLevel = 0;  // the production default (vision::ChipStyleOptions)
    double embedSeconds = 0.0;
    std::size_t cacheHits = 0;

    // Position of `level` in compressionLevels (its size when absent).
    std::size_t levelIndex(int level) const {
        return static_cast<std::size_t>(
            std::find(compressionLevels.begin(), compressionLevels.end(), level) -
            compressionLevels.begin());
    }
};

// Embeds the dev sets under `facesDevDir` with the models in `modelsDir`.
// ensures: the records (with per-image failures), or a message (models missing, no data).
Result<EmbeddedData, std::string> embedDevSets(const std::filesystem::path& facesDevDir,
                                               const std::filesystem::path& modelsDir,
                                               const EmbedOptions& options);

// ---- Analysis ----

struct AnalysisOptions {
    int maxAgeGapYears = 10;
    std::vector<double> targetFars{0.01, 0.001};
    double configuredThreshold = 0.0;  // vision::kDefaultMaxEmbeddingDistance
};

// Distances of one kind of comparison inside one group of people.
struct PairDistances {
    std::vector<double> genuine;          // same person, different images
    std::vector<double> impostorMatched;  // same sex, similar age, same population
    std::vector<double> impostorAll;      // any two different people
};

struct GroupResult {
    std::string group;  // "set:jp-celeb", "population:east-asian", ...
    std::string description;
    std::size_t people = 0;
    std::size_t images = 0;
    // chip-vs-live at the primary compression level
    PairDistances chipVsLive;
    // live-vs-live (both originals): how far the chip-style transform moves distances
    PairDistances liveVsLive;
    // chip_i vs live_i (same image): the transform alone
    std::vector<double> sameImage;
    // chip-vs-live per compression level (genuine, impostorMatched)
    std::map<int, PairDistances> byLevel;
};

struct Analysis {
    std::vector<GroupResult> groups;
    AnalysisOptions options;
};

Analysis analyse(const EmbeddedData& data, const LabelTable& labels,
                 const AnalysisOptions& options);

// The group the operating point is chosen on: same-sex, similar-age East-Asian impostors of
// jp-celeb + lfw-ea + cn-celeb.
inline constexpr const char* kPrimaryGroup = "population:east-asian";

const GroupResult* findGroup(const Analysis& analysis, const std::string& group);

// ---- Reports ----

nlohmann::json toJson(const EmbeddedData& data, const Analysis& analysis);
std::string toTsv(const Analysis& analysis);
std::string toMarkdown(const EmbeddedData& data, const Analysis& analysis);

// A rate as the reports print it: "12.3 %" (pct) and, for false-accept rates, "0.012 %" (pct3).
std::string pct(double rate);
std::string pct3(double rate);

}  // namespace uketsuke::calibration
