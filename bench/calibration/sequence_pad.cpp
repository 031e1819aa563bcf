// Genuine acceptance with the presentation-attack check in the loop (issue 13;
// calibrate_sequences --pad-eval). `padEval` is evaluate_pad's pad-eval.json: per nuaa live look
// ("<group> from <offset>") the verdict of the PAD check after each face frame, with the texture
// model and thresholds chosen without that look's person (nested leave-one-person-out). The
// verifier (vision/face_verifier) consults the check only once the match has accepted and then
// accepts at the first `live`, refuses at the first `spoof_suspected`, and otherwise returns
// liveness_unsure (the session's active challenge) when the clip or the budget ends.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "bench/calibration/sequence_eval.h"

namespace uketsuke::calibration {

namespace {

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

}  // namespace

void genuineWithPad(const SequenceData& data, const std::vector<Sequence>& sequences,
                    const std::filesystem::path& padEvalFile) {
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
    forEachShippedPoint(data.haveArcFace, [&](const ShippedPoint& point) {
        const Score sc = point.score;
        const vision::EvidenceConfig& cfg = point.evidence;
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
    });
}

}  // namespace uketsuke::calibration
