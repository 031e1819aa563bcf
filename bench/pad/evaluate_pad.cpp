// evaluate_pad: presentation-attack detection error rates in ISO/IEC 30107-3 terms (issue 13;
// docs/presentation-attack.md). Material: nuaa-dev live and print groups (looks starting at
// frames 0, 10, 20) and generated attacks (bench/pad/pad_attacks.h, trial i of every kind with
// seed base + i), run through the production face loop and the presentation-attack check.
//
// The texture model is evaluated person-disjoint: leave-one-person-out over the 8 nuaa persons
// (generated attacks belong to the person whose photo or clip they were made from; dev-still
// people are spread over the 8 folds). Every look is then replayed frame by frame through
// vision::pad::fuseCues - the rule the terminal runs - as the verifier would: the first
// live / attack-suspected verdict decides; at the end of the look the verdict is final.
//
//   evaluate_pad --out build/pad                     # report (+ build/pad/pad-eval.json)
//   evaluate_pad --out build/pad --train-model models/pad_svm.yml
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/ml.hpp>

#include "bench/pad/pad_data.h"
#include "uketsuke/encoding.h"
#include "vision/pad/presentation_attack.h"

namespace fs = std::filesystem;
using namespace uketsuke;
using namespace uketsuke::pad;
using vision::LivenessVerdict;

namespace {

constexpr int kFolds = 8;

int foldOf(const std::string& person) {
    if (person.rfind("nuaa:", 0) == 0)
        return (std::stoi(person.substr(5)) - 1) % kFolds;
    return static_cast<int>(std::hash<std::string>{}(person) % kFolds);
}

struct Trained {
    vision::pad::TextureModel model;
};

// Linear SVM on standardised features; returns w, b oriented so that live scores higher.
vision::pad::TextureModel train(const std::vector<const SequenceRecord*>& seqs, double c,
                                int attackFrameStride) {
    std::vector<std::vector<float>> rows;
    std::vector<int> labels;
    for (const auto* s : seqs) {
        const int stride = s->live() ? 1 : attackFrameStride;
        for (std::size_t i = 0; i < s->frames.size(); i += static_cast<std::size_t>(stride)) {
            if (s->frames[i].features.empty())
                continue;
            rows.push_back(s->frames[i].features);
            labels.push_back(s->live() ? 1 : -1);
        }
    }
    const std::size_t d = static_cast<std::size_t>(vision::pad::textureFeatureCount());
    vision::pad::TextureModel m;
    m.mean.assign(d, 0.0);
    m.scale.assign(d, 0.0);
    for (const auto& r : rows)
        for (std::size_t k = 0; k < d; ++k)
            m.mean[k] += r[k];
    for (auto& v : m.mean)
        v /= static_cast<double>(rows.size());
    for (const auto& r : rows)
        for (std::size_t k = 0; k < d; ++k)
            m.scale[k] += (r[k] - m.mean[k]) * (r[k] - m.mean[k]);
    for (auto& v : m.scale)
        v = std::sqrt(v / static_cast<double>(rows.size())) + 1e-6;
    cv::Mat x(static_cast<int>(rows.size()), static_cast<int>(d), CV_32F);
    for (int i = 0; i < x.rows; ++i)
        for (int k = 0; k < x.cols; ++k)
            x.at<float>(i, k) =
                static_cast<float>((rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] -
                                    m.mean[static_cast<std::size_t>(k)]) /
                                   m.scale[static_cast<std::size_t>(k)]);
    cv::Mat y(labels, true);
    const double live = static_cast<double>(std::count(labels.begin(), labels.end(), 1));
    const double attack = static_cast<double>(labels.size()) - live;
    auto svm = cv::ml::SVM::create();
    svm->setType(cv::ml::SVM::C_SVC);
    svm->setKernel(cv::ml::SVM::LINEAR);
    svm->setC(c);
    // Class weights: balance live and attack frames (OpenCV orders them by sorted label: -1, 1).
    cv::Mat weights = (cv::Mat_<double>(2, 1) << 1.0, attack / std::max(1.0, live));
    svm->setClassWeights(weights);
    svm->setTermCriteria(
        cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, 20000, 1e-4));
    svm->train(x, cv::ml::ROW_SAMPLE, y);
    const cv::Mat sv = svm->getSupportVectors();  // linear: one compressed vector
    cv::Mat alpha, svidx;
    const double rho = svm->getDecisionFunction(0, alpha, svidx);
    const double a = alpha.at<double>(0);
    m.weights.resize(d);
    for (std::size_t k = 0; k < d; ++k)
        m.weights[k] = a * sv.at<float>(0, static_cast<int>(k));
    m.bias = -rho;
    // Orient: live must score higher.
    double liveMean = 0, attackMean = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        double s = m.bias;
        for (std::size_t k = 0; k < d; ++k)
            s += m.weights[k] * x.at<float>(static_cast<int>(i), static_cast<int>(k));
        (labels[i] == 1 ? liveMean : attackMean) += s;
    }
    if (liveMean / std::max(1.0, live) < attackMean / std::max(1.0, attack)) {
        for (auto& w : m.weights)
            w = -w;
        m.bias = -m.bias;
    }
    return m;
}

struct Outcome {
    LivenessVerdict verdict = LivenessVerdict::kInsufficientEvidence;
    std::string reason;
    std::int64_t decidedAfterMs = -1;
    vision::LivenessResult last;
};

// Replays one look through the fusion rule, frame by frame (first live / attack verdict decides).
Outcome replay(const SequenceRecord& s, const std::vector<double>& textureScores, bool haveTexture,
               const vision::pad::PadOptions& o) {
    Outcome out;
    std::vector<double> sofar;
    for (std::size_t i = 0; i < s.frames.size(); ++i) {
        const FrameRecord& f = s.frames[i];
        if (haveTexture && !std::isnan(textureScores[i]) &&
            i % static_cast<std::size_t>(o.textureEveryNth) == 0)
            sofar.push_back(textureScores[i]);
        vision::LivenessResult r;
        r.planarity = f.planarity;
        r.parallax = f.parallax;
        r.blinkSeen = f.blink;
        r.textureModel = haveTexture;
        if (haveTexture && sofar.size() >= 3) {
            std::vector<double> sorted = sofar;
            std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
            r.texture = {true, sorted[sorted.size() / 2], static_cast<int>(sofar.size())};
        }
        vision::pad::fuseCues(o, static_cast<int>(i + 1), f.t - s.frames.front().t, r);
        out.last = r;
        out.verdict = r.verdict;
        out.reason = std::string(r.reason);
        if (r.verdict == LivenessVerdict::kLive || r.verdict == LivenessVerdict::kSpoofSuspected) {
            out.decidedAfterMs = f.t - s.frames.front().t;
            return out;
        }
    }
    return out;
}

std::string pct(double n, double d) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", d > 0 ? 100.0 * n / d : 0.0);
    return b;
}

// One-sided 95 % upper limit for k = 0 events in n (rule of three, exact: 1 - 0.05^(1/n)).
std::string upper95(int k, int n) {
    if (n == 0)
        return "-";
    double lo = 0, hi = 1;
    for (int it = 0; it < 60; ++it) {  // Clopper-Pearson upper: P(X <= k | p) = 0.05
        const double p = (lo + hi) / 2;
        double cdf = 0, term = std::pow(1 - p, n);
        for (int i = 0; i <= k; ++i) {
            cdf += term;
            term *= (n - i) / static_cast<double>(i + 1) * p / (1 - p);
        }
        (cdf > 0.05 ? lo : hi) = p;
    }
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", 100 * hi);
    return b;
}

double quantile(std::vector<double> v, double q) {
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * (v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Presentation-attack detection evaluation (issue 13)"};
    PadDataOptions data;
    data.shared = UKETSUKE_PAD_SHARED_DIR;
    data.modelsDir = UKETSUKE_PAD_MODELS_DIR;
    std::string out = "build/pad", trainModel;
    double c = 0.01;
    int stride = 3;
    vision::pad::PadOptions o;
    app.add_option("--shared", data.shared, "the ../shared folder");
    app.add_option("--models", data.modelsDir, "face models folder");
    app.add_option("--out", out, "output folder (cache + JSON report)");
    app.add_option("--trials", data.trialsPerKind, "generated trials per attack kind");
    app.add_option("--seed", data.baseSeed, "seed of trial 0 (trial i: seed + i)");
    app.add_option("--frames", data.framesPerTrial, "frames per generated attack");
    app.add_option("--threads", data.threads, "worker threads (one face engine each)");
    app.add_option("--svm-c", c, "linear SVM C");
    app.add_option("--attack-stride", stride, "use every n-th frame of attack looks for training");
    app.add_option("--planarity-live", o.planarityLive);
    app.add_option("--planarity-attack", o.planarityAttack);
    app.add_option("--parallax-attack", o.parallaxAttack);
    app.add_option("--parallax-live", o.parallaxLive);
    app.add_option("--texture-live", o.textureLive);
    app.add_option("--texture-attack", o.textureAttack);
    app.add_option("--min-frames", o.minFrames);
    app.add_option("--min-window-ms", o.minWindowMs);
    app.add_option("--train-model", trainModel, "train on everything and write the model here");
    CLI11_PARSE(app, argc, argv);

    data.cacheFile = fs::path(out) / "pad-data.cache";
    data.progress = [](const std::string& m) { std::cerr << "  " << m << "\n"; };
    PadData d;
    try {
        d = loadPadData(data);
    } catch (const std::exception& e) {
        std::cerr << "evaluate_pad: " << e.what() << "\n";
        return 2;
    }
    std::cout << "material: " << d.sequences.size() << " looks (" << std::fixed
              << std::setprecision(0) << d.seconds << " s to analyse)\n";

    // ---- texture: out-of-fold scores ----
    std::vector<std::vector<double>> scores(d.sequences.size());
    for (int f = 0; f < kFolds; ++f) {
        std::vector<const SequenceRecord*> trainSet;
        for (const auto& s : d.sequences)
            if (foldOf(s.person) != f)
                trainSet.push_back(&s);
        const auto model = train(trainSet, c, stride);
        for (std::size_t k = 0; k < d.sequences.size(); ++k) {
            const auto& s = d.sequences[k];
            if (foldOf(s.person) != f)
                continue;
            for (const auto& fr : s.frames)
                scores[k].push_back(fr.features.empty() ? NAN : model.score(fr.features));
        }
        std::cerr << "  fold " << f + 1 << " / " << kFolds << " trained on " << trainSet.size()
                  << " looks\n";
    }

    // ---- per kind ----
    std::vector<std::string> kinds{"nuaa-live", "nuaa-print"};
    for (AttackKind k : kAttackKinds)
        kinds.emplace_back(attackName(k));
    nlohmann::json report;
    report["seeds"] = {{"base", data.baseSeed},
                       {"trials", data.trialsPerKind},
                       {"frames", data.framesPerTrial},
                       {"fps", data.fps}};
    std::cout << std::setprecision(4);
    std::cout << "\n## Cues alone (value at the end of the look; p5 / p50 / p95; avail = looks "
                 "with the cue)\n";
    std::cout << "| kind | looks | face in >= " << o.minFrames
              << " frames | planarity avail, p5/p50/p95 | parallax avail, p5/p50/p95 | texture "
                 "(out-of-fold median) p5/p50/p95 | blink |\n";
    for (const auto& kind : kinds) {
        std::vector<double> pl, px, tx;
        int looks = 0, face = 0, blink = 0, plAvail = 0, pxAvail = 0;
        for (std::size_t k = 0; k < d.sequences.size(); ++k) {
            const auto& s = d.sequences[k];
            if (s.kind != kind)
                continue;
            ++looks;
            if (static_cast<int>(s.frames.size()) < o.minFrames)
                continue;
            ++face;
            const auto& last = s.frames.back();
            if (last.planarity.available) {
                ++plAvail;
                pl.push_back(last.planarity.value);
            }
            if (last.parallax.available) {
                ++pxAvail;
                px.push_back(last.parallax.value);
            }
            blink += last.blink;
            std::vector<double> v;
            for (double x : scores[k])
                if (!std::isnan(x))
                    v.push_back(x);
            if (!v.empty())
                tx.push_back(quantile(v, 0.5));
        }
        std::cout << "| " << kind << " | " << looks << " | " << face << " | " << plAvail << ": "
                  << quantile(pl, 0.05) << " / " << quantile(pl, 0.5) << " / " << quantile(pl, 0.95)
                  << " | " << pxAvail << ": " << quantile(px, 0.05) << " / " << quantile(px, 0.5)
                  << " / " << quantile(px, 0.95) << " | " << quantile(tx, 0.05) << " / "
                  << quantile(tx, 0.5) << " / " << quantile(tx, 0.95) << " | " << blink << " |\n";
    }

    // Each cue alone as a detector (its own threshold; the other cues ignored).
    std::cout << "\n## Each cue alone: looks it would pass as live (passes / looks with a face)\n";
    std::cout
        << "| kind | planarity >= live thr (or blink) | parallax < attack thr | texture >= live "
           "thr | fused: live | fused: attack-suspected | fused: unsure | fused: insufficient |\n";
    nlohmann::json perKind;
    for (const auto& kind : kinds) {
        int face = 0, plPass = 0, pxPass = 0, txPass = 0;
        std::map<LivenessVerdict, int> fused;
        std::map<std::string, int> reasons;
        std::vector<double> decideMs;
        nlohmann::json looks = nlohmann::json::array();
        for (std::size_t k = 0; k < d.sequences.size(); ++k) {
            const auto& s = d.sequences[k];
            if (s.kind != kind)
                continue;
            const Outcome oc = replay(s, scores[k], true, o);
            ++fused[oc.verdict];
            reasons[oc.reason]++;
            if (oc.decidedAfterMs >= 0)
                decideMs.push_back(static_cast<double>(oc.decidedAfterMs));
            looks.push_back(
                {{"id", s.id},
                 {"person", s.person},
                 {"seed", s.seed},
                 {"frames", s.framesTotal},
                 {"face_frames", s.frames.size()},
                 {"verdict", vision::name(oc.verdict)},
                 {"reason", oc.reason},
                 {"planarity", oc.last.planarity.available ? oc.last.planarity.value : -1},
                 {"parallax", oc.last.parallax.available ? oc.last.parallax.value : -1},
                 {"texture", oc.last.texture.available ? oc.last.texture.value : -99}});
            if (static_cast<int>(s.frames.size()) < o.minFrames)
                continue;
            ++face;
            const auto& last = s.frames.back();
            plPass +=
                last.blink || (last.planarity.available && last.planarity.value >= o.planarityLive);
            pxPass += !(last.parallax.available && last.parallax.value >= o.parallaxAttack);
            std::vector<double> v;
            for (double x : scores[k])
                if (!std::isnan(x))
                    v.push_back(x);
            txPass += !v.empty() && quantile(v, 0.5) >= o.textureLive;
        }
        const int n = static_cast<int>(looks.size());
        std::cout << "| " << kind << " | " << plPass << " / " << face << " | " << pxPass << " / "
                  << face << " | " << txPass << " / " << face << " | "
                  << fused[LivenessVerdict::kLive] << " (" << pct(fused[LivenessVerdict::kLive], n)
                  << ") | " << fused[LivenessVerdict::kSpoofSuspected] << " | "
                  << fused[LivenessVerdict::kUnsure] << " | "
                  << fused[LivenessVerdict::kInsufficientEvidence] << " |\n";
        nlohmann::json r;
        for (auto& [reason, count] : reasons)
            r[reason.empty() ? "-" : reason] = count;
        perKind[kind] = {{"looks", n},
                         {"live", fused[LivenessVerdict::kLive]},
                         {"attack_suspected", fused[LivenessVerdict::kSpoofSuspected]},
                         {"unsure", fused[LivenessVerdict::kUnsure]},
                         {"insufficient", fused[LivenessVerdict::kInsufficientEvidence]},
                         {"reasons", r},
                         {"median_decision_ms", quantile(decideMs, 0.5)},
                         {"per_look", looks}};
    }
    report["kinds"] = perKind;

    std::cout << "\n## ISO/IEC 30107-3 (PAD subsystem alone; bona fide = nuaa-live looks)\n";
    std::cout << "| attack kind (PAI species) | presentations | APCER (classified live) | 95 % "
                 "upper | attack-suspected | unsure (-> challenge) | no verdict |\n";
    for (const auto& kind : kinds) {
        if (kind == "nuaa-live")
            continue;
        const auto& r = perKind[kind];
        const int n = r["looks"], live = r["live"];
        std::cout << "| " << kind << " | " << n << " | " << live << " (" << pct(live, n) << ") | "
                  << upper95(live, n) << " | " << r["attack_suspected"].get<int>() << " | "
                  << r["unsure"].get<int>() << " | " << r["insufficient"].get<int>() << " |\n";
    }
    {
        const auto& r = perKind["nuaa-live"];
        const int n = r["looks"], live = r["live"], refused = r["attack_suspected"];
        std::cout << "\nBPCER (bona fide classified attack-suspected): " << refused << " / " << n
                  << " = " << pct(refused, n) << "; passed passively (live): " << live << " / " << n
                  << " = " << pct(live, n)
                  << "; unsure (-> active challenge): " << r["unsure"].get<int>()
                  << "; no verdict: " << r["insufficient"].get<int>() << "; median time to live "
                  << r["median_decision_ms"].get<double>() << " ms\n";
        std::set<std::string> people;
        for (const auto& s : d.sequences)
            if (s.live())
                people.insert(s.person);
        std::cout << "bona fide people: " << people.size() << "\n";
    }
    fs::create_directories(out);
    std::ofstream(fs::path(out) / "pad-eval.json") << report.dump(1);

    if (!trainModel.empty()) {
        std::vector<const SequenceRecord*> all;
        for (const auto& s : d.sequences)
            all.push_back(&s);
        const auto model = train(all, c, stride);
        const std::string comment =
            "Uketsuke PAD texture model (issue 13): linear SVM on standardised features "
            "(vision/pad/pad_texture.h). Generated by `evaluate_pad --train-model` with C=" +
            std::to_string(c) + ", attack stride " + std::to_string(stride) + ", trials " +
            std::to_string(data.trialsPerKind) + ", seed " + std::to_string(data.baseSeed) +
            ". Weights only; no training sample is stored.";
        if (!model.save(trainModel, comment)) {
            std::cerr << "cannot write " << trainModel << "\n";
            return 2;
        }
        std::ifstream in(trainModel, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        std::cout << "\nmodel written: " << trainModel << " SHA-256 "
                  << lowerHex(sha256(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                              bytes.size())))
                  << "\n";
    }
    return 0;
}
