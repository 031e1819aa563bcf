// The evaluation behind calibrate_sequences (issue 12, docs/calibration.md §6-§10): how a chip is
// scored against one live item, the single-still pairs and the sequences made from the material
// (bench/calibration/sequence_data.h), their simulation through vision::EvidenceAccumulator (the
// rule the terminal runs), and the rule of §8 that chooses the multi-frame thresholds. The
// command's report sections are declared at the end; each prints one Markdown section.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bench/calibration/calibration.h"
#include "bench/calibration/sequence_data.h"
#include "vision/evidence.h"
#include "vision/thresholds.h"

namespace uketsuke::calibration {

// ---- Scores ----

// How one chip is compared with one live item.
enum class Score { kDlib, kDlibGrey, kFr, kFrGrey, kFused, kFusedGrey, kDlibCentred };
const char* scoreName(Score s);

// The fusion weight a of the dlib+fr scores: (1 - a) * dlib + a * fr (default 0.5, the command
// line's --fusion-weight).
void setFusionWeight(double a);
double fusionWeight();

// Sets the fusion weight for its lifetime and restores the previous one.
class FusionWeightScope {
  public:
    explicit FusionWeightScope(double a) : saved_(fusionWeight()) { setFusionWeight(a); }
    ~FusionWeightScope() { setFusionWeight(saved_); }
    FusionWeightScope(const FusionWeightScope&) = delete;
    FusionWeightScope& operator=(const FusionWeightScope&) = delete;

  private:
    double saved_;
};

// The centre of the dlib centring back-end (§10, evaluation only; Score::kDlibCentred): the mean
// of the training persons' length-normalised embeddings.
using DlibCentre = std::array<double, vision::kEmbeddingSize>;
void setDlibCentre(const DlibCentre& centre);

// Lower = same person; nullopt when an embedding the score needs is missing.
std::optional<double> score(Score s, const FaceItem& chip, const FaceItem& live);

// "F", "M", or "?" (no label or sex unknown).
std::string sexCode(const PersonLabel* label);

// ---- Single stills ----

struct PairSet {
    std::vector<double> genuine, impostor;
    std::set<std::string> people;
};

// Chip of still i vs live still j (impostors: similar people), per group key ("population:...",
// "set:...", each also per sex). personFilter (person folder) limits both sides.
std::map<std::string, PairSet> stillPairs(
    const SequenceData& data, const LabelTable& labels, Score s,
    const std::function<bool(const std::string&)>& personFilter = {});

// ---- Sequences ----

struct Sequence {
    std::size_t chip = 0;             // item index
    std::vector<std::size_t> frames;  // item indices, in time order
    bool genuine = false;
    std::string kind;  // "nuaa", "stills"
    int offset = 0;    // nuaa: the look starts at this frame of the live group
};

// nuaa: card photo of one group against every other group (genuine: the same person, starting at
// each of `offsets`); stills: card photo of one image against every similar person's images.
std::vector<Sequence> makeSequences(const SequenceData& data, const LabelTable& labels,
                                    const std::vector<int>& offsets);

struct SeqOutcome {
    vision::EvidenceVerdict verdict;
    std::int64_t decisionMs;  // from the sequence's first frame
};

SeqOutcome simulate(const SequenceData& data, const Sequence& s, Score sc,
                    const vision::EvidenceConfig& cfg);

// The multi-frame thresholds chosen on these impostor sequences (the rule of §8): the early
// threshold lets at most 0.3 x targetFar of the impostors ever reach it; the end threshold is the
// largest value keeping the impostors accepted either way at or under targetFar. A fixed early or
// end threshold (> 0) is taken as given.
vision::EvidenceConfig chooseThresholds(const SequenceData& data,
                                        const std::vector<const Sequence*>& impostors, Score sc,
                                        vision::EvidenceConfig cfg, double targetFar,
                                        double fixedEarly = -1, double fixedEnd = -1);

// Person key ("source/person") of a sequence's chip and of its live frames.
std::string chipPerson(const SequenceData& data, const Sequence& s);
std::string livePerson(const SequenceData& data, const Sequence& s);

// Two halves of the persons ("source/person" -> 0 or 1) for the held-out checks: per stratum
// (source and sex), persons in name order dealt alternately.
std::map<std::string, int> halves(const SequenceData& data, const LabelTable& labels);

// The tally keys of a sequence: "<kind> genuine|impostor", "all ...", and for stills the set and
// the sex (and, with setBySex, set x sex).
std::vector<std::string> tallyKeys(const SequenceData& data, const LabelTable& labels,
                                   const Sequence& s, bool setBySex);

// The shipped operating points (vision/thresholds.h): dlib, and dlib+fr when fr_feature is
// present, each called with the shipped fusion weight in force.
struct ShippedPoint {
    Score score;
    double stillThreshold;
    vision::EvidenceConfig evidence;
};
void forEachShippedPoint(bool haveArcFace, const std::function<void(const ShippedPoint&)>& fn);

// ---- Report sections ----

// sequence_reports.cpp
void qualityGateReport(const SequenceData& data);
void stillReport(const SequenceData& data, const LabelTable& labels,
                 const std::vector<Score>& scores);
void fusionWeightReport(const SequenceData& data, const LabelTable& labels);
void sequenceReport(const SequenceData& data, const std::vector<Sequence>& sequences,
                    const std::vector<Score>& scores, double targetFar, double early, double late);
void shippedReport(const SequenceData& data, const LabelTable& labels,
                   const std::vector<Sequence>& sequences);

// sequence_checks.cpp: the held-out check of the shipped operating points (§9.1) and the
// person-disjoint check of the dlib centring back-end (§10).
void heldOutCheck(const SequenceData& data, const LabelTable& labels,
                  const std::vector<Sequence>& sequences, bool haveArcFace);
void backendSequenceCheck(const SequenceData& data, const LabelTable& labels,
                          const std::vector<Sequence>& sequences);

// sequence_pad.cpp: genuine acceptance with the presentation-attack check in the loop (issue 13),
// from evaluate_pad's pad-eval.json.
void genuineWithPad(const SequenceData& data, const std::vector<Sequence>& sequences,
                    const std::filesystem::path& padEvalFile);

}  // namespace uketsuke::calibration
