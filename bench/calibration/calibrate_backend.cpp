// calibrate_backend: score adaptation for the population (issue 12 point 5, docs/calibration.md
// §10). Back-ends over the dlib and fr_feature embeddings, trained on the East-Asian dev
// identities and evaluated strictly person-disjoint: the persons are split into folds (stratified
// by set and sex), a back-end is trained on the other folds' persons only, and scored on chip-vs-
// live pairs whose both persons are in the held-out fold (genuine: same person; impostors: same
// sex, age within 10 years, same population). The figure of merit is the FRR at FAR 0.1 % on the
// held-out pairs, paired against the raw score on exactly the same pairs, over several random
// partitions.
//
// Back-ends (all trained on live AND chip-style embeddings of the training persons, so the
// chip/live domain gap is part of the within-person variation):
//   raw     production distances (dlib Euclidean, fr_feature cosine);
//   wccn    length-normalised, centred, whitened by the regularised within-class covariance
//           (Sw + r tr(Sw)/D I)^-1/2, cosine distance;
//   lda     wccn followed by the top-d directions of the whitened between-class scatter, cosine;
//   plda    two-covariance PLDA log-likelihood ratio in the lda space (negated: lower = same);
//   snorm   adaptive symmetric score normalisation of the raw distance against a cohort made of
//           the training persons' images (top-K most similar), evaluation only: it needs the
//           cohort's embeddings at run time, which the terminal may not ship.
//
// Reads the embeddings from calibrate_sequences' cache (build directory); embeds what is missing.
//
//   calibrate_backend --out build/calibration [--repeats 5] [--folds 2]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>

#include "bench/calibration/calibration_command.h"
#include "vision/thresholds.h"

namespace fs = std::filesystem;
using namespace uketsuke;
using namespace uketsuke::calibration;

namespace {

enum class Kind { kDlib, kFr };
const char* kindName(Kind k) {
    return k == Kind::kDlib ? "dlib" : "fr_feature";
}

// One still of the pool, both its embeddings as live image and as chip-style photo.
struct Still {
    std::size_t item = 0;
    int person = 0;
    cv::Mat live[2], chip[2];  // [Kind] row vectors CV_64F; empty when missing
};

struct Person {
    std::string key, set;
    const PersonLabel* label = nullptr;
};

cv::Mat row(const float* p, int n) {
    cv::Mat m(1, n, CV_64F);
    for (int i = 0; i < n; ++i)
        m.at<double>(0, i) = p[i];
    return m;
}

cv::Mat unit(const cv::Mat& v) {
    const double n = cv::norm(v);
    return n > 0 ? cv::Mat(v / n) : v.clone();
}

double cosineDistance(const cv::Mat& a, const cv::Mat& b) {
    return 1.0 - a.dot(b) / std::max(1e-12, cv::norm(a) * cv::norm(b));
}

double rawDistance(Kind k, const cv::Mat& chip, const cv::Mat& live) {
    return k == Kind::kDlib ? cv::norm(chip, live, cv::NORM_L2) : cosineDistance(chip, live);
}

// Symmetric matrix power (eigen-decomposition), for whitening.
cv::Mat symPow(const cv::Mat& s, double power) {
    cv::Mat evals, evecs;
    cv::eigen(s, evals, evecs);  // rows of evecs are eigenvectors
    cv::Mat d = cv::Mat::zeros(s.rows, s.cols, CV_64F);
    for (int i = 0; i < s.rows; ++i)
        d.at<double>(i, i) = std::pow(std::max(evals.at<double>(i), 1e-12), power);
    return evecs.t() * d * evecs;
}

// A trained linear back-end: y = (unit(x) - mean) * projection^T; score by cosine or PLDA.
struct Backend {
    std::string name;
    bool identity = true;  // raw distance
    cv::Mat mean;          // 1 x D
    cv::Mat projection;    // d x D
    // PLDA (two-covariance) in the projected space: llr = x'Qx + y'Qy + 2x'Py (+ const).
    bool plda = false;
    cv::Mat Q, P;

    cv::Mat project(const cv::Mat& x) const {
        if (identity)
            return x;
        return (unit(x) - mean) * projection.t();
    }
    // Lower = same person. Inputs already projected.
    double score(Kind k, const cv::Mat& a, const cv::Mat& b) const {
        if (identity)
            return rawDistance(k, a, b);
        if (plda) {
            const double llr = cv::Mat(a * Q * a.t()).at<double>(0) +
                               cv::Mat(b * Q * b.t()).at<double>(0) +
                               2.0 * cv::Mat(a * P * b.t()).at<double>(0);
            return -llr;
        }
        return cosineDistance(a, b);
    }
};

struct TrainingSet {
    std::vector<cv::Mat> x;  // unit-length rows
    std::vector<int> label;
};

// ridge: r in Sw + r tr(Sw)/D I; ldaDims 0 = no LDA; plda: add the PLDA scorer.
Backend train(const TrainingSet& t, double ridge, int ldaDims, bool plda) {
    Backend b;
    b.identity = false;
    const int D = t.x.front().cols;
    cv::Mat mean = cv::Mat::zeros(1, D, CV_64F);
    for (const auto& v : t.x)
        mean += v;
    mean /= static_cast<double>(t.x.size());
    std::map<int, std::pair<cv::Mat, int>> classes;
    for (std::size_t i = 0; i < t.x.size(); ++i) {
        auto& c = classes[t.label[i]];
        if (c.first.empty())
            c.first = cv::Mat::zeros(1, D, CV_64F);
        c.first += t.x[i];
        ++c.second;
    }
    for (auto& [_, c] : classes)
        c.first /= c.second;
    cv::Mat sw = cv::Mat::zeros(D, D, CV_64F), sb = cv::Mat::zeros(D, D, CV_64F);
    for (std::size_t i = 0; i < t.x.size(); ++i) {
        const cv::Mat d = t.x[i] - classes[t.label[i]].first;
        sw += d.t() * d;
    }
    sw /= static_cast<double>(t.x.size());
    for (const auto& [_, c] : classes) {
        const cv::Mat d = c.first - mean;
        sb += d.t() * d;
    }
    sb /= static_cast<double>(classes.size());
    const double tr = cv::trace(sw)[0] / D;
    const cv::Mat reg = sw + ridge * tr * cv::Mat::eye(D, D, CV_64F);
    cv::Mat whiten = symPow(reg, -0.5);  // D x D, symmetric
    b.mean = mean;
    b.projection = whiten;
    if (ldaDims > 0) {
        const cv::Mat sbw = whiten * sb * whiten;
        cv::Mat evals, evecs;
        cv::eigen(sbw, evals, evecs);
        const int d = std::min(ldaDims, D);
        b.projection = evecs.rowRange(0, d) * whiten;  // d x D
        if (plda) {
            // In this space Sw ~ I; between-class covariance diagonal = evals.
            cv::Mat B = cv::Mat::zeros(d, d, CV_64F);
            for (int i = 0; i < d; ++i)
                B.at<double>(i, i) = std::max(evals.at<double>(i), 1e-9);
            const cv::Mat W = cv::Mat::eye(d, d, CV_64F);
            const cv::Mat T = B + W;
            const cv::Mat Ti = T.inv(cv::DECOMP_CHOLESKY);
            const cv::Mat M = (T - B * Ti * B).inv(cv::DECOMP_CHOLESKY);
            b.Q = Ti - M;
            b.P = Ti * B * M;
            b.plda = true;
        }
    }
    return b;
}

// ---- pairs and folds ----

struct Pair {
    std::size_t chip, live;  // indices into the still pool
    bool genuine;
};

struct Method {
    std::string name;
    Kind kind;
    double ridge = 0;
    int lda = 0;
    bool plda = false;
    bool raw = false;
    int snormTop = 0;  // > 0: adaptive s-norm with this cohort top-K
    bool snormOnProjected = false;
};

struct Scored {
    std::vector<double> genuine, impostor;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Score adaptation back-ends, person-disjoint (docs/calibration.md §10)"};
    CommandPaths paths;
    int repeats = 5, folds = 2;
    SequenceDataOptions options;
    paths.addOptions(app, "the shared folder (data/nuaa-dev, data/faces-dev)",
                     "build folder holding sequences.cache.json");
    app.add_option("--repeats", repeats, "random person partitions");
    app.add_option("--folds", folds, "folds per partition (>= 2)");
    app.add_option("--threads", options.threads, "analysis threads (cache misses only)");
    std::string grid = "ridge";
    app.add_option("--grid", grid, "back-ends to compare: ridge (default) or subspace");
    CLI11_PARSE(app, argc, argv);
    folds = std::max(2, folds);

    const auto material = loadMaterial(paths, options);
    if (!material)
        return 2;
    const SequenceData& data = material->data;
    const LabelTable& labels = material->labels;
    if (!data.haveArcFace)
        std::cerr << "fr_feature absent: dlib only\n";

    // The pool: East-Asian stills with a live and a chip embedding.
    std::vector<Person> persons;
    std::map<std::string, int> personIndex;
    std::vector<Still> pool;
    for (std::size_t i = 0; i < data.items.size(); ++i) {
        const FaceItem& it = data.items[i];
        if (it.source == "nuaa" || !it.failure.empty() || !it.dlib || !it.chipDlib)
            continue;
        const PersonLabel* l = labels.find(it.source, it.person);
        if (!l)
            continue;
        const std::string key = it.source + "/" + it.person;
        auto [pos, added] = personIndex.emplace(key, static_cast<int>(persons.size()));
        if (added)
            persons.push_back({key, it.source, l});
        Still s;
        s.item = i;
        s.person = pos->second;
        s.live[0] = row(it.dlib->data(), vision::kEmbeddingSize);
        s.chip[0] = row(it.chipDlib->data(), vision::kEmbeddingSize);
        if (it.fr && it.chipFr) {
            s.live[1] = row(it.fr->data(), vision::kArcFaceEmbeddingSize);
            s.chip[1] = row(it.chipFr->data(), vision::kArcFaceEmbeddingSize);
        }
        pool.push_back(std::move(s));
    }
    std::printf("# Score adaptation, person-disjoint\n\n%zu persons, %zu stills; %d x %d-fold\n",
                persons.size(), pool.size(), repeats, folds);

    // Grid "subspace": ridge, LDA, PLDA and s-norm variants (the first exploration); grid
    // "ridge": the whitening strength from the LDA-free end (centring + length normalisation
    // only, r = 1e6) to r = 0.3, and the s-norm cohort size.
    std::vector<Method> methods;
    auto rname = [](double r) {
        char b[16];
        std::snprintf(b, sizeof b, r >= 1e5 ? "centred" : "wccn r%g", r);
        return std::string(b);
    };
    for (Kind k : {Kind::kDlib, Kind::kFr}) {
        if (k == Kind::kFr && !data.haveArcFace)
            continue;
        const std::string n = kindName(k);
        methods.push_back({n + " raw", k, 0, 0, false, true});
        if (grid == "subspace") {
            for (double r : {0.1, 0.3, 1.0})
                methods.push_back({n + " " + rname(r), k, r});
            for (int d : {16, 32})
                methods.push_back({n + " wccn r0.3 + lda" + std::to_string(d), k, 0.3, d});
            methods.push_back({n + " plda32 (r0.3)", k, 0.3, 32, true});
            methods.push_back({n + " s-norm top50 (raw)", k, 0, 0, false, true, 50});
            methods.push_back({n + " wccn r0.3 + s-norm top50", k, 0.3, 0, false, false, 50, true});
        } else {
            for (double r : {1e6, 10.0, 3.0, 1.0, 0.3})
                methods.push_back({n + " " + rname(r), k, r});
            for (int top : {20, 50, 100})
                methods.push_back({n + " s-norm top" + std::to_string(top) + " (raw)", k, 0, 0,
                                   false, true, top});
        }
    }
    // Fused: (1 - a) z(dlib) + a z(fr), each score z-normalised by the training persons'
    // impostor scores of that back-end; plus the production fusion of raw distances.
    struct Fusion {
        std::string name;
        std::size_t dlibMethod, frMethod;
        double a;
        bool production;
    };
    std::vector<Fusion> fusions;
    if (data.haveArcFace) {
        auto idx = [&](const std::string& n) {
            for (std::size_t i = 0; i < methods.size(); ++i)
                if (methods[i].name == n)
                    return i;
            return methods.size();
        };
        fusions.push_back({"fused raw 0.2/0.8 (production)", idx("dlib raw"), idx("fr_feature raw"),
                           vision::kDefaultArcFaceWeight, true});
        const std::vector<std::string> ds =
            grid == "subspace"
                ? std::vector<std::string>{"dlib raw", "dlib wccn r0.3", "dlib wccn r1"}
                : std::vector<std::string>{"dlib raw", "dlib centred", "dlib wccn r10",
                                           "dlib wccn r3", "dlib wccn r1"};
        const std::vector<std::string> fs =
            grid == "subspace" ? std::vector<std::string>{"fr_feature raw", "fr_feature wccn r0.3",
                                                          "fr_feature wccn r1"}
                               : std::vector<std::string>{"fr_feature raw", "fr_feature centred",
                                                          "fr_feature wccn r10"};
        for (const auto& d : ds)
            for (const auto& f : fs)
                for (double a : {0.7, 0.8})
                    if (idx(d) < methods.size() && idx(f) < methods.size())
                        fusions.push_back(
                            {"fused z(" + d + ") + z(" + f + ") a" + std::to_string(a).substr(0, 3),
                             idx(d), idx(f), a, false});
    }

    // Results: per method, per (repeat, fold) FRR at FAR 0.1 % on the held-out pairs, and the
    // held-out scores pooled per repeat.
    const std::size_t nm = methods.size() + fusions.size();
    std::vector<std::vector<double>> foldFrr(nm);
    std::vector<std::vector<double>> pooledFrr(nm);
    std::vector<std::size_t> pairCounts(2, 0);

    for (int rep = 0; rep < repeats; ++rep) {
        // Stratified partition: persons grouped by set and sex, shuffled, dealt round-robin.
        std::mt19937 rng(1000u + static_cast<unsigned>(rep));
        std::map<std::string, std::vector<int>> strata;
        for (int p = 0; p < static_cast<int>(persons.size()); ++p)
            strata[persons[p].set + (persons[p].label->sex == Sex::kFemale ? "F" : "M")].push_back(
                p);
        std::vector<int> foldOf(persons.size(), 0);
        int deal = static_cast<int>(rng() % folds);
        for (auto& [_, ps] : strata) {
            std::shuffle(ps.begin(), ps.end(), rng);
            for (int p : ps)
                foldOf[p] = deal++ % folds;
        }
        std::vector<Scored> pooled(nm);
        for (int f = 0; f < folds; ++f) {
            // Held-out pairs of this fold.
            std::vector<Pair> pairs;
            for (std::size_t a = 0; a < pool.size(); ++a) {
                if (foldOf[pool[a].person] != f)
                    continue;
                for (std::size_t b = 0; b < pool.size(); ++b) {
                    if (a == b || foldOf[pool[b].person] != f)
                        continue;
                    const bool genuine = pool[a].person == pool[b].person;
                    if (!genuine && !similarPeople(*persons[pool[a].person].label,
                                                   *persons[pool[b].person].label, 10))
                        continue;
                    pairs.push_back({a, b, genuine});
                }
            }
            // Training-fold impostor pairs (for the z-normalisation of fused scores).
            std::vector<Pair> trainPairs;
            for (std::size_t a = 0; a < pool.size(); ++a) {
                if (foldOf[pool[a].person] == f)
                    continue;
                for (std::size_t b = 0; b < pool.size(); ++b)
                    if (foldOf[pool[b].person] != f && pool[a].person != pool[b].person &&
                        similarPeople(*persons[pool[a].person].label,
                                      *persons[pool[b].person].label, 10))
                        trainPairs.push_back({a, b, false});
            }
            if (rep == 0) {
                for (const auto& p : pairs)
                    ++pairCounts[p.genuine ? 0 : 1];
            }
            std::vector<Scored> scored(nm);
            std::vector<std::pair<double, double>> trainImpStats(methods.size());
            std::vector<std::vector<double>> pairScores(methods.size());
            for (std::size_t mi = 0; mi < methods.size(); ++mi) {
                const Method& m = methods[mi];
                const int k = m.kind == Kind::kDlib ? 0 : 1;
                Backend b;
                if (!m.raw) {
                    TrainingSet t;
                    for (const auto& s : pool)
                        if (foldOf[s.person] != f && !s.live[k].empty()) {
                            t.x.push_back(unit(s.live[k]));
                            t.label.push_back(s.person);
                            t.x.push_back(unit(s.chip[k]));
                            t.label.push_back(s.person);
                        }
                    b = train(t, m.ridge, m.lda, m.plda);
                }
                std::vector<cv::Mat> live(pool.size()), chip(pool.size());
                for (std::size_t i = 0; i < pool.size(); ++i)
                    if (!pool[i].live[k].empty()) {
                        live[i] = b.project(pool[i].live[k]);
                        chip[i] = b.project(pool[i].chip[k]);
                    }
                // Adaptive s-norm: cohort = training persons' stills.
                std::vector<std::pair<double, double>> chipNorm(pool.size()), liveNorm(pool.size());
                if (m.snormTop > 0) {
                    std::vector<std::size_t> cohort;
                    for (std::size_t i = 0; i < pool.size(); ++i)
                        if (foldOf[pool[i].person] != f && !live[i].empty())
                            cohort.push_back(i);
                    auto stats = [&](std::vector<double> v) {
                        std::sort(v.begin(), v.end());
                        v.resize(std::min<std::size_t>(v.size(), m.snormTop));
                        double mu = 0, sd = 0;
                        for (double x : v)
                            mu += x;
                        mu /= v.size();
                        for (double x : v)
                            sd += (x - mu) * (x - mu);
                        return std::make_pair(mu, std::sqrt(sd / v.size()) + 1e-9);
                    };
                    for (std::size_t i = 0; i < pool.size(); ++i) {
                        if (live[i].empty() || foldOf[pool[i].person] != f)
                            continue;
                        std::vector<double> vc, vl;
                        for (std::size_t c : cohort) {
                            vc.push_back(b.score(m.kind, chip[i], live[c]));
                            vl.push_back(b.score(m.kind, chip[c], live[i]));
                        }
                        chipNorm[i] = stats(vc);
                        liveNorm[i] = stats(vl);
                    }
                }
                auto pairScore = [&](const Pair& p) {
                    double s = b.score(m.kind, chip[p.chip], live[p.live]);
                    if (m.snormTop > 0)
                        s = 0.5 * ((s - chipNorm[p.chip].first) / chipNorm[p.chip].second +
                                   (s - liveNorm[p.live].first) / liveNorm[p.live].second);
                    return s;
                };
                for (const auto& p : pairs) {
                    if (live[p.live].empty() || chip[p.chip].empty()) {
                        pairScores[mi].push_back(NAN);
                        continue;
                    }
                    const double s = pairScore(p);
                    pairScores[mi].push_back(s);
                    (p.genuine ? scored[mi].genuine : scored[mi].impostor).push_back(s);
                }
                if (m.snormTop == 0) {
                    double mu = 0, sd = 0;
                    std::size_t n = 0;
                    std::vector<double> v;
                    for (const auto& p : trainPairs)
                        if (!live[p.live].empty() && !chip[p.chip].empty())
                            v.push_back(b.score(m.kind, chip[p.chip], live[p.live]));
                    for (double x : v)
                        mu += x, ++n;
                    mu /= std::max<std::size_t>(1, n);
                    for (double x : v)
                        sd += (x - mu) * (x - mu);
                    trainImpStats[mi] = {mu, std::sqrt(sd / std::max<std::size_t>(1, n))};
                }
            }
            for (std::size_t fi = 0; fi < fusions.size(); ++fi) {
                const Fusion& fu = fusions[fi];
                auto& sc = scored[methods.size() + fi];
                const auto& sd = pairScores[fu.dlibMethod];
                const auto& sf = pairScores[fu.frMethod];
                const auto zd = trainImpStats[fu.dlibMethod], zf = trainImpStats[fu.frMethod];
                for (std::size_t i = 0; i < pairs.size(); ++i) {
                    if (std::isnan(sd[i]) || std::isnan(sf[i]))
                        continue;
                    const double s = fu.production ? (1 - fu.a) * sd[i] + fu.a * sf[i]
                                                   : (1 - fu.a) * (sd[i] - zd.first) / zd.second +
                                                         fu.a * (sf[i] - zf.first) / zf.second;
                    (pairs[i].genuine ? sc.genuine : sc.impostor).push_back(s);
                }
            }
            for (std::size_t mi = 0; mi < nm; ++mi) {
                const auto& s = scored[mi];
                if (s.genuine.empty() || s.impostor.empty())
                    continue;
                foldFrr[mi].push_back(operatingPointAtFar(s.genuine, s.impostor, 0.001).frr());
                pooled[mi].genuine.insert(pooled[mi].genuine.end(), s.genuine.begin(),
                                          s.genuine.end());
                pooled[mi].impostor.insert(pooled[mi].impostor.end(), s.impostor.begin(),
                                           s.impostor.end());
            }
        }
        for (std::size_t mi = 0; mi < nm; ++mi)
            if (!pooled[mi].genuine.empty())
                pooledFrr[mi].push_back(
                    operatingPointAtFar(pooled[mi].genuine, pooled[mi].impostor, 0.001).frr());
    }

    std::printf(
        "\nHeld-out pairs (first partition, all folds): %zu genuine, %zu matched impostor\n\n"
        "FRR at FAR 0.1 %% on held-out persons (threshold set on the held-out impostors of each "
        "fold): mean over the %d x %d folds, and over partitions of the folds' pooled scores; "
        "paired difference to the raw score of the same embedding on the same pairs (mean, "
        "min..max over folds)\n\n"
        "| back-end | FRR per fold (mean) | pooled (mean) | vs raw per fold: mean (min..max) |\n"
        "|---|---|---|---|\n",
        pairCounts[0], pairCounts[1], repeats, folds);
    auto mean = [](const std::vector<double>& v) {
        return v.empty() ? NAN : std::accumulate(v.begin(), v.end(), 0.0) / v.size();
    };
    for (std::size_t mi = 0; mi < nm; ++mi) {
        const std::string name =
            mi < methods.size() ? methods[mi].name : fusions[mi - methods.size()].name;
        std::size_t base = mi;
        if (mi < methods.size())
            base = methods[mi].kind == Kind::kDlib ? 0 : methods.size() / 2;
        else
            base = methods.size();  // the production fusion
        std::vector<double> diff;
        for (std::size_t i = 0; i < foldFrr[mi].size() && i < foldFrr[base].size(); ++i)
            diff.push_back(foldFrr[mi][i] - foldFrr[base][i]);
        const auto [lo, hi] = std::minmax_element(diff.begin(), diff.end());
        std::printf("| %s | %s | %s | %+.1f (%+.1f..%+.1f) |\n", name.c_str(),
                    pct(mean(foldFrr[mi])).c_str(), pct(mean(pooledFrr[mi])).c_str(),
                    100 * mean(diff), diff.empty() ? NAN : 100 * *lo,
                    diff.empty() ? NAN : 100 * *hi);
    }
    return 0;
}
