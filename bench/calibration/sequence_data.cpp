// Multi-frame calibration material: the data walk over nuaa-dev and the East-Asian dev stills,
// one analysis per image, and its cache (see sequence_data.h).
#include "bench/calibration/sequence_data.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/image_io.h"
#include "vision/thresholds.h"

namespace uketsuke::calibration {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump when the analysis below changes: cached items of another version are recomputed.
constexpr const char* kAnalysisVersion = "seq-v1";

std::vector<fs::path> sorted(const fs::path& dir, bool directories) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto ext = e.path().extension().string();
        if (directories ? e.is_directory()
                        : (e.is_regular_file() &&
                           (ext == ".jpg" || ext == ".png" || ext == ".jpeg" || ext == ".pgm")))
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

cv::Mat padded(const cv::Mat& image, int border) {
    const cv::Scalar colour = (cv::mean(image.row(0)) + cv::mean(image.row(image.rows - 1)) +
                               cv::mean(image.col(0)) + cv::mean(image.col(image.cols - 1))) *
                              0.25;
    cv::Mat out;
    cv::copyMakeBorder(image, out, border, border, border, border, cv::BORDER_CONSTANT, colour);
    return out;
}

struct Models {
    std::unique_ptr<vision::FaceEngine> engine;
    std::unique_ptr<vision::ArcFaceEmbedder> fr;
};

std::optional<vision::ArcFaceEmbedding> frEmbed(Models& m, const cv::Mat& image,
                                                const vision::Landmarks68& landmarks) {
    if (!m.fr)
        return std::nullopt;
    auto chip = vision::alignArcFace(image, landmarks);
    if (!chip)
        return std::nullopt;
    auto e = m.fr->embed(chip.value());
    if (!e)
        return std::nullopt;
    return e.value();
}

void analyseItem(Models& m, const fs::path& path, FaceItem& item) {
    auto decoded = vision::decodeImageFile(path);
    if (!decoded) {
        item.failure = std::string(vision::name(decoded.error()));
        return;
    }
    cv::Mat image = decoded.value();
    const bool still = item.source != "nuaa";
    const vision::VisionThresholds production;
    vision::DetectorOptions detector = production.detector;
    if (still)
        detector.maxDetectWidthPx = 640;
    auto faces = m.engine->detector().detect(image, detector);
    if (still && faces && faces->empty()) {
        image = padded(image, std::max(image.cols, image.rows) / 3);
        faces = m.engine->detector().detect(image, detector);
    }
    if (!faces) {
        item.failure = std::string(vision::name(faces.error()));
        return;
    }
    item.faces = static_cast<int>(faces->size());
    if (faces->empty() || (!still && faces->size() > 1)) {
        item.failure = faces->empty() ? "no_face" : "several_faces";
        return;
    }
    const cv::Rect box = faces->front().box;
    vision::AnalyseOptions options;
    options.quality = production.quality;
    auto obs = m.engine->analyseBox(image, box, options);
    if (!obs || !obs->embedding) {
        item.failure = obs ? "no_embedding" : std::string(vision::name(obs.error()));
        return;
    }
    item.quality = obs->quality;
    item.dlib = obs->embedding;
    cv::Mat grey, greyBgr;
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, greyBgr, cv::COLOR_GRAY2BGR);
    if (auto chip = m.engine->aligner().align(greyBgr, obs->landmarks))
        if (auto e = m.engine->embedChip(chip.value()))
            item.dlibGrey = e.value();
    item.fr = frEmbed(m, image, obs->landmarks);
    item.frGrey = frEmbed(m, greyBgr, obs->landmarks);

    if (!item.wantChip)
        return;
    // The card portrait: pad by one face size so the head-and-shoulders crop is not clipped.
    const int border = std::max(box.width, box.height);
    const cv::Mat canvas = padded(image, border);
    vision::ChipStyleOptions style;
    style.crop = vision::portraitCropAround(
        cv::Rect(box.x + border, box.y + border, box.width, box.height), canvas.size());
    auto chip = vision::makeChipStylePhoto(canvas, style);
    if (!chip) {
        item.chipFailure = "chip_" + std::string(vision::name(chip.error()));
        return;
    }
    auto reference = vision::loadChipPhoto(*m.engine, chip->jp2);  // the terminal's path
    if (!reference) {
        item.chipFailure = std::string(vision::name(reference.error()));
        return;
    }
    item.chipDlib = reference->embedding;
    if (m.fr) {
        cv::Mat chipBgr;
        cv::cvtColor(chip->decoded, chipBgr, cv::COLOR_GRAY2BGR);
        vision::AnalyseOptions chipOptions;
        chipOptions.detector = vision::ChipPhotoOptions{}.detector;
        chipOptions.computeEmbeddings = false;
        auto chipFaces = m.engine->analyse(chipBgr, chipOptions);
        if (chipFaces && chipFaces->size() == 1)
            item.chipFr = frEmbed(m, chipBgr, chipFaces->front().landmarks);
    }
}

// The quality gate again on a cached NUAA frame (after a change of quality.cpp): detection,
// landmarks and assessQuality only, no embedding.
void requalify(Models& m, const fs::path& path, FaceItem& item) {
    auto decoded = vision::decodeImageFile(path);
    if (!decoded || !item.failure.empty())
        return;
    const vision::VisionThresholds production;
    auto faces = m.engine->detector().detect(decoded.value(), production.detector);
    if (!faces || faces->size() != 1)
        return;
    vision::AnalyseOptions options;
    options.quality = production.quality;
    options.computeEmbeddings = false;
    if (auto obs = m.engine->analyseBox(decoded.value(), faces->front().box, options))
        item.quality = obs->quality;
}

template <std::size_t N>
json toJson(const std::optional<std::array<float, N>>& e) {
    return e ? json(std::vector<float>(e->begin(), e->end())) : json(nullptr);
}
template <std::size_t N>
std::optional<std::array<float, N>> fromJson(const json& j) {
    if (!j.is_array() || j.size() != N)
        return std::nullopt;
    std::array<float, N> e{};
    for (std::size_t i = 0; i < N; ++i)
        e[i] = j[i].get<float>();
    return e;
}

json itemToJson(const FaceItem& item) {
    const auto& q = item.quality;
    std::vector<int> guidance;
    for (auto g : q.guidance)
        guidance.push_back(static_cast<int>(g));
    return json{{"f", item.failure},
                {"n", item.faces},
                {"g", guidance},
                {"q",
                 {q.faceHeightPx, q.faceFraction, q.centreOffset, q.sharpness, q.meanLuma,
                  q.darkFraction, q.brightFraction, q.pose.yawDeg, q.pose.pitchDeg, q.pose.rollDeg,
                  q.eyeAspectRatio, q.lowerFaceOcclusion}},
                {"d", toJson(item.dlib)},
                {"dg", toJson(item.dlibGrey)},
                {"r", toJson(item.fr)},
                {"rg", toJson(item.frGrey)},
                {"cf", item.chipFailure},
                {"cd", toJson(item.chipDlib)},
                {"cr", toJson(item.chipFr)}};
}

void itemFromJson(const json& j, FaceItem& item) {
    item.failure = j["f"].get<std::string>();
    item.faces = j["n"].get<int>();
    for (int g : j["g"].get<std::vector<int>>())
        item.quality.guidance.push_back(static_cast<vision::Guidance>(g));
    const auto q = j["q"].get<std::vector<double>>();
    auto& o = item.quality;
    o.faceHeightPx = q[0];
    o.faceFraction = q[1];
    o.centreOffset = q[2];
    o.sharpness = q[3];
    o.meanLuma = q[4];
    o.darkFraction = q[5];
    o.brightFraction = q[6];
    o.pose.yawDeg = q[7];
    o.pose.pitchDeg = q[8];
    o.pose.rollDeg = q[9];
    o.pose.valid = true;
    o.eyeAspectRatio = q[10];
    o.lowerFaceOcclusion = q[11];
    item.dlib = fromJson<vision::kEmbeddingSize>(j["d"]);
    item.dlibGrey = fromJson<vision::kEmbeddingSize>(j["dg"]);
    item.fr = fromJson<vision::kArcFaceEmbeddingSize>(j["r"]);
    item.frGrey = fromJson<vision::kArcFaceEmbeddingSize>(j["rg"]);
    item.chipFailure = j["cf"].get<std::string>();
    item.chipDlib = fromJson<vision::kEmbeddingSize>(j["cd"]);
    item.chipFr = fromJson<vision::kArcFaceEmbeddingSize>(j["cr"]);
}

std::string stampOf(const fs::path& modelsDir) {
    std::error_code ec;
    const auto dlibSize = fs::file_size(modelsDir / vision::kRecognitionModelFile, ec);
    const auto frSize = fs::file_size(modelsDir / vision::kArcFaceModelFile, ec);
    return std::string(kAnalysisVersion) + "|" + std::to_string(dlibSize) + "|" +
           std::to_string(ec ? 0 : frSize);
}

}  // namespace

Result<SequenceData, std::string> loadSequenceData(const SequenceDataOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    SequenceData data;
    std::vector<std::pair<fs::path, std::string>> tasks;  // path, cache key (index = item)

    if (!options.nuaaDir.empty()) {
        for (const auto& person : sorted(options.nuaaDir / "live", true)) {
            for (const auto& group : sorted(person, true)) {
                int index = 0;
                for (const auto& file : sorted(group, false)) {
                    FaceItem item;
                    item.source = "nuaa";
                    item.person = person.filename().string();
                    item.group = group.filename().string();
                    item.file = file.filename().string();
                    item.timestampMs = static_cast<std::int64_t>(std::stoi(file.stem().string())) *
                                       options.frameIntervalMs;
                    item.wantChip =
                        options.chipEveryNthFrame > 0 && index % options.chipEveryNthFrame == 0;
                    ++index;
                    tasks.emplace_back(
                        file, "nuaa/" + item.group + "/" + item.file + (item.wantChip ? "|c" : ""));
                    data.items.push_back(std::move(item));
                }
            }
        }
    }
    if (!options.facesDevDir.empty()) {
        const std::map<std::string, std::string> dirs{{"lfw-ea", "east-asian/lfw-ea"},
                                                      {"jp-celeb", "east-asian/jp-celeb"},
                                                      {"cn-celeb", "east-asian/cn-celeb"},
                                                      {"lfw", "lfw"},
                                                      {"att", "att"}};
        for (const auto& set : options.stillSets) {
            const auto dir = dirs.find(set);
            if (dir == dirs.end())
                return fail("unknown dev set " + set);
            for (const auto& person : sorted(options.facesDevDir / dir->second, true)) {
                auto files = sorted(person, false);
                if (options.maxImagesPerPerson && files.size() > options.maxImagesPerPerson)
                    files.resize(options.maxImagesPerPerson);
                int index = 0;
                for (const auto& file : files) {
                    FaceItem item;
                    item.source = set;
                    item.person = person.filename().string();
                    item.file = file.filename().string();
                    item.timestampMs = index++ * 200;
                    item.wantChip = true;
                    tasks.emplace_back(file, set + "/" + item.person + "/" + item.file + "|c");
                    data.items.push_back(std::move(item));
                }
            }
        }
    }
    if (tasks.empty())
        return fail(std::string("no images found (nuaa-dev / faces-dev absent?)"));

    const std::string stamp = stampOf(options.modelsDir);
    json cache = json::object();
    if (!options.cacheFile.empty() && fs::exists(options.cacheFile)) {
        try {
            std::ifstream in(options.cacheFile);
            json loaded = json::parse(in);
            if (loaded.value("stamp", std::string()) == stamp)
                cache = std::move(loaded["items"]);
        } catch (const json::exception&) {
            cache = json::object();
        }
    }
    std::vector<std::size_t> pending, requality;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const auto it = cache.find(tasks[i].second);
        if (it != cache.end()) {
            itemFromJson(*it, data.items[i]);
            ++data.cacheHits;
            if (options.refreshQuality && data.items[i].source == "nuaa")
                requality.push_back(i);
        } else {
            pending.push_back(i);
        }
    }
    std::error_code ec;
    data.haveArcFace = fs::exists(options.modelsDir / vision::kArcFaceModelFile, ec);

    if (!pending.empty() || !requality.empty()) {
        const int threads =
            std::max(1, std::min<int>(options.threads, std::max(pending.size(), requality.size())));
        std::vector<Models> models(static_cast<std::size_t>(threads));
        for (auto& m : models) {
            auto engine =
                vision::FaceEngine::load(vision::FaceModelPaths::inDirectory(options.modelsDir));
            if (!engine)
                return fail("cannot load the face models from " + options.modelsDir.string());
            m.engine = std::move(engine).takeValue();
            if (data.haveArcFace) {
                auto fr =
                    vision::loadArcFaceEmbedder(options.modelsDir / vision::kArcFaceModelFile);
                if (!fr)
                    return fail("cannot load " + std::string(vision::kArcFaceModelFile));
                m.fr = std::move(fr).takeValue();
            }
        }
        std::atomic<std::size_t> next{0}, done{0};
        std::mutex mutex;
        auto worker = [&](Models& m) {
            for (std::size_t i = next++; i < pending.size(); i = next++) {
                analyseItem(m, tasks[pending[i]].first, data.items[pending[i]]);
                const std::size_t finished = ++done;
                if (options.progress) {
                    std::lock_guard lock(mutex);
                    options.progress(finished, pending.size());
                }
            }
        };
        std::atomic<std::size_t> nextQ{0};
        auto qualityWorker = [&](Models& m) {
            for (std::size_t i = nextQ++; i < requality.size(); i = nextQ++)
                requalify(m, tasks[requality[i]].first, data.items[requality[i]]);
        };
        std::vector<std::thread> pool;
        for (int i = 1; i < threads; ++i)
            pool.emplace_back([&, i] {
                worker(models[static_cast<std::size_t>(i)]);
                qualityWorker(models[static_cast<std::size_t>(i)]);
            });
        worker(models[0]);
        qualityWorker(models[0]);
        for (auto& t : pool)
            t.join();
        if (!options.cacheFile.empty()) {
            for (std::size_t i : pending)
                cache[tasks[i].second] = itemToJson(data.items[i]);
            fs::create_directories(options.cacheFile.parent_path(), ec);
            const fs::path temp = options.cacheFile.string() + ".tmp";
            {
                std::ofstream out(temp);
                out << json{{"stamp", stamp}, {"items", cache}}.dump();
            }
            fs::rename(temp, options.cacheFile, ec);
        }
    }
    data.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return data;
}

}  // namespace uketsuke::calibration
