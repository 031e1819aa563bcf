// The report sections of calibrate_sequences on the whole material (docs/calibration.md §6-§8):
// the quality gate on the nuaa-dev frames, single stills, the fusion weight, the sequences with
// thresholds chosen on their impostors, and the shipped operating points.
#include <algorithm>
#include <cstdio>

#include "bench/calibration/sequence_eval.h"

namespace uketsuke::calibration {

namespace {

void printStillTable(const std::map<std::string, PairSet>& groups, double threshold) {
    std::printf(
        "| group | people | genuine pairs | impostor pairs | FAR 0.1 %%: threshold / FRR | "
        "at %.3f: FAR (accepted) / FRR |\n|---|---:|---:|---:|---|---|\n",
        threshold);
    for (const auto& [key, g] : groups) {
        if (g.genuine.empty() || g.impostor.empty())
            continue;
        const auto op = operatingPointAtFar(g.genuine, g.impostor, 0.001);
        const auto at = operatingPointAt(g.genuine, g.impostor, threshold);
        std::printf("| %s | %zu | %zu | %zu | %.3f / %s%s | %s (%zu) / %s |\n", key.c_str(),
                    g.people.size(), g.genuine.size(), g.impostor.size(), op.threshold,
                    pct(op.frr()).c_str(), op.farMeaningful() ? "" : " †", pct3(at.far()).c_str(),
                    at.falseAccepts, pct(at.frr()).c_str());
    }
}

// Per nuaa group: medians of the measures the gates act on.
void qualityGateGroups(const SequenceData& data) {
    std::map<std::string, std::vector<const FaceItem*>> byGroup;
    for (const auto& it : data.items)
        if (it.source == "nuaa" && it.failure.empty())
            byGroup[it.group].push_back(&it);
    std::printf(
        "\n| group | frames | pass | luma | bright | dark | EAR | occlusion | yaw | "
        "pitch | face fraction | genuine dlib / fr (median, all frames) | guidance |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& [group, items] : byGroup) {
        auto med = [&](auto f) {
            std::vector<double> v;
            for (const auto* it : items)
                v.push_back(f(it->quality));
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::map<std::string, int> g;
        int pass = 0;
        for (const auto* it : items) {
            pass += it->quality.acceptable();
            for (auto x : it->quality.guidance)
                ++g[std::string(vision::guidanceInfo(x).name)];
        }
        std::vector<double> gd, gf;
        for (const auto* it : items)
            for (const auto& chip : data.items)
                if (chip.source == "nuaa" && chip.person == it->person && chip.group != it->group) {
                    if (auto d = score(Score::kDlib, chip, *it))
                        gd.push_back(*d);
                    if (auto d = score(Score::kFr, chip, *it))
                        gf.push_back(*d);
                }
        std::sort(gd.begin(), gd.end());
        std::sort(gf.begin(), gf.end());
        char gen[64] = "-";
        if (!gd.empty())
            std::snprintf(gen, sizeof gen, "%.3f / %.3f", gd[gd.size() / 2],
                          gf.empty() ? 0.0 : gf[gf.size() / 2]);
        std::string gs;
        for (const auto& [k, n] : g)
            gs += k + " " + std::to_string(n) + " ";
        std::printf(
            "| %s | %zu | %d | %.0f | %.2f | %.2f | %.3f | %.2f | %.0f | %.0f | %.2f | %s | "
            "%s|\n",
            group.c_str(), items.size(), pass, med([](const auto& q) { return q.meanLuma; }),
            med([](const auto& q) { return q.brightFraction; }),
            med([](const auto& q) { return q.darkFraction; }),
            med([](const auto& q) { return q.eyeAspectRatio; }),
            med([](const auto& q) { return q.lowerFaceOcclusion; }),
            med([](const auto& q) { return q.pose.yawDeg; }),
            med([](const auto& q) { return q.pose.pitchDeg; }),
            med([](const auto& q) { return q.faceFraction; }), gen, gs.c_str());
    }
}

}  // namespace

void qualityGateReport(const SequenceData& data) {
    std::map<std::string, int> counts;
    int frames = 0, oneFace = 0, good = 0;
    for (const auto& it : data.items) {
        if (it.source != "nuaa")
            continue;
        ++frames;
        if (!it.failure.empty()) {
            ++counts["(" + it.failure + ")"];
            continue;
        }
        ++oneFace;
        good += it.quality.acceptable();
        for (auto g : it.quality.guidance)
            ++counts[std::string(vision::guidanceInfo(g).name)];
    }
    std::printf(
        "\n## Quality gate on nuaa-dev live frames\n\n%d frames, %d with one face, %d "
        "pass the gate\n\n",
        frames, oneFace, good);
    for (const auto& [k, n] : counts)
        std::printf("* %s: %d\n", k.c_str(), n);
    qualityGateGroups(data);
}

void stillReport(const SequenceData& data, const LabelTable& labels,
                 const std::vector<Score>& scores) {
    for (Score s : scores) {
        std::printf("\n## Single still, chip vs live, matched impostors: %s\n\n", scoreName(s));
        printStillTable(stillPairs(data, labels, s),
                        s == Score::kDlib || s == Score::kDlibGrey
                            ? vision::kDefaultMaxEmbeddingDistance
                            : vision::kDefaultMaxStillScoreWithArcFace);
    }
}

// Person-disjoint choice of the fusion weight (2 folds by person).
void fusionWeightReport(const SequenceData& data, const LabelTable& labels) {
    auto fold = [](int f) {
        return [f](const std::string& person) {
            return static_cast<int>(std::hash<std::string>{}(person) % 2) == f;
        };
    };
    const std::string key = "population:east-asian";
    std::printf(
        "\n## Fusion weight, person-disjoint (East-Asian stills, 2 folds by person)\n\n"
        "score = (1 - a) dlib + a fr_feature; threshold at FAR 0.1 %% learned on one "
        "fold, applied to the other\n\n| a | fold | threshold (other fold) | FAR | FRR |"
        "\n|---|---|---|---|---|\n");
    for (double a : {0.0, 0.5, 0.7, 0.8, 0.9, 1.0}) {
        const FusionWeightScope weight(a);
        for (int f : {0, 1}) {
            auto train = stillPairs(data, labels, Score::kFused, fold(1 - f))[key];
            auto test = stillPairs(data, labels, Score::kFused, fold(f))[key];
            if (train.impostor.empty() || test.impostor.empty())
                continue;
            const double t = thresholdAtFar(train.impostor, 0.001);
            const auto op = operatingPointAt(test.genuine, test.impostor, t);
            std::printf("| %.1f | %d (%zu people, %zu gen, %zu imp) | %.3f | %s (%zu) | %s |\n", a,
                        f, test.people.size(), test.genuine.size(), test.impostor.size(), t,
                        pct3(op.far()).c_str(), op.falseAccepts, pct(op.frr()).c_str());
        }
    }
}

// Per score and best-k mean: thresholds chosen on all impostor sequences (the rule of §8, or the
// fixed early / end thresholds when given), then every sequence simulated with them.
void sequenceReport(const SequenceData& data, const std::vector<Sequence>& sequences,
                    const std::vector<Score>& scores, double targetFar, double early, double late) {
    std::size_t gen = 0, imp = 0, impN = 0;
    std::vector<const Sequence*> impostors;
    for (const auto& s : sequences) {
        gen += s.genuine;
        imp += !s.genuine;
        impN += !s.genuine && s.kind == "nuaa";
        if (!s.genuine)
            impostors.push_back(&s);
    }
    std::printf(
        "\n## Sequences\n\n%zu genuine, %zu impostor (%zu nuaa cross-person, %zu assembled "
        "from stills)\n",
        gen, imp, impN, imp - impN);
    for (Score sc : scores) {
        for (int k : {1, 2, 3, 5}) {
            vision::EvidenceConfig base;
            base.bestFrames = k;
            base.minFramesEarly = std::max(3, k);
            const auto cfg = chooseThresholds(data, impostors, sc, base, targetFar, early, late);
            std::map<std::string, std::array<std::size_t, 4>> tally;  // n, accepted, noEvidence
            std::map<std::string, std::vector<double>> times;
            for (const auto& s : sequences) {
                const auto o = simulate(data, s, sc, cfg);
                const std::string key = s.kind + (s.genuine ? " genuine" : " impostor");
                auto& t = tally[key];
                ++t[0];
                t[1] += o.verdict == vision::EvidenceVerdict::kAccept;
                t[2] += o.verdict == vision::EvidenceVerdict::kNoEvidence;
                if (s.genuine)
                    times[key].push_back(static_cast<double>(o.decisionMs) / 1000.0);
            }
            std::printf("\n### %s, mean of best %d, early %.3f (>= %d frames), end %.3f\n\n",
                        scoreName(sc), k, cfg.earlyAcceptDistance, cfg.minFramesEarly,
                        cfg.maxFusedDistance);
            for (const auto& [key, t] : tally) {
                std::string extra;
                if (auto it = times.find(key); it != times.end()) {
                    auto v = it->second;
                    std::sort(v.begin(), v.end());
                    char b[96];
                    std::snprintf(b, sizeof b, ", time to decision median %.2f s, p90 %.2f s",
                                  v[v.size() / 2], v[v.size() * 9 / 10]);
                    extra = b;
                }
                const bool genuine = key.find("genuine") != std::string::npos;
                std::printf("* %s: %zu sequences, %s %zu (%s), no evidence %zu%s\n", key.c_str(),
                            t[0], genuine ? "rejected" : "accepted", genuine ? t[0] - t[1] : t[1],
                            genuine ? pct(1.0 - double(t[1]) / t[0]).c_str()
                                    : pct3(double(t[1]) / t[0]).c_str(),
                            t[2], extra.c_str());
            }
        }
    }
}

// The shipped operating points (vision/thresholds.h), per set and sex.
void shippedReport(const SequenceData& data, const LabelTable& labels,
                   const std::vector<Sequence>& sequences) {
    forEachShippedPoint(data.haveArcFace, [&](const ShippedPoint& point) {
        const vision::EvidenceConfig& cfg = point.evidence;
        std::map<std::string, std::array<std::size_t, 2>> tally;
        std::map<std::string, std::vector<double>> times;
        for (const auto& s : sequences) {
            const auto o = simulate(data, s, point.score, cfg);
            for (const auto& key : tallyKeys(data, labels, s, true)) {
                auto& t = tally[key];
                ++t[0];
                t[1] += o.verdict == vision::EvidenceVerdict::kAccept;
                if (s.genuine && o.verdict == vision::EvidenceVerdict::kAccept)
                    times[key].push_back(static_cast<double>(o.decisionMs) / 1000.0);
            }
        }
        std::printf(
            "\n### Shipped: %s, mean of best %d, early %.3f, end %.3f, window %lld ms\n\n"
            "| sequences | n | accepted | rate | 95 %% upper (impostors) | median time to "
            "accept |\n|---|---:|---:|---|---|---|\n",
            scoreName(point.score), cfg.bestFrames, cfg.earlyAcceptDistance, cfg.maxFusedDistance,
            static_cast<long long>(cfg.windowMs));
        for (const auto& [key, t] : tally) {
            const bool genuine = key.find("genuine") != std::string::npos;
            std::string med = "-";
            if (auto it = times.find(key); it != times.end() && !it->second.empty()) {
                auto v = it->second;
                std::sort(v.begin(), v.end());
                char b[32];
                std::snprintf(b, sizeof b, "%.2f s", v[v.size() / 2]);
                med = b;
            }
            std::printf("| %s | %zu | %zu | %s | %s | %s |\n", key.c_str(), t[0], t[1],
                        genuine ? (pct(1.0 - double(t[1]) / t[0]) + " FRR").c_str()
                                : (pct3(double(t[1]) / t[0]) + " FAR").c_str(),
                        genuine ? "" : pct3(upperLimit(t[1], t[0])).c_str(), med.c_str());
        }
    });
}

}  // namespace uketsuke::calibration
