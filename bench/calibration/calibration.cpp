// Face-matching calibration: data walk, embedding (live and chip-style), pairing and reports.
// See calibration.h and docs/calibration.md (method).
#include "bench/calibration/calibration.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <opencv2/core.hpp>

#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/image_io.h"

namespace uketsuke::calibration {
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Labels

namespace {

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t'))
        fields.push_back(field);
    return fields;
}

std::optional<Sex> parseSex(const std::string& text) {
    if (text == "F")
        return Sex::kFemale;
    if (text == "M")
        return Sex::kMale;
    if (text == "unknown")
        return Sex::kUnknown;
    return std::nullopt;
}

}  // namespace

Result<LabelTable, std::string> LabelTable::load(const fs::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail(std::string("cannot read labels file ") + file.string());
    LabelTable table;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line[0] == '#' || line.rfind("set\t", 0) == 0)
            continue;
        const auto fields = splitTabs(line);
        const auto where = file.string() + ":" + std::to_string(lineNo);
        if (fields.size() != 6)
            return fail(where + ": expected 6 tab-separated fields");
        PersonLabel label;
        label.set = fields[0];
        label.folder = fields[1];
        const auto sex = parseSex(fields[2]);
        if (!sex)
            return fail(where + ": sex must be F, M or unknown");
        label.sex = *sex;
        if (fields[3] != "unknown") {
            try {
                label.ageYears = std::stoi(fields[3]);
            } catch (const std::exception&) {
                return fail(where + ": age_est must be a number or unknown");
            }
        }
        label.population = fields[4];
        label.basis = fields[5];
        table.labels_[{label.set, label.folder}] = label;
    }
    return table;
}

const PersonLabel* LabelTable::find(const std::string& set, const std::string& folder) const {
    const auto it = labels_.find({set, folder});
    return it == labels_.end() ? nullptr : &it->second;
}

bool similarPeople(const PersonLabel& a, const PersonLabel& b, int maxAgeGapYears) {
    if (a.sex == Sex::kUnknown || a.sex != b.sex)
        return false;
    if (!a.ageYears || !b.ageYears || std::abs(*a.ageYears - *b.ageYears) > maxAgeGapYears) {
        return false;
    }
    return a.population == b.population;
}

// ---------------------------------------------------------------------------------------------
// Data walk and embedding

std::vector<DevSet> standardDevSets() {
    return {
        {"lfw", "lfw", false},
        {"att", "att", false},
        {"lfw-ea", "east-asian/lfw-ea", false},
        {"jp-celeb", "east-asian/jp-celeb", true},
        {"cn-celeb", "east-asian/cn-celeb", true},
    };
}

namespace {

bool isImageFile(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".pgm";
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool directories) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (directories ? entry.is_directory()
                        : (entry.is_regular_file() && isImageFile(entry.path()))) {
            entries.push_back(entry.path());
        }
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

// Mean colour of the image's outermost rows and columns: the "plain background" we pad with, so
// that a tight crop can be framed like a card portrait without inventing edges for the detector.
cv::Scalar borderMean(const cv::Mat& image) {
    const cv::Scalar top = cv::mean(image.row(0));
    const cv::Scalar bottom = cv::mean(image.row(image.rows - 1));
    const cv::Scalar left = cv::mean(image.col(0));
    const cv::Scalar right = cv::mean(image.col(image.cols - 1));
    return (top + bottom + left + right) * 0.25;
}

cv::Mat padded(const cv::Mat& image, int border) {
    cv::Mat out;
    cv::copyMakeBorder(image, out, border, border, border, border, cv::BORDER_CONSTANT,
                       borderMean(image));
    return out;
}

struct Task {
    std::size_t record;
    fs::path path;
    std::string keyPrefix;  // cache key: set/person/file|size
};

std::string cacheKey(const Task& task, const std::string& variant) {
    return task.keyPrefix + "|" + variant;
}

nlohmann::json outcomeToJson(const EmbeddingOutcome& outcome) {
    nlohmann::json j;
    if (outcome.embedding) {
        j["e"] = std::vector<float>(outcome.embedding->begin(), outcome.embedding->end());
    } else {
        j["f"] = outcome.failure;
    }
    return j;
}

std::optional<EmbeddingOutcome> outcomeFromJson(const nlohmann::json& j) {
    EmbeddingOutcome outcome;
    if (j.contains("e")) {
        const auto values = j["e"].get<std::vector<float>>();
        if (values.size() != vision::kEmbeddingSize)
            return std::nullopt;
        vision::Embedding e{};
        std::copy(values.begin(), values.end(), e.begin());
        outcome.embedding = e;
    } else if (j.contains("f")) {
        outcome.failure = j["f"].get<std::string>();
    } else {
        return std::nullopt;
    }
    return outcome;
}

// A cache is only valid for the model it was made with: a hash of the recognition model's bytes
// (FNV-1a, 64-bit; the build re-converts the model with a new mtime but identical bytes).
std::string modelStamp(const fs::path& modelsDir) {
    std::ifstream in(modelsDir / vision::kRecognitionModelFile, std::ios::binary);
    std::uint64_t hash = 14695981039346656037ull;
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i) {
            hash = (hash ^ static_cast<unsigned char>(buffer[static_cast<std::size_t>(i)])) *
                   1099511628211ull;
        }
    }
    std::ostringstream out;
    out << std::hex << hash;
    return out.str();
}

// Embeds one image: the live image's largest face (padded when a tight crop hides it from the
// detector), then one chip-style photo per compression level, framed as a portrait around that
// face and read back through vision::loadChipPhoto, exactly as the terminal reads a card's photo.
void embedImage(vision::FaceEngine& engine, const Task& task, const std::vector<int>& levels,
                ImageRecord& record) {
    record.chip.assign(levels.size(), EmbeddingOutcome{});
    record.chipBytes.assign(levels.size(), 0);
    auto decoded = vision::decodeImageFile(task.path);
    if (!decoded) {
        record.live.failure = std::string(vision::name(decoded.error()));
        for (auto& chip : record.chip)
            chip.failure = "live_" + record.live.failure;
        return;
    }
    const cv::Mat& image = decoded.value();

    vision::AnalyseOptions live;
    live.embedOnlyAcceptable = false;
    live.detector.maxDetectWidthPx = 640;
    cv::Mat framed = image;
    auto observation = engine.embedLargestFace(framed, live);
    if (!observation && observation.error() == vision::VisionError::kNoFace) {
        framed = padded(image, std::max(image.cols, image.rows) / 3);
        observation = engine.embedLargestFace(framed, live);
        record.liveNeededPadding = observation.ok();
    }
    if (!observation || !observation->embedding) {
        record.live.failure = observation ? std::string("no_embedding")
                                          : std::string(vision::name(observation.error()));
        for (auto& chip : record.chip)
            chip.failure = "live_" + record.live.failure;
        return;
    }
    record.live.embedding = observation->embedding;

    // Frame the card portrait: pad by one face size all round so that the head-and-shoulders crop
    // of a tight crop lies inside the (padded) image instead of being clipped to the face.
    const cv::Rect box = observation->box;
    const int border = std::max(box.width, box.height);
    const cv::Mat canvas = padded(framed, border);
    const cv::Rect shifted(box.x + border, box.y + border, box.width, box.height);
    const cv::Rect crop = vision::portraitCropAround(shifted, canvas.size());

    for (std::size_t level = 0; level < levels.size(); ++level) {
        vision::ChipStyleOptions style;
        style.compressionX1000 = levels[level];
        style.crop = crop;
        auto chip = vision::makeChipStylePhoto(canvas, style);
        if (!chip) {
            record.chip[level].failure = "chip_" + std::string(vision::name(chip.error()));
            continue;
        }
        record.chipBytes[level] = chip->jp2.size();
        auto reference = vision::loadChipPhoto(engine, chip->jp2);
        if (!reference) {
            record.chip[level].failure = std::string(vision::name(reference.error()));
            continue;
        }
        record.chip[level].embedding = reference->embedding;
    }
}

}  // namespace

Result<EmbeddedData, std::string> embedDevSets(const fs::path& facesDevDir,
                                               const fs::path& modelsDir,
                                               const EmbedOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    EmbeddedData data;
    data.primaryLevel = vision::ChipStyleOptions{}.compressionX1000;
    data.compressionLevels = options.compressionLevels;
    if (data.compressionLevels.empty())
        data.compressionLevels = {data.primaryLevel};
    if (std::find(data.compressionLevels.begin(), data.compressionLevels.end(),
                  data.primaryLevel) == data.compressionLevels.end()) {
        data.compressionLevels.insert(data.compressionLevels.begin(), data.primaryLevel);
    }

    // List the images.
    std::vector<Task> tasks;
    for (const auto& set : standardDevSets()) {
        if (!options.sets.empty() &&
            std::find(options.sets.begin(), options.sets.end(), set.name) == options.sets.end()) {
            continue;
        }
        const auto people = sortedEntries(facesDevDir / set.dir, true);
        std::size_t peopleTaken = 0;
        for (const auto& personDir : people) {
            if (options.maxPeoplePerSet != 0 && peopleTaken >= options.maxPeoplePerSet)
                break;
            ++peopleTaken;
            auto files = sortedEntries(personDir, false);
            if (options.maxImagesPerPerson != 0 && files.size() > options.maxImagesPerPerson) {
                files.resize(options.maxImagesPerPerson);
            }
            for (const auto& file : files) {
                ImageRecord record;
                record.set = set.name;
                record.person = personDir.filename().string();
                record.file = file.filename().string();
                std::error_code ec;
                const auto size = fs::file_size(file, ec);
                tasks.push_back(Task{data.images.size(), file,
                                     set.name + "/" + record.person + "/" + record.file + "|" +
                                         std::to_string(size)});
                data.images.push_back(std::move(record));
            }
        }
    }
    if (tasks.empty())
        return fail("no images under " + facesDevDir.string());

    // Cache (build directory only).
    nlohmann::json cache = nlohmann::json::object();
    const std::string stamp = modelStamp(modelsDir);
    if (!options.cacheFile.empty() && fs::exists(options.cacheFile)) {
        std::ifstream in(options.cacheFile);
        try {
            nlohmann::json loaded = nlohmann::json::parse(in);
            if (loaded.value("model", std::string()) == stamp)
                cache = loaded["entries"];
        } catch (const nlohmann::json::exception&) {
            cache = nlohmann::json::object();  // unreadable cache: recompute
        }
    }

    auto fromCache = [&](const Task& task, ImageRecord& record) {
        const auto liveKey = cacheKey(task, "live");
        if (!cache.contains(liveKey))
            return false;
        auto live = outcomeFromJson(cache[liveKey]);
        if (!live)
            return false;
        std::vector<EmbeddingOutcome> chips;
        std::vector<std::size_t> bytes;
        for (int level : data.compressionLevels) {
            const auto key = cacheKey(task, "chip" + std::to_string(level));
            if (!cache.contains(key))
                return false;
            auto chip = outcomeFromJson(cache[key]);
            if (!chip)
                return false;
            chips.push_back(*chip);
            bytes.push_back(cache[key].value("b", std::size_t{0}));
        }
        record.live = *live;
        record.liveNeededPadding = cache[liveKey].value("p", false);
        record.chip = std::move(chips);
        record.chipBytes = std::move(bytes);
        return true;
    };

    std::vector<const Task*> pending;
    for (const auto& task : tasks) {
        if (fromCache(task, data.images[task.record])) {
            ++data.cacheHits;
        } else {
            pending.push_back(&task);
        }
    }

    // Embed what the cache did not have: one engine per thread.
    if (!pending.empty()) {
        const int threads =
            std::max(1, std::min<int>(options.threads, static_cast<int>(pending.size())));
        std::vector<std::unique_ptr<vision::FaceEngine>> engines;
        for (int i = 0; i < threads; ++i) {
            auto engine = vision::FaceEngine::load(vision::FaceModelPaths::inDirectory(modelsDir));
            if (!engine) {
                return fail("cannot load the face models from " + modelsDir.string() + ": " +
                            std::string(vision::describe(engine.error())));
            }
            engines.push_back(std::move(engine).takeValue());
        }
        std::atomic<std::size_t> next{0};
        std::atomic<std::size_t> done{0};
        std::mutex progressMutex;
        auto worker = [&](vision::FaceEngine& engine) {
            for (std::size_t i = next++; i < pending.size(); i = next++) {
                embedImage(engine, *pending[i], data.compressionLevels,
                           data.images[pending[i]->record]);
                const std::size_t finished = ++done;
                if (options.progress) {
                    std::lock_guard lock(progressMutex);
                    options.progress(finished, pending.size());
                }
            }
        };
        std::vector<std::thread> pool;
        for (int i = 1; i < threads; ++i)
            pool.emplace_back(worker, std::ref(*engines[i]));
        worker(*engines[0]);
        for (auto& thread : pool)
            thread.join();

        if (!options.cacheFile.empty()) {
            for (const Task* task : pending) {
                const ImageRecord& record = data.images[task->record];
                auto live = outcomeToJson(record.live);
                live["p"] = record.liveNeededPadding;
                cache[cacheKey(*task, "live")] = live;
                for (std::size_t level = 0; level < data.compressionLevels.size(); ++level) {
                    auto chip = outcomeToJson(record.chip[level]);
                    chip["b"] = record.chipBytes[level];
                    cache[cacheKey(*task, "chip" + std::to_string(data.compressionLevels[level]))] =
                        chip;
                }
            }
            std::error_code ec;
            fs::create_directories(options.cacheFile.parent_path(), ec);
            const fs::path temp = options.cacheFile.string() + ".tmp";
            {
                std::ofstream out(temp);
                out << nlohmann::json{{"model", stamp}, {"entries", cache}}.dump();
            }
            fs::rename(temp, options.cacheFile, ec);
        }
    }
    data.embedSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return data;
}

// ---------------------------------------------------------------------------------------------
// Pairing

namespace {

struct Person {
    std::string set;
    std::string folder;
    const PersonLabel* label = nullptr;
    bool colour = false;
    std::vector<std::size_t> images;  // indices into EmbeddedData::images
};

double dist(const vision::Embedding& a, const vision::Embedding& b) {
    return vision::distance(a, b).value;
}

std::size_t levelIndex(const EmbeddedData& data, int level) {
    return static_cast<std::size_t>(
        std::find(data.compressionLevels.begin(), data.compressionLevels.end(), level) -
        data.compressionLevels.begin());
}

GroupResult pairGroup(const EmbeddedData& data, const std::vector<const Person*>& people,
                      const std::string& group, const std::string& description,
                      const AnalysisOptions& options) {
    GroupResult result;
    result.group = group;
    result.description = description;
    result.people = people.size();
    for (const Person* person : people)
        result.images += person->images.size();
    const std::size_t primary = levelIndex(data, data.primaryLevel);

    for (std::size_t levelIdx = 0; levelIdx < data.compressionLevels.size(); ++levelIdx) {
        PairDistances& distances = result.byLevel[data.compressionLevels[levelIdx]];
        const bool isPrimary = levelIdx == primary;
        for (std::size_t p = 0; p < people.size(); ++p) {
            for (std::size_t q = 0; q < people.size(); ++q) {
                const bool samePerson = p == q;
                const bool matched =
                    !samePerson && people[p]->label && people[q]->label &&
                    similarPeople(*people[p]->label, *people[q]->label, options.maxAgeGapYears);
                if (!samePerson && !matched && !isPrimary)
                    continue;
                for (std::size_t i : people[p]->images) {
                    const auto& chip = data.images[i].chip[levelIdx].embedding;
                    if (!chip)
                        continue;
                    for (std::size_t j : people[q]->images) {
                        const auto& live = data.images[j].live.embedding;
                        if (!live)
                            continue;
                        if (samePerson) {
                            if (i == j) {
                                if (isPrimary)
                                    result.sameImage.push_back(dist(*chip, *live));
                                continue;
                            }
                            distances.genuine.push_back(dist(*chip, *live));
                            continue;
                        }
                        const double d = dist(*chip, *live);
                        if (matched)
                            distances.impostorMatched.push_back(d);
                        if (isPrimary)
                            distances.impostorAll.push_back(d);
                    }
                }
            }
        }
    }
    result.chipVsLive = result.byLevel[data.compressionLevels[primary]];

    // live-vs-live: unordered pairs of originals.
    for (std::size_t p = 0; p < people.size(); ++p) {
        for (std::size_t q = p; q < people.size(); ++q) {
            const bool samePerson = p == q;
            const bool matched =
                !samePerson && people[p]->label && people[q]->label &&
                similarPeople(*people[p]->label, *people[q]->label, options.maxAgeGapYears);
            for (std::size_t a = 0; a < people[p]->images.size(); ++a) {
                const auto& first = data.images[people[p]->images[a]].live.embedding;
                if (!first)
                    continue;
                for (std::size_t b = samePerson ? a + 1 : 0; b < people[q]->images.size(); ++b) {
                    const auto& second = data.images[people[q]->images[b]].live.embedding;
                    if (!second)
                        continue;
                    const double d = dist(*first, *second);
                    if (samePerson) {
                        result.liveVsLive.genuine.push_back(d);
                    } else {
                        if (matched)
                            result.liveVsLive.impostorMatched.push_back(d);
                        result.liveVsLive.impostorAll.push_back(d);
                    }
                }
            }
        }
    }
    return result;
}

}  // namespace

Analysis analyse(const EmbeddedData& data, const LabelTable& labels,
                 const AnalysisOptions& options) {
    Analysis analysis;
    analysis.options = options;

    std::map<std::pair<std::string, std::string>, Person> people;
    std::map<std::string, bool> colourOf;
    for (const auto& set : standardDevSets())
        colourOf[set.name] = set.colour;
    for (std::size_t i = 0; i < data.images.size(); ++i) {
        const auto& record = data.images[i];
        Person& person = people[{record.set, record.person}];
        person.set = record.set;
        person.folder = record.person;
        person.label = labels.find(record.set, record.person);
        person.colour = colourOf[record.set];
        person.images.push_back(i);
    }

    // Per dev set.
    for (const auto& set : standardDevSets()) {
        std::vector<const Person*> members;
        for (const auto& [key, person] : people) {
            if (person.set == set.name)
                members.push_back(&person);
        }
        if (members.empty())
            continue;
        analysis.groups.push_back(
            pairGroup(data, members, "set:" + set.name,
                      set.dir.string() + (set.colour ? " (colour)" : " (grey)"), options));
    }

    // Per population, across sets. LFW's East-Asian folders are byte-identical copies of lfw-ea's
    // (same files): count each person once, from lfw-ea.
    auto duplicate = [&](const Person& person) {
        return person.set == "lfw" && people.count({"lfw-ea", person.folder}) != 0;
    };
    std::set<std::string> populations;
    for (const auto& [key, person] : people) {
        if (person.label)
            populations.insert(person.label->population);
    }
    auto addPopulationGroup = [&](const std::string& name, const std::string& description,
                                  const std::function<bool(const Person&)>& member) {
        std::vector<const Person*> members;
        std::set<std::string> sets;
        for (const auto& [key, person] : people) {
            if (!duplicate(person) && member(person)) {
                members.push_back(&person);
                sets.insert(person.set);
            }
        }
        if (members.empty())
            return;
        std::string setList;
        for (const auto& s : sets)
            setList += (setList.empty() ? "" : " + ") + s;
        analysis.groups.push_back(
            pairGroup(data, members, name, description + " [" + setList + "]", options));
    };
    addPopulationGroup(kPrimaryGroup, "East-Asian people, all sets", [](const Person& p) {
        return p.label && p.label->population == "east-asian";
    });
    addPopulationGroup(
        "population:east-asian-colour", "East-Asian people, colour sets only",
        [](const Person& p) { return p.label && p.label->population == "east-asian" && p.colour; });
    for (const auto& population : populations) {
        if (population == "east-asian")
            continue;
        addPopulationGroup(
            "population:" + population, population + " people, all sets",
            [&](const Person& p) { return p.label && p.label->population == population; });
    }
    return analysis;
}

const GroupResult* findGroup(const Analysis& analysis, const std::string& group) {
    for (const auto& result : analysis.groups) {
        if (result.group == group)
            return &result;
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Reports

namespace {

nlohmann::json pointJson(const OperatingPoint& point) {
    const Interval far = point.farInterval();
    const Interval frr = point.frrInterval();
    return {
        {"target_far", point.targetFar},
        {"threshold", point.threshold},
        {"impostor_pairs", point.impostorPairs},
        {"false_accepts", point.falseAccepts},
        {"far", point.far()},
        {"far_ci95", {far.lower, far.upper}},
        {"far_upper95_one_sided", upperLimit(point.falseAccepts, point.impostorPairs)},
        {"genuine_pairs", point.genuinePairs},
        {"false_rejects", point.falseRejects},
        {"frr", point.frr()},
        {"frr_ci95", {frr.lower, frr.upper}},
        {"far_estimate_meaningful", point.farMeaningful()},
    };
}

nlohmann::json summaryJson(const std::vector<double>& distances) {
    const DistanceSummary s = summarise(distances);
    return {{"pairs", s.count},
            {"mean", s.mean},
            {"median", s.median},
            {"fraction_below_0.6", s.fractionBelow060}};
}

nlohmann::json comparisonJson(const std::vector<double>& genuine,
                              const std::vector<double>& impostor, const AnalysisOptions& options) {
    nlohmann::json j;
    j["genuine"] = summaryJson(genuine);
    j["impostor"] = summaryJson(impostor);
    nlohmann::json points = nlohmann::json::array();
    if (!impostor.empty()) {
        for (double far : options.targetFars) {
            points.push_back(pointJson(operatingPointAtFar(genuine, impostor, far)));
        }
    }
    j["at_far"] = points;
    j["at_configured_threshold"] =
        pointJson(operatingPointAt(genuine, impostor, options.configuredThreshold));
    return j;
}

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

std::string percent(double value, int digits = 1) {
    return fixed(100.0 * value, digits) + " %";
}

// "thr / FRR (n)" for one FAR target, with a mark when the pair count is too small.
std::string atFarCell(const std::vector<double>& genuine, const std::vector<double>& impostor,
                      double far) {
    if (impostor.empty() || genuine.empty())
        return "–";
    const OperatingPoint point = operatingPointAtFar(genuine, impostor, far);
    return fixed(point.threshold, 3) + " / " + percent(point.frr()) +
           (point.farMeaningful() ? "" : " †");
}

const char* kDagger =
    "† fewer impostor pairs than needed for >= 3 errors at that FAR (1 %: 300, 0.1 %: 3000): "
    "the threshold is set by the few lowest impostor distances and is not a reliable estimate.";

}  // namespace

nlohmann::json toJson(const EmbeddedData& data, const Analysis& analysis) {
    nlohmann::json j;
    j["configured_threshold"] = analysis.options.configuredThreshold;
    j["max_age_gap_years"] = analysis.options.maxAgeGapYears;
    j["compression_levels_x1000"] = data.compressionLevels;
    j["primary_compression_x1000"] = data.primaryLevel;
    j["embed_seconds"] = data.embedSeconds;
    j["cache_hits"] = data.cacheHits;

    // Detection per set.
    struct LevelCount {
        std::size_t ok = 0;
        std::size_t jp2Bytes = 0;
        std::map<std::string, std::size_t> failures;
    };
    struct SetCount {
        std::size_t images = 0;
        std::size_t liveOk = 0;
        std::size_t liveAfterPadding = 0;
        std::map<std::string, std::size_t> liveFailures;
        std::map<int, LevelCount> chip;
    };
    std::map<std::string, SetCount> counts;
    for (const auto& record : data.images) {
        SetCount& s = counts[record.set];
        ++s.images;
        if (record.live.embedding) {
            ++s.liveOk;
            if (record.liveNeededPadding)
                ++s.liveAfterPadding;
        } else {
            ++s.liveFailures[record.live.failure];
        }
        for (std::size_t level = 0; level < data.compressionLevels.size(); ++level) {
            LevelCount& c = s.chip[data.compressionLevels[level]];
            if (record.chip[level].embedding) {
                ++c.ok;
                c.jp2Bytes += record.chipBytes[level];
            } else {
                ++c.failures[record.chip[level].failure];
            }
        }
    }
    nlohmann::json detection = nlohmann::json::object();
    for (const auto& [set, s] : counts) {
        nlohmann::json chip = nlohmann::json::object();
        for (const auto& [level, c] : s.chip) {
            chip[std::to_string(level)] = {{"ok", c.ok},
                                           {"mean_jp2_bytes", c.ok ? c.jp2Bytes / c.ok : 0},
                                           {"failures", c.failures}};
        }
        detection[set] = {{"images", s.images},
                          {"live_ok", s.liveOk},
                          {"live_ok_after_padding", s.liveAfterPadding},
                          {"live_failures", s.liveFailures},
                          {"chip", chip}};
    }
    j["detection"] = detection;

    nlohmann::json groups = nlohmann::json::array();
    for (const auto& group : analysis.groups) {
        nlohmann::json g;
        g["group"] = group.group;
        g["description"] = group.description;
        g["people"] = group.people;
        g["images"] = group.images;
        g["chip_vs_live_matched"] = comparisonJson(
            group.chipVsLive.genuine, group.chipVsLive.impostorMatched, analysis.options);
        g["chip_vs_live_all"] = comparisonJson(group.chipVsLive.genuine,
                                               group.chipVsLive.impostorAll, analysis.options);
        g["live_vs_live_matched"] = comparisonJson(
            group.liveVsLive.genuine, group.liveVsLive.impostorMatched, analysis.options);
        g["live_vs_live_all"] = comparisonJson(group.liveVsLive.genuine,
                                               group.liveVsLive.impostorAll, analysis.options);
        g["same_image_chip_vs_live"] = summaryJson(group.sameImage);
        nlohmann::json levels = nlohmann::json::object();
        for (const auto& [level, distances] : group.byLevel) {
            levels[std::to_string(level)] =
                comparisonJson(distances.genuine, distances.impostorMatched, analysis.options);
        }
        g["chip_vs_live_matched_by_compression"] = levels;
        groups.push_back(g);
    }
    j["groups"] = groups;
    return j;
}

std::string toTsv(const Analysis& analysis) {
    std::ostringstream out;
    out << "group\tcomparison\timpostors\tpeople\timages\tgenuine_pairs\timpostor_pairs\t"
           "impostor_mean\timpostor_below_0.6\tgenuine_mean\tthr_far1\tfrr_far1\tthr_far0.1\t"
           "frr_far0.1\tfar0.1_meaningful\tconfigured_thr\tfa_at_configured\tfar_at_configured\t"
           "far_upper95_at_configured\tfrr_at_configured\n";
    auto row = [&](const GroupResult& g, const char* comparison, const char* impostors,
                   const std::vector<double>& genuine, const std::vector<double>& impostor) {
        const DistanceSummary imp = summarise(impostor);
        const DistanceSummary gen = summarise(genuine);
        out << g.group << '\t' << comparison << '\t' << impostors << '\t' << g.people << '\t'
            << g.images << '\t' << genuine.size() << '\t' << impostor.size() << '\t'
            << fixed(imp.mean, 4) << '\t' << fixed(imp.fractionBelow060, 4) << '\t'
            << fixed(gen.mean, 4);
        for (double far : {0.01, 0.001}) {
            if (impostor.empty()) {
                out << "\t\t";
                continue;
            }
            const OperatingPoint p = operatingPointAtFar(genuine, impostor, far);
            out << '\t' << fixed(p.threshold, 3) << '\t' << fixed(p.frr(), 4);
        }
        const OperatingPoint at =
            operatingPointAt(genuine, impostor, analysis.options.configuredThreshold);
        out << '\t' << (impostor.size() >= minimumPairsForFar(0.001) ? "yes" : "no") << '\t'
            << fixed(at.threshold, 3) << '\t' << at.falseAccepts << '\t' << fixed(at.far(), 6)
            << '\t' << fixed(upperLimit(at.falseAccepts, at.impostorPairs), 6) << '\t'
            << fixed(at.frr(), 4) << '\n';
    };
    for (const auto& g : analysis.groups) {
        row(g, "chip_vs_live", "matched", g.chipVsLive.genuine, g.chipVsLive.impostorMatched);
        row(g, "chip_vs_live", "all", g.chipVsLive.genuine, g.chipVsLive.impostorAll);
        row(g, "live_vs_live", "matched", g.liveVsLive.genuine, g.liveVsLive.impostorMatched);
        row(g, "live_vs_live", "all", g.liveVsLive.genuine, g.liveVsLive.impostorAll);
    }
    return out.str();
}

std::string toMarkdown(const EmbeddedData& data, const Analysis& analysis) {
    std::ostringstream md;
    const auto& opt = analysis.options;

    md << "### Detection (largest face; live = original image, chip = chip-style photo at "
       << data.primaryLevel << "/1000 read back with loadChipPhoto)\n\n"
       << "| set | images | live embedded | of which only after padding | live failures | "
          "chip embedded | chip failures |\n|---|---:|---:|---:|---|---:|---|\n";
    const std::size_t primary = levelIndex(data, data.primaryLevel);
    for (const auto& set : standardDevSets()) {
        std::size_t images = 0, live = 0, paddedCount = 0, chip = 0;
        std::map<std::string, int> liveFail, chipFail;
        for (const auto& r : data.images) {
            if (r.set != set.name)
                continue;
            ++images;
            if (r.live.embedding) {
                ++live;
                if (r.liveNeededPadding)
                    ++paddedCount;
            } else {
                ++liveFail[r.live.failure];
            }
            if (r.chip[primary].embedding) {
                ++chip;
            } else {
                ++chipFail[r.chip[primary].failure];
            }
        }
        if (images == 0)
            continue;
        auto list = [](const std::map<std::string, int>& m) {
            std::string s;
            for (const auto& [k, v] : m)
                s += (s.empty() ? "" : ", ") + k + " " + std::to_string(v);
            return s.empty() ? std::string("–") : s;
        };
        md << "| " << set.name << " | " << images << " | " << live << " | " << paddedCount << " | "
           << list(liveFail) << " | " << chip << " | " << list(chipFail) << " |\n";
    }

    md << "\n### Chip-style photo vs live image, impostors of the same sex, similar age (±"
       << opt.maxAgeGapYears << " y) and same population\n\n"
       << "| group | people | images | genuine pairs | impostor pairs | impostor mean | impostors "
          "< 0.6 | genuine mean | FAR 1 %: threshold / FRR | FAR 0.1 %: threshold / FRR |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
    for (const auto& g : analysis.groups) {
        const auto& d = g.chipVsLive;
        const DistanceSummary imp = summarise(d.impostorMatched);
        md << "| " << g.group << " | " << g.people << " | " << g.images << " | " << d.genuine.size()
           << " | " << d.impostorMatched.size() << " | " << (imp.count ? fixed(imp.mean, 3) : "–")
           << " | " << (imp.count ? percent(imp.fractionBelow060) : "–") << " | "
           << fixed(summarise(d.genuine).mean, 3) << " | "
           << atFarCell(d.genuine, d.impostorMatched, 0.01) << " | "
           << atFarCell(d.genuine, d.impostorMatched, 0.001) << " |\n";
    }
    md << "\n" << kDagger << "\n";

    md << "\n### Same, with ALL impostor pairs (any sex, age, population in the group)\n\n"
       << "| group | impostor pairs | impostor mean | impostors < 0.6 | FAR 1 %: threshold / FRR | "
          "FAR 0.1 %: threshold / FRR |\n|---|---:|---:|---:|---|---|\n";
    for (const auto& g : analysis.groups) {
        const auto& d = g.chipVsLive;
        const DistanceSummary imp = summarise(d.impostorAll);
        md << "| " << g.group << " | " << d.impostorAll.size() << " | " << fixed(imp.mean, 3)
           << " | " << percent(imp.fractionBelow060) << " | "
           << atFarCell(d.genuine, d.impostorAll, 0.01) << " | "
           << atFarCell(d.genuine, d.impostorAll, 0.001) << " |\n";
    }

    md << "\n### At the configured threshold " << fixed(opt.configuredThreshold, 3)
       << " (chip vs live, matched impostors)\n\n"
       << "| group | false accepts / impostor pairs | FAR | FAR 95 % upper (one-sided) | "
          "false rejects / genuine pairs | FRR (95 % CI) |\n|---|---:|---:|---:|---:|---|\n";
    for (const auto& g : analysis.groups) {
        const auto& d = g.chipVsLive;
        const OperatingPoint p =
            operatingPointAt(d.genuine, d.impostorMatched, opt.configuredThreshold);
        const Interval frr = p.frrInterval();
        md << "| " << g.group << " | " << p.falseAccepts << " / " << p.impostorPairs << " | "
           << percent(p.far(), 3) << " | "
           << percent(upperLimit(p.falseAccepts, p.impostorPairs), 3) << " | " << p.falseRejects
           << " / " << p.genuinePairs << " | " << percent(p.frr()) << " (" << percent(frr.lower)
           << " – " << percent(frr.upper) << ") |\n";
    }

    md << "\n### How the chip-style transform moves distances (means; matched impostors)\n\n"
       << "| group | genuine live-vs-live | genuine chip-vs-live | impostor live-vs-live | "
          "impostor chip-vs-live | same image chip-vs-live (mean / max) | FAR 1 % threshold "
          "live-vs-live → chip-vs-live |\n|---|---:|---:|---:|---:|---|---|\n";
    for (const auto& g : analysis.groups) {
        const auto maxSame =
            g.sameImage.empty() ? 0.0 : *std::max_element(g.sameImage.begin(), g.sameImage.end());
        auto thr = [](const PairDistances& d) {
            return d.impostorMatched.empty() ? std::string("–")
                                             : fixed(thresholdAtFar(d.impostorMatched, 0.01), 3);
        };
        md << "| " << g.group << " | " << fixed(summarise(g.liveVsLive.genuine).mean, 3) << " ("
           << g.liveVsLive.genuine.size() << ") | "
           << fixed(summarise(g.chipVsLive.genuine).mean, 3) << " (" << g.chipVsLive.genuine.size()
           << ") | " << fixed(summarise(g.liveVsLive.impostorMatched).mean, 3) << " ("
           << g.liveVsLive.impostorMatched.size() << ") | "
           << fixed(summarise(g.chipVsLive.impostorMatched).mean, 3) << " ("
           << g.chipVsLive.impostorMatched.size() << ") | " << fixed(summarise(g.sameImage).mean, 3)
           << " / " << fixed(maxSame, 3) << " (" << g.sameImage.size() << ") | "
           << thr(g.liveVsLive) << " → " << thr(g.chipVsLive) << " |\n";
    }

    md << "\n### Compression level of the chip-style JP2 (chip vs live, matched impostors)\n\n"
       << "| group | JP2 compression x1000 | mean JP2 bytes | genuine mean | impostor mean | "
          "FAR 1 %: threshold / FRR | FAR 0.1 %: threshold / FRR "
          "|\n|---|---:|---:|---:|---:|---|---|\n";
    for (const auto& g : analysis.groups) {
        if (g.group != kPrimaryGroup && g.group.rfind("set:", 0) != 0)
            continue;
        for (std::size_t level = 0; level < data.compressionLevels.size(); ++level) {
            const int x = data.compressionLevels[level];
            const auto& d = g.byLevel.at(x);
            std::size_t bytes = 0, count = 0;
            const std::string set = g.group.rfind("set:", 0) == 0 ? g.group.substr(4) : "";
            for (const auto& r : data.images) {
                if (r.chipBytes[level] != 0 && (set.empty() || r.set == set)) {
                    bytes += r.chipBytes[level];
                    ++count;
                }
            }
            md << "| " << g.group << " | " << x << (x == data.primaryLevel ? " (default)" : "")
               << " | " << (count ? std::to_string(bytes / count) : "–") << " | "
               << fixed(summarise(d.genuine).mean, 3) << " | "
               << fixed(summarise(d.impostorMatched).mean, 3) << " | "
               << atFarCell(d.genuine, d.impostorMatched, 0.01) << " | "
               << atFarCell(d.genuine, d.impostorMatched, 0.001) << " |\n";
        }
    }

    if (const GroupResult* primaryGroup = findGroup(analysis, kPrimaryGroup)) {
        const auto& d = primaryGroup->chipVsLive;
        if (!d.impostorMatched.empty()) {
            const OperatingPoint p = operatingPointAtFar(d.genuine, d.impostorMatched, 0.001);
            md << "\n**Operating point for FAR <= 0.1 % on " << kPrimaryGroup
               << " (matched impostors):** threshold " << fixed(p.threshold, 3) << ", "
               << p.falseAccepts << " / " << p.impostorPairs << " impostor pairs accepted (95 % "
               << "upper " << percent(upperLimit(p.falseAccepts, p.impostorPairs), 3) << "), FRR "
               << percent(p.frr()) << " (" << p.falseRejects << " / " << p.genuinePairs << ")"
               << (p.farMeaningful() ? "" : " †") << ".\n";
        }
    }
    return md.str();
}

}  // namespace uketsuke::calibration
