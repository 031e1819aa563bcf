// calibrate_sequences: single-still and multi-frame error rates of the face decision (issue 12,
// docs/calibration.md §6-§8). Material: the NUAA webcam clips of ../shared/data/nuaa-dev (card
// photo made from a frame of one group, live = another group of the same person; impostors
// across persons) and sequences assembled from the East-Asian dev stills (impostors matched on
// sex, age and population by docs/calibration/labels.tsv). The decision is simulated with
// vision::EvidenceAccumulator, the rule the terminal runs.
//
//   calibrate_sequences --shared ../shared --out build/calibration [--threads 2]
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench/calibration/calibration.h"
#include "bench/calibration/sequence_data.h"
#include "vision/evidence.h"
#include "vision/thresholds.h"

namespace fs = std::filesystem;
using namespace uketsuke;
using namespace uketsuke::calibration;

namespace {

// How one chip is compared with one live item.
enum class Score { kDlib, kDlibGrey, kFr, kFrGrey, kFused, kFusedGrey, kDlibCentred };
const char* scoreName(Score s) {
    switch (s) {
        case Score::kDlib:
            return "dlib";
        case Score::kDlibGrey:
            return "dlib-grey-live";
        case Score::kFr:
            return "fr_feature";
        case Score::kFrGrey:
            return "fr_feature-grey-live";
        case Score::kFused:
            return "dlib+fr";
        case Score::kFusedGrey:
            return "dlib+fr-grey-live";
        case Score::kDlibCentred:
            return "dlib-centred";
    }
    return "?";
}

double gFusionWeight = 0.5;  // a in (1 - a) * dlib + a * fr (command line)

// The back-end of docs/calibration.md §10 (evaluation only): dlib embeddings length-normalised,
// centred on the mean of the training persons' (live and chip) embeddings, cosine distance.
std::array<double, vision::kEmbeddingSize> gCentre{};

double centredDistance(const vision::Embedding& a, const vision::Embedding& b) {
    double na = 0, nb = 0;
    for (int i = 0; i < vision::kEmbeddingSize; ++i) {
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    na = std::sqrt(std::max(na, 1e-24));
    nb = std::sqrt(std::max(nb, 1e-24));
    double dot = 0, xa = 0, xb = 0;
    for (int i = 0; i < vision::kEmbeddingSize; ++i) {
        const double u = a[i] / na - gCentre[i], v = b[i] / nb - gCentre[i];
        dot += u * v;
        xa += u * u;
        xb += v * v;
    }
    return 1.0 - dot / std::sqrt(std::max(xa * xb, 1e-24));
}

std::optional<double> score(Score s, const FaceItem& chip, const FaceItem& live) {
    auto dl = [&](const std::optional<vision::Embedding>& e) -> std::optional<double> {
        if (!chip.chipDlib || !e)
            return std::nullopt;
        return vision::distance(*chip.chipDlib, *e).value;
    };
    auto fr = [&](const std::optional<vision::ArcFaceEmbedding>& e) -> std::optional<double> {
        if (!chip.chipFr || !e)
            return std::nullopt;
        return vision::arcFaceDistance(*chip.chipFr, *e);
    };
    switch (s) {
        case Score::kDlibCentred:
            if (!chip.chipDlib || !live.dlib)
                return std::nullopt;
            return centredDistance(*chip.chipDlib, *live.dlib);
        case Score::kDlib:
            return dl(live.dlib);
        case Score::kDlibGrey:
            return dl(live.dlibGrey);
        case Score::kFr:
            return fr(live.fr);
        case Score::kFrGrey:
            return fr(live.frGrey);
        case Score::kFused:
        case Score::kFusedGrey: {
            const bool grey = s == Score::kFusedGrey;
            auto a = dl(grey ? live.dlibGrey : live.dlib);
            auto b = fr(grey ? live.frGrey : live.fr);
            if (!a || !b)
                return std::nullopt;
            return (1.0 - gFusionWeight) * *a + gFusionWeight * *b;
        }
    }
    return std::nullopt;
}

struct Labelled {
    const PersonLabel* label = nullptr;
};

std::string pct(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", 100.0 * x);
    return b;
}
std::string pct3(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f %%", 100.0 * x);
    return b;
}

// ---- Single stills ----

struct PairSet {
    std::vector<double> genuine, impostor;
    std::set<std::string> people;
};

// Chip of still i vs live still j, per group key.
std::map<std::string, PairSet> stillPairs(
    const SequenceData& data, const LabelTable& labels, Score s,
    const std::function<bool(const std::string&)>& personFilter = {}) {
    std::map<std::string, PairSet> groups;
    std::vector<std::size_t> stills;
    for (std::size_t i = 0; i < data.items.size(); ++i)
        if (data.items[i].source != "nuaa" && data.items[i].failure.empty())
            stills.push_back(i);
    for (std::size_t a : stills) {
        const FaceItem& chip = data.items[a];
        if (!chip.chipDlib)
            continue;
        const PersonLabel* la = labels.find(chip.source, chip.person);
        if (!la || (personFilter && !personFilter(chip.person)))
            continue;
        for (std::size_t b : stills) {
            if (a == b)
                continue;
            const FaceItem& live = data.items[b];
            const PersonLabel* lb = labels.find(live.source, live.person);
            if (!lb || (personFilter && !personFilter(live.person)))
                continue;
            const bool genuine = chip.source == live.source && chip.person == live.person;
            if (!genuine && !similarPeople(*la, *lb, 10))
                continue;
            const auto d = score(s, chip, live);
            if (!d)
                continue;
            std::vector<std::string> keys{"population:" + la->population};
            if (chip.source == live.source)
                keys.push_back("set:" + chip.source);
            const std::string sex = la->sex == Sex::kFemale ? "F"
                                    : la->sex == Sex::kMale ? "M"
                                                            : "";
            if (!sex.empty()) {
                keys.push_back("population:" + la->population + " sex:" + sex);
                if (chip.source == live.source)
                    keys.push_back("set:" + chip.source + " sex:" + sex);
            }
            for (const auto& k : keys) {
                auto& g = groups[k];
                (genuine ? g.genuine : g.impostor).push_back(*d);
                g.people.insert(chip.source + "/" + chip.person);
            }
        }
    }
    return groups;
}

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

// ---- Sequences ----

struct Sequence {
    std::size_t chip;                 // item index
    std::vector<std::size_t> frames;  // item indices, in time order
    bool genuine = false;
    std::string kind;  // "nuaa", "stills"
    int offset = 0;    // nuaa: the look starts at this frame of the live group
};

std::vector<Sequence> makeSequences(const SequenceData& data, const LabelTable& labels,
                                    const std::vector<int>& offsets) {
    std::vector<Sequence> out;
    // NUAA groups.
    std::map<std::string, std::vector<std::size_t>> groups;  // group -> frames
    std::map<std::string, std::string> personOf;
    for (std::size_t i = 0; i < data.items.size(); ++i) {
        const auto& it = data.items[i];
        if (it.source != "nuaa")
            continue;
        groups[it.group].push_back(i);
        personOf[it.group] = it.person;
    }
    for (std::size_t c = 0; c < data.items.size(); ++c) {
        const auto& chip = data.items[c];
        if (chip.source != "nuaa" || !chip.chipDlib)
            continue;
        for (const auto& [group, frames] : groups) {
            if (group == chip.group)
                continue;
            const bool genuine = personOf[group] == chip.person;
            for (int offset : genuine ? offsets : std::vector<int>{0}) {
                if (offset >= static_cast<int>(frames.size()))
                    continue;
                Sequence s{c, {frames.begin() + offset, frames.end()}, genuine, "nuaa", offset};
                out.push_back(std::move(s));
            }
        }
    }
    // Stills assembled into sequences: all images of one person in file order.
    std::map<std::string, std::vector<std::size_t>> people;
    for (std::size_t i = 0; i < data.items.size(); ++i)
        if (data.items[i].source != "nuaa")
            people[data.items[i].source + "/" + data.items[i].person].push_back(i);
    for (std::size_t c = 0; c < data.items.size(); ++c) {
        const auto& chip = data.items[c];
        if (chip.source == "nuaa" || !chip.chipDlib)
            continue;
        const PersonLabel* la = labels.find(chip.source, chip.person);
        if (!la)
            continue;
        for (const auto& [key, frames] : people) {
            const auto& first = data.items[frames.front()];
            const bool genuine = first.source == chip.source && first.person == chip.person;
            const PersonLabel* lb = labels.find(first.source, first.person);
            if (!lb || (!genuine && !similarPeople(*la, *lb, 10)))
                continue;
            Sequence s{c, {}, genuine, "stills"};
            for (std::size_t f : frames)
                if (f != c)
                    s.frames.push_back(f);
            // Timestamps of the assembled sequence: 200 ms apart from its first frame.
            out.push_back(std::move(s));
        }
    }
    return out;
}

struct SeqStats {
    std::optional<double>
        earlyMin;                 // smallest fused score once >= minFramesEarly frames, window open
    std::optional<double> final;  // fused score when the window closes
    int embedded = 0;
};

// One pass over the sequence collecting the two statistics the thresholds act on.
SeqStats seqStats(const SequenceData& data, const Sequence& s, Score sc,
                  const vision::EvidenceConfig& cfg) {
    vision::EvidenceAccumulator acc(cfg);
    SeqStats st;
    const FaceItem& chip = data.items[s.chip];
    std::int64_t t0 = 0;
    bool first = true;
    int idx = 0;
    for (std::size_t f : s.frames) {
        const FaceItem& item = data.items[f];
        const std::int64_t t = s.kind == "stills" ? idx * 200 : item.timestampMs;
        ++idx;
        if (first) {
            t0 = t;
            first = false;
        }
        (void)t0;
        if (acc.windowStartMs() && t - *acc.windowStartMs() >= cfg.windowMs)
            break;
        const bool good = s.kind == "stills" ? item.failure.empty() : item.goodFrame();
        if (!good)
            continue;
        const auto d = score(sc, chip, item);
        if (!d) {
            acc.noteGoodFrame(t);
            continue;
        }
        acc.addDistance(t, *d);
        if (acc.count() >= cfg.minFramesEarly) {
            const double fz = *acc.fused();
            st.earlyMin = st.earlyMin ? std::min(*st.earlyMin, fz) : fz;
        }
    }
    st.final = acc.fused();
    st.embedded = acc.count();
    return st;
}

struct SeqOutcome {
    vision::EvidenceVerdict verdict;
    std::int64_t decisionMs;  // from the sequence's first frame
};

SeqOutcome simulate(const SequenceData& data, const Sequence& s, Score sc,
                    const vision::EvidenceConfig& cfg) {
    vision::EvidenceAccumulator acc(cfg);
    const FaceItem& chip = data.items[s.chip];
    std::int64_t t0 = -1, t = 0;
    int idx = 0;
    for (std::size_t f : s.frames) {
        const FaceItem& item = data.items[f];
        t = s.kind == "stills" ? idx * 200 : item.timestampMs;
        ++idx;
        if (t0 < 0)
            t0 = t;
        const bool good = s.kind == "stills" ? item.failure.empty() : item.goodFrame();
        if (good) {
            if (const auto d = score(sc, chip, item))
                acc.addDistance(t, *d);
            else
                acc.noteGoodFrame(t);
        }
        const auto v = acc.verdict(t);
        if (v != vision::EvidenceVerdict::kPending)
            return {v, t - t0};
    }
    return {acc.verdict(t, true), t - t0};
}

// The multi-frame thresholds chosen on these impostor sequences (the rule of §8): the early
// threshold lets at most 0.3 x targetFar of the impostors ever reach it; the end threshold is the
// largest value keeping the impostors accepted either way at or under targetFar.
vision::EvidenceConfig chooseThresholds(const SequenceData& data,
                                        const std::vector<const Sequence*>& impostors, Score sc,
                                        vision::EvidenceConfig cfg, double targetFar) {
    std::vector<double> impEarly, impFinal;
    for (const Sequence* s : impostors) {
        const auto st = seqStats(data, *s, sc, cfg);
        impEarly.push_back(st.earlyMin.value_or(9.0));
        impFinal.push_back(st.final.value_or(9.0));
    }
    cfg.earlyAcceptDistance = thresholdAtFar(impEarly, targetFar * 0.3);
    double best = 0.0;
    for (double T = 0.0; T < 2.0; T += 0.001) {
        std::size_t acc = 0;
        for (std::size_t i = 0; i < impEarly.size(); ++i)
            acc += impEarly[i] <= cfg.earlyAcceptDistance || impFinal[i] <= T;
        if (static_cast<double>(acc) > targetFar * impEarly.size())
            break;
        best = T;
    }
    cfg.maxFusedDistance = std::max(best, cfg.earlyAcceptDistance);
    return cfg;
}

// Person key of a sequence's chip and of its live frames ("source/person").
std::string chipPerson(const SequenceData& data, const Sequence& s) {
    return data.items[s.chip].source + "/" + data.items[s.chip].person;
}
std::string livePerson(const SequenceData& data, const Sequence& s) {
    const auto& f = data.items[s.frames.front()];
    return f.source + "/" + f.person;
}

// Two halves of the persons for the held-out check: per stratum (source and sex), persons in
// name order dealt alternately (deterministic, balanced by set and sex).
std::map<std::string, int> halves(const SequenceData& data, const LabelTable& labels) {
    std::map<std::string, std::set<std::string>> strata;
    for (const auto& it : data.items) {
        const PersonLabel* l = it.source == "nuaa" ? nullptr : labels.find(it.source, it.person);
        const std::string sex = !l ? "?" : l->sex == Sex::kFemale ? "F" : "M";
        strata[it.source + sex].insert(it.source + "/" + it.person);
    }
    std::map<std::string, int> half;
    int deal = 0;
    for (const auto& [_, persons] : strata)
        for (const auto& p : persons)
            half[p] = deal++ % 2;
    return half;
}

// Held-out check of the shipped operating points (docs/calibration.md §9.1): the persons are
// split in two halves; the thresholds are chosen on one half by the rules that chose the shipped
// ones, and both the half-chosen and the shipped thresholds are reported on the other half; then
// the halves swap.
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
    auto onHalf = [&](int h) {
        return [&folderHalf, h](const std::string& person) {
            const auto it = folderHalf.find(person);
            return it != folderHalf.end() && it->second == h;
        };
    };
    const double saved = gFusionWeight;
    gFusionWeight = vision::kDefaultArcFaceWeight;
    const vision::VerifierConfig shipped;
    for (Score sc : {Score::kDlib, Score::kFused}) {
        if (sc == Score::kFused && !haveArcFace)
            continue;
        // ---- Single stills: threshold = the smallest 0.1 % point of the pool and of every set,
        // sex and set x sex group with >= 1 000 impostor pairs on the choosing half.
        const double shippedStill =
            sc == Score::kFused ? shipped.maxDistanceWithArcFace : shipped.maxDistance;
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
                scoreName(sc), choose, t, tightest.c_str(), 1 - choose, t, shippedStill);
            for (const auto& [key, g] : stillPairs(data, labels, sc, onHalf(1 - choose))) {
                if (key.rfind("population:east-asian", 0) != 0 && key.rfind("set:", 0) != 0)
                    continue;
                const auto a = operatingPointAt(g.genuine, g.impostor, t);
                const auto b = operatingPointAt(g.genuine, g.impostor, shippedStill);
                std::printf("| %s | %zu | %zu | %zu%s | %s (%zu) / %s | %s (%zu) / %s |\n",
                            key.c_str(), g.people.size(), g.genuine.size(), g.impostor.size(),
                            g.impostor.size() < 3000 ? " †" : "", pct3(a.far()).c_str(),
                            a.falseAccepts, pct(a.frr()).c_str(), pct3(b.far()).c_str(),
                            b.falseAccepts, pct(b.frr()).c_str());
            }
        }
        // ---- Sequences: the rule of §8 on the choosing half's impostor sequences.
        const vision::EvidenceConfig shippedCfg =
            sc == Score::kFused ? shipped.evidenceWithArcFace : shipped.evidence;
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
                const FaceItem& chip = data.items[s.chip];
                const std::string suffix = s.genuine ? " genuine" : " impostor";
                std::vector<std::string> keys{s.kind + suffix, "all" + suffix};
                if (s.kind == "stills") {
                    const PersonLabel* l = labels.find(chip.source, chip.person);
                    const std::string sex = l && l->sex == Sex::kFemale ? "F"
                                            : l && l->sex == Sex::kMale ? "M"
                                                                        : "?";
                    keys.push_back("stills set:" + chip.source + suffix);
                    keys.push_back("stills sex:" + sex + suffix);
                }
                const bool a =
                    simulate(data, s, sc, chosen).verdict == vision::EvidenceVerdict::kAccept;
                const bool b =
                    simulate(data, s, sc, shippedCfg).verdict == vision::EvidenceVerdict::kAccept;
                for (const auto& k : keys) {
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
    gFusionWeight = saved;
}

// Multi-frame, person-disjoint check of the dlib centring back-end (docs/calibration.md §10):
// the centre is learned on one half's East-Asian stills (live and chip embeddings), sequences of
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
        std::array<double, vision::kEmbeddingSize> sum{};
        std::size_t n = 0;
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
        for (int i = 0; i < vision::kEmbeddingSize; ++i)
            gCentre[i] = sum[i] / std::max<std::size_t>(n, 1);
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

}  // namespace

// ---- Genuine acceptance with the presentation-attack check in the loop (issue 13) ----
// `padEval` is evaluate_pad's pad-eval.json: per nuaa live look ("<group> from <offset>") the
// verdict of the PAD check after each face frame, with the texture model and thresholds chosen
// without that look's person (nested leave-one-person-out). The verifier (vision/face_verifier)
// consults the check only once the match has accepted and then accepts at the first `live`,
// refuses at the first `spoof_suspected`, and otherwise returns liveness_unsure (the session's
// active challenge) when the clip or the budget ends.
enum class Combined { kAccepted, kMatchRejected, kPadRefused, kChallenge, kNoPadLook };

struct CombinedOutcome {
    Combined code;
    std::int64_t acceptMs = -1;  // from the sequence's first frame, when accepted
};

CombinedOutcome combine(const nlohmann::json& timeline, vision::EvidenceVerdict match,
                        std::int64_t matchAbsMs, std::int64_t firstAbsMs) {
    if (match != vision::EvidenceVerdict::kAccept)
        return {Combined::kMatchRejected};
    if (!timeline.is_array() || timeline.empty())
        return {Combined::kNoPadLook};
    std::string verdict = timeline.back()[1].get<std::string>();  // the check at the clip's end
    std::int64_t at = std::max(matchAbsMs, timeline.back()[0].get<std::int64_t>());
    for (const auto& e : timeline) {
        const std::int64_t t = e[0].get<std::int64_t>();
        const std::string v = e[1].get<std::string>();
        if (t >= matchAbsMs && (v == "live" || v == "spoof_suspected")) {
            verdict = v;
            at = t;
            break;
        }
    }
    if (verdict == "live")
        return {Combined::kAccepted, at - firstAbsMs};
    if (verdict == "spoof_suspected")
        return {Combined::kPadRefused};
    return {Combined::kChallenge};
}

void genuineWithPad(const SequenceData& data, const std::vector<Sequence>& sequences,
                    const fs::path& padEvalFile) {
    std::ifstream in(padEvalFile);
    nlohmann::json pad;
    try {
        in >> pad;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cannot read %s: %s\n", padEvalFile.c_str(), e.what());
        return;
    }
    std::map<std::string, nlohmann::json> looks;
    if (pad.contains("kinds") && pad["kinds"].contains("nuaa-live"))
        for (const auto& l : pad["kinds"]["nuaa-live"]["per_look"])
            looks[l["id"].get<std::string>()] = l.value("timeline", nlohmann::json());
    std::printf(
        "\n## Genuine acceptance with the presentation-attack check in the loop (nuaa genuine "
        "sequences; PAD verdicts nested leave-one-person-out from %s)\n\n"
        "| score | sequences | match accepted | match rejected (FRR match alone) | accepted with "
        "PAD | PAD refused | PAD unsure -> challenge | no PAD look | FRR match + passive PAD | "
        "refused outright (mismatch or PAD) | median / p90 time to accept: match alone -> with "
        "PAD |\n|---|---:|---:|---|---:|---:|---:|---:|---|---|---|\n",
        padEvalFile.filename().c_str());
    const double savedWeight = gFusionWeight;
    gFusionWeight = vision::kDefaultArcFaceWeight;
    for (Score sc : {Score::kDlib, Score::kFused}) {
        if (sc == Score::kFused && !data.haveArcFace)
            continue;
        const vision::VerifierConfig shipped;
        const vision::EvidenceConfig cfg =
            sc == Score::kFused ? shipped.evidenceWithArcFace : shipped.evidence;
        std::map<Combined, int> n;
        std::map<std::string, std::array<int, 3>> perLook;  // sequences, match ok, with PAD
        int total = 0, matchOk = 0;
        std::vector<double> tMatch, tBoth;
        for (const auto& s : sequences) {
            if (!s.genuine || s.kind != "nuaa")
                continue;
            ++total;
            const auto o = simulate(data, s, sc, cfg);
            const FaceItem& first = data.items[s.frames.front()];
            const std::string id = first.group + " from " + std::to_string(s.offset);
            const auto it = looks.find(id);
            const CombinedOutcome c =
                combine(it == looks.end() ? nlohmann::json() : it->second, o.verdict,
                        first.timestampMs + o.decisionMs, first.timestampMs);
            ++n[c.code];
            auto& pl = perLook[id];
            ++pl[0];
            if (o.verdict == vision::EvidenceVerdict::kAccept) {
                ++matchOk;
                ++pl[1];
                tMatch.push_back(static_cast<double>(o.decisionMs) / 1000.0);
            }
            if (c.code == Combined::kAccepted) {
                ++pl[2];
                tBoth.push_back(static_cast<double>(c.acceptMs) / 1000.0);
            }
        }
        auto q = [](std::vector<double> v, double p) {
            if (v.empty())
                return 0.0;
            std::sort(v.begin(), v.end());
            return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
        };
        const int rejected = total - matchOk;
        const int notAccepted = total - n[Combined::kAccepted];
        std::printf(
            "| %s | %d | %d | %d (%s) | %d | %d | %d | %d | %d (%s) | %d (%s) | %.2f / %.2f s -> "
            "%.2f / %.2f s |\n",
            scoreName(sc), total, matchOk, rejected, pct(double(rejected) / total).c_str(),
            n[Combined::kAccepted], n[Combined::kPadRefused], n[Combined::kChallenge],
            n[Combined::kNoPadLook], notAccepted, pct(double(notAccepted) / total).c_str(),
            rejected + n[Combined::kPadRefused],
            pct(double(rejected + n[Combined::kPadRefused]) / total).c_str(), q(tMatch, 0.5),
            q(tMatch, 0.9), q(tBoth, 0.5), q(tBoth, 0.9));
        std::printf("\n%s per live look (sequences / match accepted / accepted with PAD):",
                    scoreName(sc));
        for (const auto& [id, v] : perLook)
            std::printf(" %s %d/%d/%d;", id.c_str(), v[0], v[1], v[2]);
        std::printf("\n\n");
    }
    gFusionWeight = savedWeight;
}

int main(int argc, char** argv) {
    CLI::App app{"Single-still and multi-frame calibration (docs/calibration.md §6-§8)"};
    fs::path shared = UKETSUKE_CALIB_SHARED_DIR;
    fs::path out = "calibration";
    fs::path models = UKETSUKE_CALIB_MODELS_DIR;
    fs::path labelsFile = UKETSUKE_CALIB_LABELS_FILE;
    SequenceDataOptions options;
    bool noCache = false;
    double early = -1, late = -1, targetFar = 0.001;
    std::vector<std::string> only;
    std::string scoreArg = "dlib";
    fs::path padEval;
    app.add_option("--shared", shared, "the shared folder (data/nuaa-dev, data/faces-dev)");
    app.add_option("--out", out, "output folder (build directory) for the cache");
    app.add_option("--models", models, "model folder");
    app.add_option("--labels", labelsFile, "labels TSV");
    app.add_option("--threads", options.threads, "analysis threads");
    app.add_option("--max-images-per-person", options.maxImagesPerPerson, "stills per person");
    app.add_option("--fusion-weight", gFusionWeight, "w in dlib + w * fr_feature");
    app.add_option("--early", early, "early-accept threshold to evaluate (default: calibrated)");
    app.add_option("--late", late, "end-of-window threshold to evaluate (default: calibrated)");
    app.add_flag("--no-cache", noCache, "keep no cache");
    app.add_option("--target-far", targetFar, "sequence FAR the thresholds are chosen for");
    app.add_option("--scores", only, "scores to evaluate (dlib, dlib-grey-live, fr_feature, ...)");
    app.add_flag("--refresh-quality", options.refreshQuality,
                 "re-run the quality gate on cached nuaa-dev frames");
    app.add_option("--pad-eval", padEval,
                   "evaluate_pad's pad-eval.json: genuine acceptance with the PAD in the loop");
    CLI11_PARSE(app, argc, argv);

    auto labels = LabelTable::load(labelsFile);
    if (!labels) {
        std::cerr << labels.error() << "\n";
        return 2;
    }
    options.nuaaDir = shared / "data" / "nuaa-dev";
    options.facesDevDir = shared / "data" / "faces-dev";
    options.modelsDir = models;
    if (!noCache)
        options.cacheFile = out / "sequences.cache.json";
    options.progress = [](std::size_t done, std::size_t total) {
        if (done % 50 == 0 || done == total)
            std::cerr << "\ranalysed " << done << " / " << total << std::flush;
    };
    auto loaded = loadSequenceData(options);
    if (!loaded) {
        std::cerr << loaded.error() << "\n";
        return 2;
    }
    const SequenceData& data = loaded.value();
    std::cerr << "\n"
              << data.items.size() << " items (" << data.cacheHits << " from cache), "
              << data.seconds << " s; fr_feature " << (data.haveArcFace ? "present" : "absent")
              << "\n";

    // ---- Quality gate on the NUAA live frames ----
    {
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
        // Per group: medians of the measures the gates act on.
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
                    if (chip.source == "nuaa" && chip.person == it->person &&
                        chip.group != it->group) {
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

    // ---- Single stills ----
    std::vector<Score> scores{Score::kDlib, Score::kDlibGrey};
    if (data.haveArcFace)
        for (Score s : {Score::kFr, Score::kFrGrey, Score::kFused, Score::kFusedGrey})
            scores.push_back(s);
    if (!only.empty())
        scores.erase(std::remove_if(scores.begin(), scores.end(),
                                    [&](Score s) {
                                        return std::find(only.begin(), only.end(), scoreName(s)) ==
                                               only.end();
                                    }),
                     scores.end());
    for (Score s : scores) {
        std::printf("\n## Single still, chip vs live, matched impostors: %s\n\n", scoreName(s));
        printStillTable(stillPairs(data, *labels, s),
                        s == Score::kDlib || s == Score::kDlibGrey
                            ? vision::kDefaultMaxEmbeddingDistance
                            : vision::kDefaultMaxStillScoreWithArcFace);
    }

    // ---- Person-disjoint choice of the fusion weight (2 folds by person) ----
    if (data.haveArcFace) {
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
        const double saved = gFusionWeight;
        for (double a : {0.0, 0.5, 0.7, 0.8, 0.9, 1.0}) {
            gFusionWeight = a;
            for (int f : {0, 1}) {
                auto train = stillPairs(data, *labels, Score::kFused, fold(1 - f))[key];
                auto test = stillPairs(data, *labels, Score::kFused, fold(f))[key];
                if (train.impostor.empty() || test.impostor.empty())
                    continue;
                const double t = thresholdAtFar(train.impostor, 0.001);
                const auto op = operatingPointAt(test.genuine, test.impostor, t);
                std::printf("| %.1f | %d (%zu people, %zu gen, %zu imp) | %.3f | %s (%zu) | %s |\n",
                            a, f, test.people.size(), test.genuine.size(), test.impostor.size(), t,
                            pct3(op.far()).c_str(), op.falseAccepts, pct(op.frr()).c_str());
            }
        }
        gFusionWeight = saved;
    }

    // ---- Sequences ----
    const auto sequences = makeSequences(data, labels.value(), {0, 10, 20});
    std::size_t gen = 0, imp = 0, impN = 0;
    for (const auto& s : sequences) {
        gen += s.genuine;
        imp += !s.genuine;
        impN += !s.genuine && s.kind == "nuaa";
    }
    std::printf(
        "\n## Sequences\n\n%zu genuine, %zu impostor (%zu nuaa cross-person, %zu assembled "
        "from stills)\n",
        gen, imp, impN, imp - impN);
    for (Score sc : scores) {
        for (int k : {1, 2, 3, 5}) {
            vision::EvidenceConfig cfg;
            cfg.bestFrames = k;
            cfg.minFramesEarly = std::max(3, k);
            std::vector<double> impEarly, impFinal;
            std::vector<SeqStats> stats;
            for (const auto& s : sequences) {
                stats.push_back(seqStats(data, s, sc, cfg));
                if (!s.genuine) {
                    impEarly.push_back(stats.back().earlyMin.value_or(9.0));
                    impFinal.push_back(stats.back().final.value_or(9.0));
                }
            }
            // Early threshold: at most 0.03 % of impostors ever reach it; end threshold: the
            // largest value keeping the union of both ways in at most 0.1 %.
            cfg.earlyAcceptDistance = early > 0 ? early : thresholdAtFar(impEarly, targetFar * 0.3);
            if (late > 0) {
                cfg.maxFusedDistance = late;
            } else {
                double best = 0.0;
                for (double T = 0.0; T < 2.0; T += 0.001) {
                    std::size_t acc = 0;
                    for (std::size_t i = 0; i < impEarly.size(); ++i)
                        acc += impEarly[i] <= cfg.earlyAcceptDistance || impFinal[i] <= T;
                    if (static_cast<double>(acc) > targetFar * impEarly.size())
                        break;
                    best = T;
                }
                cfg.maxFusedDistance = std::max(best, cfg.earlyAcceptDistance);
            }
            // Simulate with the chosen thresholds.
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
    // ---- The shipped operating points (vision/thresholds.h), per set and sex ----
    const double savedWeight = gFusionWeight;
    gFusionWeight = vision::kDefaultArcFaceWeight;
    for (Score sc : {Score::kDlib, Score::kFused}) {
        if (sc == Score::kFused && !data.haveArcFace)
            continue;
        const vision::VerifierConfig shipped;
        const vision::EvidenceConfig cfg =
            sc == Score::kFused ? shipped.evidenceWithArcFace : shipped.evidence;
        std::map<std::string, std::array<std::size_t, 2>> tally;
        std::map<std::string, std::vector<double>> times;
        for (const auto& s : sequences) {
            const auto o = simulate(data, s, sc, cfg);
            const FaceItem& chip = data.items[s.chip];
            std::vector<std::string> keys{
                s.kind + (s.genuine ? " genuine" : " impostor"),
                std::string("all ") + (s.genuine ? "genuine" : "impostor")};
            if (s.kind == "stills") {
                const PersonLabel* l = labels->find(chip.source, chip.person);
                const std::string sex = l && l->sex == Sex::kFemale ? "F"
                                        : l && l->sex == Sex::kMale ? "M"
                                                                    : "?";
                const std::string suffix = s.genuine ? " genuine" : " impostor";
                keys.push_back("stills set:" + chip.source + suffix);
                keys.push_back("stills sex:" + sex + suffix);
                keys.push_back("stills set:" + chip.source + " sex:" + sex + suffix);
            }
            for (const auto& key : keys) {
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
            scoreName(sc), cfg.bestFrames, cfg.earlyAcceptDistance, cfg.maxFusedDistance,
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
    }
    gFusionWeight = savedWeight;

    if (!padEval.empty())
        genuineWithPad(data, sequences, padEval);
    heldOutCheck(data, labels.value(), sequences, data.haveArcFace);
    backendSequenceCheck(data, labels.value(), sequences);
    return 0;
}
