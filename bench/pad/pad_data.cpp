// Presentation-attack evaluation material (see pad_data.h).
#include "bench/pad/pad_data.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <opencv2/imgcodecs.hpp>

#include "sim/card_front/card_front_render.h"
#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/face_tracker.h"
#include "vision/pad/pad_liveness_net.h"
#include "vision/pad/presentation_attack.h"

namespace fs = std::filesystem;

namespace uketsuke::pad {
namespace {

constexpr std::uint32_t kCacheMagic = 0x50414431;  // "PAD1"
constexpr int kCacheVersion = 4;
constexpr int kNuaaFrameIntervalMs = 50;  // frame number x 50 ms (docs/calibration.md §6)

struct Job {
    std::string kind, person, id;
    std::uint64_t seed = 0;
    std::vector<fs::path> files;       // nuaa group frames
    std::vector<std::int64_t> stamps;  // their timestamps
    AttackKind attack = AttackKind::kStillNoise;
    bool generated = false;
    std::vector<fs::path> source;  // generator source (one still, or a clip's frames)
};

struct StillSource {
    fs::path file;
    std::string person;
};

std::vector<fs::path> sortedFiles(const fs::path& dir) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir))
        return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() &&
            (e.path().extension() == ".jpg" || e.path().extension() == ".png"))
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<fs::path> sortedDirs(const fs::path& dir) {
    std::vector<fs::path> dirs;
    if (!fs::is_directory(dir))
        return dirs;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory())
            dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

// ---- cache ----
template <class T>
void put(std::ostream& o, const T& v) {
    o.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
void get(std::istream& i, T& v) {
    i.read(reinterpret_cast<char*>(&v), sizeof v);
}
void putString(std::ostream& o, const std::string& s) {
    put(o, static_cast<std::uint32_t>(s.size()));
    o.write(s.data(), static_cast<std::streamsize>(s.size()));
}
std::string getString(std::istream& i) {
    std::uint32_t n = 0;
    get(i, n);
    std::string s(n, '\0');
    i.read(s.data(), n);
    return s;
}
void putCue(std::ostream& o, const vision::LivenessCue& c) {
    put(o, c.available);
    put(o, c.value);
    put(o, c.samples);
}
void getCue(std::istream& i, vision::LivenessCue& c) {
    get(i, c.available);
    get(i, c.value);
    get(i, c.samples);
}

std::string cacheKey(const PadDataOptions& o) {
    std::ostringstream key;
    key << 'v' << kCacheVersion << " trials=" << o.trialsPerKind << " seed=" << o.baseSeed
        << " frames=" << o.framesPerTrial << " fps=" << o.fps
        << " features=" << vision::pad::textureFeatureCount()
        << " net=" << fs::exists(o.modelsDir / vision::pad::kLivenessNetFile);
    return key.str();
}

bool readCache(const fs::path& file, const std::string& key, std::vector<SequenceRecord>& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return false;
    std::uint32_t magic = 0;
    get(in, magic);
    if (magic != kCacheMagic || getString(in) != key)
        return false;
    std::uint64_t n = 0;
    get(in, n);
    out.resize(n);
    for (auto& s : out) {
        s.kind = getString(in);
        s.person = getString(in);
        s.id = getString(in);
        get(in, s.seed);
        get(in, s.framesTotal);
        std::uint64_t frames = 0;
        get(in, frames);
        s.frames.resize(frames);
        for (auto& f : s.frames) {
            get(in, f.t);
            getCue(in, f.planarity);
            getCue(in, f.parallax);
            get(in, f.blink);
            std::uint32_t nf = 0;
            get(in, nf);
            f.features.resize(nf);
            in.read(reinterpret_cast<char*>(f.features.data()),
                    static_cast<std::streamsize>(nf * sizeof(float)));
            get(in, f.box.x);
            get(in, f.box.y);
            get(in, f.box.width);
            get(in, f.box.height);
            get(in, nf);
            f.landmarks.resize(nf);
            in.read(reinterpret_cast<char*>(f.landmarks.data()),
                    static_cast<std::streamsize>(nf * sizeof(float)));
            get(in, f.net);
            get(in, f.netWide);
        }
    }
    return static_cast<bool>(in);
}

void writeCache(const fs::path& file, const std::string& key,
                const std::vector<SequenceRecord>& all) {
    fs::create_directories(file.parent_path());
    std::ofstream o(file, std::ios::binary | std::ios::trunc);
    put(o, kCacheMagic);
    putString(o, key);
    put(o, static_cast<std::uint64_t>(all.size()));
    for (const auto& s : all) {
        putString(o, s.kind);
        putString(o, s.person);
        putString(o, s.id);
        put(o, s.seed);
        put(o, s.framesTotal);
        put(o, static_cast<std::uint64_t>(s.frames.size()));
        for (const auto& f : s.frames) {
            put(o, f.t);
            putCue(o, f.planarity);
            putCue(o, f.parallax);
            put(o, f.blink);
            put(o, static_cast<std::uint32_t>(f.features.size()));
            o.write(reinterpret_cast<const char*>(f.features.data()),
                    static_cast<std::streamsize>(f.features.size() * sizeof(float)));
            put(o, f.box.x);
            put(o, f.box.y);
            put(o, f.box.width);
            put(o, f.box.height);
            put(o, static_cast<std::uint32_t>(f.landmarks.size()));
            o.write(reinterpret_cast<const char*>(f.landmarks.data()),
                    static_cast<std::streamsize>(f.landmarks.size() * sizeof(float)));
            put(o, f.net);
            put(o, f.netWide);
        }
    }
}

// ---- analysis of one sequence ----
std::vector<FrameRecord> analyse(vision::FaceEngine& engine, vision::pad::LivenessNet* net,
                                 const std::vector<cv::Mat>& frames,
                                 const std::vector<std::int64_t>& stamps) {
    std::vector<FrameRecord> out;
    auto tracker = vision::createCorrelationFaceTracker();
    auto check = vision::pad::createPresentationAttackCheck({}, nullptr);
    vision::AnalyseOptions options;
    options.computeEmbeddings = false;
    vision::DetectorOptions detector;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const cv::Mat& frame = frames[i];
        std::optional<cv::Rect> box;
        if (!tracker->needsDetection())
            box = tracker->update(frame);
        if (!box) {
            auto found = engine.detector().detect(frame, detector);
            if (!found || found->size() != 1) {
                tracker->reset();
                continue;
            }
            box = found->front().box;
            tracker->start(frame, *box);
        }
        auto obs = engine.analyseBox(frame, *box, options);
        if (!obs)
            continue;
        check->addCameraFrame(stamps[i], obs.value().landmarks, frame, *box);
        const vision::LivenessResult r = check->evaluate();
        FrameRecord rec;
        rec.t = stamps[i];
        rec.planarity = r.planarity;
        rec.parallax = r.parallax;
        rec.blink = r.blinkSeen;
        rec.features = vision::pad::textureFeatures(frame, *box);
        rec.box = *box;
        for (const auto& p : obs.value().landmarks) {
            rec.landmarks.push_back(static_cast<float>(p.x));
            rec.landmarks.push_back(static_cast<float>(p.y));
        }
        if (net) {
            rec.net = static_cast<float>(net->score(frame, *box));
            // dlib's HOG box is tighter than the package's own detector box: also ~2.7 x 1.25.
            rec.netWide = static_cast<float>(net->score(frame, *box, 3.4));
        }
        out.push_back(std::move(rec));
    }
    return out;
}

// Portrait crop around the source's face (the card's photo field frames head and shoulders).
cv::Mat portraitFor(vision::FaceEngine& engine, const cv::Mat& image) {
    auto found = engine.detector().detect(image, vision::DetectorOptions{});
    if (!found || found->empty())
        return image;
    return image(vision::portraitCropAround(found->front().box, image.size())).clone();
}

}  // namespace

PadData loadPadData(const PadDataOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const fs::path nuaa = options.shared / "data" / "nuaa-dev";
    if (!fs::is_directory(nuaa))
        throw std::runtime_error("nuaa-dev not found under " + options.shared.string());
    PadData data;
    const std::string key = cacheKey(options);
    if (!options.cacheFile.empty() && readCache(options.cacheFile, key, data.sequences)) {
        if (options.progress)
            options.progress("cache: " + std::to_string(data.sequences.size()) + " sequences");
        return data;
    }

    std::vector<Job> jobs;
    std::vector<StillSource> stills;
    std::vector<std::pair<std::vector<fs::path>, std::string>> clips;  // nuaa live clips
    for (const char* kind : {"live", "print"})
        for (const auto& personDir : sortedDirs(nuaa / kind))
            for (const auto& groupDir : sortedDirs(personDir)) {
                const std::vector<fs::path> files = sortedFiles(groupDir);
                const bool live = std::string(kind) == "live";
                // Several looks per group (as calibrate_sequences): starts at frames 0, 10, 20.
                for (std::size_t start = 0; start + 10 <= files.size() && start <= 20;
                     start += 10) {
                    Job j;
                    j.kind = std::string("nuaa-") + kind;
                    j.person = "nuaa:" + personDir.filename().string();
                    j.id = groupDir.filename().string() + " from " + std::to_string(start);
                    j.files.assign(files.begin() + static_cast<std::ptrdiff_t>(start), files.end());
                    for (const auto& f : j.files)
                        j.stamps.push_back(std::stoll(f.stem().string()) * kNuaaFrameIntervalMs);
                    jobs.push_back(std::move(j));
                }
                if (live) {
                    clips.emplace_back(files, "nuaa:" + personDir.filename().string());
                    for (std::size_t k = 0; k < files.size(); k += 8)
                        stills.push_back({files[k], "nuaa:" + personDir.filename().string()});
                }
            }
    const std::size_t nuaaStills = stills.size();
    for (const char* set : {"jp-celeb", "cn-celeb"})
        for (const auto& personDir :
             sortedDirs(options.shared / "data" / "faces-dev" / "east-asian" / set)) {
            const auto files = sortedFiles(personDir);
            for (std::size_t k = 0; k < files.size() && k < 6; ++k)
                stills.push_back(
                    {files[k], std::string("dev:") + set + "/" + personDir.filename().string()});
        }
    if (stills.size() == nuaaStills)
        throw std::runtime_error("faces-dev colour stills not found");

    for (AttackKind kind : kAttackKinds)
        for (int i = 0; i < options.trialsPerKind; ++i) {
            Job j;
            j.generated = true;
            j.attack = kind;
            j.kind = std::string(attackName(kind));
            j.seed = options.baseSeed + static_cast<std::uint64_t>(i);
            std::mt19937_64 pick(j.seed * 7919 + static_cast<std::uint64_t>(kind));
            const bool useClip = kind == AttackKind::kScreenReplay && pick() % 10 < 6;
            if (useClip) {
                const auto& clip = clips[pick() % clips.size()];
                j.source = clip.first;
                j.person = clip.second;
                j.id = "seed=" + std::to_string(j.seed) +
                       " clip=" + clip.first.front().parent_path().filename().string();
            } else {
                // Half nuaa stills, half dev stills.
                const bool fromNuaa = pick() % 2 == 0;
                const std::size_t idx = fromNuaa
                                            ? pick() % nuaaStills
                                            : nuaaStills + pick() % (stills.size() - nuaaStills);
                j.source = {stills[idx].file};
                j.person = stills[idx].person;
                j.id = "seed=" + std::to_string(j.seed) +
                       " still=" + stills[idx].file.parent_path().filename().string() + "/" +
                       stills[idx].file.filename().string();
            }
            for (int f = 0; f < options.framesPerTrial; ++f)
                j.stamps.push_back(static_cast<std::int64_t>(f * 1000.0 / options.fps));
            jobs.push_back(std::move(j));
        }

    data.sequences.resize(jobs.size());
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex mu;
    std::string error;
    auto worker = [&] {
        auto engine =
            vision::FaceEngine::load(vision::FaceModelPaths::inDirectory(options.modelsDir));
        if (!engine) {
            std::lock_guard lock(mu);
            error = "face models not loadable from " + options.modelsDir.string();
            return;
        }
        std::unique_ptr<vision::pad::LivenessNet> net;
        if (fs::exists(options.modelsDir / vision::pad::kLivenessNetFile)) {
            auto loaded =
                vision::pad::LivenessNet::load(options.modelsDir / vision::pad::kLivenessNetFile);
            if (!loaded) {
                std::lock_guard lock(mu);
                error = "fr_liveness.onnx not loadable (SHA-256 or content)";
                return;
            }
            net = std::move(loaded).takeValue();
        }
        std::unique_ptr<sim::CardFrontRenderer> renderer;
        for (std::size_t k; (k = next++) < jobs.size();) {
            const Job& j = jobs[k];
            SequenceRecord rec;
            rec.kind = j.kind;
            rec.person = j.person;
            rec.id = j.id;
            rec.seed = j.seed;
            std::vector<cv::Mat> frames;
            if (!j.generated) {
                for (const auto& f : j.files)
                    frames.push_back(cv::imread(f.string(), cv::IMREAD_COLOR));
            } else {
                std::vector<cv::Mat> source;
                for (const auto& f : j.source)
                    source.push_back(cv::imread(f.string(), cv::IMREAD_COLOR));
                if (j.attack == AttackKind::kCardFront) {
                    if (!renderer)
                        renderer = std::make_unique<sim::CardFrontRenderer>();
                    source = {portraitFor(*engine.value(), source.front())};
                }
                const AttackSpec spec{.kind = j.attack,
                                      .seed = j.seed,
                                      .frames = options.framesPerTrial,
                                      .fps = options.fps};
                frames = generateAttack(spec, source, renderer.get()).frames;
            }
            rec.framesTotal = static_cast<int>(frames.size());
            rec.frames = analyse(*engine.value(), net.get(), frames, j.stamps);
            data.sequences[k] = std::move(rec);
            const std::size_t d = ++done;
            if (options.progress && (d % 25 == 0 || d == jobs.size())) {
                std::lock_guard lock(mu);
                options.progress(std::to_string(d) + " / " + std::to_string(jobs.size()) +
                                 " sequences");
            }
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < std::max(1, options.threads); ++t)
        threads.emplace_back(worker);
    for (auto& t : threads)
        t.join();
    if (!error.empty())
        throw std::runtime_error(error);
    if (!options.cacheFile.empty())
        writeCache(options.cacheFile, key, data.sequences);
    data.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return data;
}

}  // namespace uketsuke::pad
