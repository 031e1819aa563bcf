// Face-matching calibration: the data walk over faces-dev and the embedding of every image
// (live and chip-style, several quality levels), with its on-disk cache of outcomes.
// See calibration.h and docs/calibration.md (method).
#include "bench/calibration/calibration.h"

#include <algorithm>
#include <atomic>
#include <chrono>
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

}  // namespace uketsuke::calibration
