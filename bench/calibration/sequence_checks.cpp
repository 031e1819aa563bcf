// The person-disjoint checks of calibrate_sequences: the held-out check of the shipped operating
// points (docs/calibration.md §9.1) and the multi-frame check of the dlib centring back-end (§10).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bench/calibration/sequence_eval.h"

namespace uketsuke::calibration {

namespace {

// Single stills: threshold = the smallest 0.1 % point of the pool and of every set, sex and
// set x sex group with >= 1 000 impostor pairs on the choosing half; reported on the other half
// beside the shipped threshold.
void heldOutStills(const SequenceData& data, const LabelTable& labels, const ShippedPoint& point,
                   const std::function<std::function<bool(const std::string&)>(int)>& onHalf) {
    const Score sc = point.score;
    for (int choose : {0, 1}) {
        const auto chosenOn = stillPairs(data, labels, sc, onHalf(choose));
        double t = 9.0;
        std::string tightest;
        for (const auto& [key, g] : chosenOn) {
            const bool eastAsianGroup =
                key.rfind("population:east-asian", 0) == 0 || key.rfind("set:", 0) == 0;
            if (g.impostor.size() < 1000 || !eastAsianGroup)
                continue;
            const double x = thresholdAtFar(g.impostor, 0.001);
            if (x < t) {
                t = x;
                tightest = key;
            }
        }
        std::printf(
            "\n### %s single still: chosen on half %d (%.3f, tightest group %s), reported on "
            "half %d\n\n| group | people | genuine | impostors | at %.3f (chosen on the other "
            "half): FAR (accepted) / FRR | at %.3f (shipped): FAR (accepted) / FRR |\n"
            "|---|---:|---:|---:|---|---|\n",
            scoreName(sc), choose, t, tightest.c_str(), 1 - choose, t, point.stillThreshold);
        for (const auto& [key, g] : stillPairs(data, labels, sc, onHalf(1 - choose))) {
            if (key.rfind("population:east-asian", 0) != 0 && key.rfind("set:", 0) != 0)
                continue;
            const auto a = operatingPointAt(g.genuine, g.impostor, t);
            const auto b = operatingPointAt(g.genuine, g.impostor, point.stillThreshold);
            std::printf("| %s | %zu | %zu | %zu%s | %s (%zu) / %s | %s (%zu) / %s |\n", key.c_str(),
                        g.people.size(), g.genuine.size(), g.impostor.size(),
                        g.impostor.size() < 3000 ? " †" : "", pct3(a.far()).c_str(), a.falseAccepts,
                        pct(a.frr()).c_str(), pct3(b.far()).c_str(), b.falseAccepts,
                        pct(b.frr()).c_str());
        }
    }
}

// Sequences: the rule of §8 on the choosing half's impostor sequences, reported on the other
// half beside the shipped thresholds.
void heldOutSequences(const SequenceData& data, const LabelTable& labels,
                      const std::vector<Sequence>& sequences,
                      const std::map<std::string, int>& half, const ShippedPoint& point) {
    const Score sc = point.score;
    const vision::EvidenceConfig& shippedCfg = point.evidence;
    const double targetFar = sc == Score::kFused ? 0.0004 : 0.0002;
    for (int choose : {0, 1}) {
        std::vector<const Sequence*> chooseImpostors;
        for (const auto& s : sequences)
            if (!s.genuine && half.at(chipPerson(data, s)) == choose &&
                half.at(livePerson(data, s)) == choose)
                chooseImpostors.push_back(&s);
        const auto chosen = chooseThresholds(data, chooseImpostors, sc, shippedCfg, targetFar);
        std::printf(
            "\n### %s sequences: chosen on half %d (%zu impostor sequences; early %.3f, end "
            "%.3f), reported on half %d\n\n| sequences | n | chosen on other half: accepted "
            "/ rate | shipped (early %.3f, end %.3f): accepted / rate |\n|---|---:|---|---|\n",
            scoreName(sc), choose, chooseImpostors.size(), chosen.earlyAcceptDistance,
            chosen.maxFusedDistance, 1 - choose, shippedCfg.earlyAcceptDistance,
            shippedCfg.maxFusedDistance);
        std::map<std::string, std::array<std::size_t, 3>> tally;  // n, acc chosen, acc shipped
        for (const auto& s : sequences) {
            if (half.at(chipPerson(data, s)) != 1 - choose ||
                half.at(livePerson(data, s)) != 1 - choose)
                continue;
            const bool a =
                simulate(data, s, sc, chosen).verdict == vision::EvidenceVerdict::kAccept;
            const bool b =
                simulate(data, s, sc, shippedCfg).verdict == vision::EvidenceVerdict::kAccept;
            for (const auto& k : tallyKeys(data, labels, s, false)) {
                auto& t = tally[k];
                ++t[0];
                t[1] += a;
                t[2] += b;
            }
        }
        for (const auto& [key, t] : tally) {
            const bool genuine = key.find("genuine") != std::string::npos;
            auto rate = [&](std::size_t acc) {
                return genuine ? pct(1.0 - double(acc) / t[0]) + " FRR"
                               : pct3(double(acc) / t[0]) + " FAR";
            };
            std::printf("| %s | %zu | %zu / %s | %zu / %s |\n", key.c_str(), t[0], t[1],
                        rate(t[1]).c_str(), t[2], rate(t[2]).c_str());
        }
    }
}

// The centre of the persons of one half: the mean of their stills' length-normalised live and
// chip dlib embeddings (n: how many).
DlibCentre learnCentre(const SequenceData& data, const std::map<std::string, int>& half, int learn,
                       std::size_t& n) {
    std::array<double, vision::kEmbeddingSize> sum{};
    n = 0;
    for (const auto& it : data.items) {
        if (it.source == "nuaa" || half.at(it.source + "/" + it.person) != learn)
            continue;
        for (const auto* e : {&it.dlib, &it.chipDlib}) {
            if (!*e)
                continue;
            double norm = 0;
            for (float x : **e)
                norm += double(x) * x;
            norm = std::sqrt(std::max(norm, 1e-24));
            for (int i = 0; i < vision::kEmbeddingSize; ++i)
                sum[i] += (**e)[i] / norm;
            ++n;
        }
    }
    DlibCentre centre{};
    for (int i = 0; i < vision::kEmbeddingSize; ++i)
        centre[i] = sum[i] / std::max<std::size_t>(n, 1);
    return centre;
}

}  // namespace

// The persons are split in two halves; the thresholds are chosen on one half by the rules that
// chose the shipped ones, and both the half-chosen and the shipped thresholds are reported on the
// other half; then the halves swap.
void heldOutCheck(const SequenceData& data, const LabelTable& labels,
                  const std::vector<Sequence>& sequences, bool haveArcFace) {
    const auto half = halves(data, labels);
    std::map<std::string, int> folderHalf;  // still folders are unique across the dev sets
    std::array<std::map<std::string, int>, 2> personsPerHalf;
    for (const auto& [key, h] : half) {
        const auto slash = key.find('/');
        folderHalf[key.substr(slash + 1)] = h;
        ++personsPerHalf[h][key.substr(0, slash)];
    }
    std::printf(
        "\n## Held-out check of the shipped operating points (2 halves of the persons)\n\n");
    for (int h : {0, 1}) {
        std::printf("* half %d:", h);
        for (const auto& [source, n] : personsPerHalf[h])
            std::printf(" %s %d", source.c_str(), n);
        std::printf("\n");
    }
    auto onHalf = [&folderHalf](int h) -> std::function<bool(const std::string&)> {
        return [&folderHalf, h](const std::string& person) {
            const auto it = folderHalf.find(person);
            return it != folderHalf.end() && it->second == h;
        };
    };
    forEachShippedPoint(haveArcFace, [&](const ShippedPoint& point) {
        heldOutStills(data, labels, point, onHalf);
        heldOutSequences(data, labels, sequences, half, point);
    });
}

// The centre is learned on one half's East-Asian stills (live and chip embeddings), sequences of
// the other half are scored raw and centred, and for each score the thresholds are set on that
// half's own impostor sequences (same rule and target for both), so the FRR compare at equal FAR.
void backendSequenceCheck(const SequenceData& data, const LabelTable& labels,
                          const std::vector<Sequence>& sequences) {
    const auto half = halves(data, labels);
    std::printf(
        "\n## dlib centring back-end, sequences, person-disjoint (2 halves)\n\n"
        "| centre learned on | reported on | score | impostor seqs | early / end | "
        "accepted impostors | nuaa genuine FRR | stills genuine FRR |\n"
        "|---|---|---|---:|---|---|---|---|\n");
    for (int learn : {0, 1}) {
        std::size_t n = 0;
        setDlibCentre(learnCentre(data, half, learn, n));
        const int test = 1 - learn;
        std::vector<const Sequence*> imp, gen;
        for (const auto& s : sequences)
            if (half.at(chipPerson(data, s)) == test && half.at(livePerson(data, s)) == test)
                (s.genuine ? gen : imp).push_back(&s);
        for (Score sc : {Score::kDlib, Score::kDlibCentred}) {
            const auto cfg =
                chooseThresholds(data, imp, sc, vision::VerifierConfig{}.evidence, 0.001);
            std::size_t fa = 0, nuaaN = 0, nuaaRej = 0, stN = 0, stRej = 0;
            for (const Sequence* s : imp)
                fa += simulate(data, *s, sc, cfg).verdict == vision::EvidenceVerdict::kAccept;
            for (const Sequence* s : gen) {
                const bool rej =
                    simulate(data, *s, sc, cfg).verdict != vision::EvidenceVerdict::kAccept;
                if (s->kind == "nuaa") {
                    ++nuaaN;
                    nuaaRej += rej;
                } else {
                    ++stN;
                    stRej += rej;
                }
            }
            std::printf(
                "| half %d (%zu embeddings) | half %d | %s | %zu | %.3f / %.3f | %zu (%s) "
                "| %s (%zu) | %s (%zu) |\n",
                learn, n, test, scoreName(sc), imp.size(), cfg.earlyAcceptDistance,
                cfg.maxFusedDistance, fa, pct3(double(fa) / imp.size()).c_str(),
                pct(double(nuaaRej) / std::max<std::size_t>(nuaaN, 1)).c_str(), nuaaN,
                pct(double(stRej) / std::max<std::size_t>(stN, 1)).c_str(), stN);
        }
    }
}

}  // namespace uketsuke::calibration
