#include "bench/calibration/sequence_eval.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace uketsuke::calibration {

namespace {

double gFusionWeight = 0.5;  // a in (1 - a) * dlib + a * fr
DlibCentre gCentre{};

// The back-end of docs/calibration.md §10 (evaluation only): dlib embeddings length-normalised,
// centred on the mean of the training persons' (live and chip) embeddings, cosine distance.
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

struct SeqStats {
    std::optional<double>
        earlyMin;                 // smallest fused score once >= minFramesEarly frames, window open
    std::optional<double> final;  // fused score when the window closes
    int embedded = 0;
};

// Frame time of a sequence's idx-th frame: assembled stills are 200 ms apart.
std::int64_t frameTime(const Sequence& s, const FaceItem& item, int idx) {
    return s.kind == "stills" ? idx * 200 : item.timestampMs;
}

bool goodFrame(const Sequence& s, const FaceItem& item) {
    return s.kind == "stills" ? item.failure.empty() : item.goodFrame();
}

// One pass over the sequence collecting the two statistics the thresholds act on.
SeqStats seqStats(const SequenceData& data, const Sequence& s, Score sc,
                  const vision::EvidenceConfig& cfg) {
    vision::EvidenceAccumulator acc(cfg);
    SeqStats st;
    const FaceItem& chip = data.items[s.chip];
    int idx = 0;
    for (std::size_t f : s.frames) {
        const FaceItem& item = data.items[f];
        const std::int64_t t = frameTime(s, item, idx++);
        if (acc.windowStartMs() && t - *acc.windowStartMs() >= cfg.windowMs)
            break;
        if (!goodFrame(s, item))
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

}  // namespace

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

void setFusionWeight(double a) {
    gFusionWeight = a;
}

double fusionWeight() {
    return gFusionWeight;
}

void setDlibCentre(const DlibCentre& centre) {
    gCentre = centre;
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

std::string sexCode(const PersonLabel* label) {
    if (label && label->sex == Sex::kFemale)
        return "F";
    if (label && label->sex == Sex::kMale)
        return "M";
    return "?";
}

std::map<std::string, PairSet> stillPairs(
    const SequenceData& data, const LabelTable& labels, Score s,
    const std::function<bool(const std::string&)>& personFilter) {
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
            const std::string sex = sexCode(la);
            if (sex != "?") {
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
    // Stills assembled into sequences: all images of one person in file order (200 ms apart).
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
            out.push_back(std::move(s));
        }
    }
    return out;
}

SeqOutcome simulate(const SequenceData& data, const Sequence& s, Score sc,
                    const vision::EvidenceConfig& cfg) {
    vision::EvidenceAccumulator acc(cfg);
    const FaceItem& chip = data.items[s.chip];
    std::int64_t t0 = -1, t = 0;
    int idx = 0;
    for (std::size_t f : s.frames) {
        const FaceItem& item = data.items[f];
        t = frameTime(s, item, idx++);
        if (t0 < 0)
            t0 = t;
        if (goodFrame(s, item)) {
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

vision::EvidenceConfig chooseThresholds(const SequenceData& data,
                                        const std::vector<const Sequence*>& impostors, Score sc,
                                        vision::EvidenceConfig cfg, double targetFar,
                                        double fixedEarly, double fixedEnd) {
    std::vector<double> impEarly, impFinal;
    for (const Sequence* s : impostors) {
        const auto st = seqStats(data, *s, sc, cfg);
        impEarly.push_back(st.earlyMin.value_or(9.0));
        impFinal.push_back(st.final.value_or(9.0));
    }
    cfg.earlyAcceptDistance =
        fixedEarly > 0 ? fixedEarly : thresholdAtFar(impEarly, targetFar * 0.3);
    if (fixedEnd > 0) {
        cfg.maxFusedDistance = fixedEnd;
        return cfg;
    }
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

std::string chipPerson(const SequenceData& data, const Sequence& s) {
    return data.items[s.chip].source + "/" + data.items[s.chip].person;
}

std::string livePerson(const SequenceData& data, const Sequence& s) {
    const auto& f = data.items[s.frames.front()];
    return f.source + "/" + f.person;
}

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

std::vector<std::string> tallyKeys(const SequenceData& data, const LabelTable& labels,
                                   const Sequence& s, bool setBySex) {
    const std::string suffix = s.genuine ? " genuine" : " impostor";
    std::vector<std::string> keys{s.kind + suffix, "all" + suffix};
    if (s.kind == "stills") {
        const FaceItem& chip = data.items[s.chip];
        const std::string sex = sexCode(labels.find(chip.source, chip.person));
        keys.push_back("stills set:" + chip.source + suffix);
        keys.push_back("stills sex:" + sex + suffix);
        if (setBySex)
            keys.push_back("stills set:" + chip.source + " sex:" + sex + suffix);
    }
    return keys;
}

void forEachShippedPoint(bool haveArcFace, const std::function<void(const ShippedPoint&)>& fn) {
    const FusionWeightScope weight(vision::kDefaultArcFaceWeight);
    const vision::VerifierConfig shipped;
    fn({Score::kDlib, shipped.maxDistance, shipped.evidence});
    if (haveArcFace)
        fn({Score::kFused, shipped.maxDistanceWithArcFace, shipped.evidenceWithArcFace});
}

}  // namespace uketsuke::calibration
