// Face-matching calibration: the reports (JSON, TSV, Markdown).
// See calibration.h and docs/calibration.md (method).
#include "bench/calibration/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace uketsuke::calibration {
namespace fs = std::filesystem;

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
    const std::size_t primary = data.levelIndex(data.primaryLevel);
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

std::string pct(double rate) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f %%", 100.0 * rate);
    return b;
}

std::string pct3(double rate) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f %%", 100.0 * rate);
    return b;
}

}  // namespace uketsuke::calibration
