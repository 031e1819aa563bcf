// Evidence over the whole look (issue 12): the per-frame distances of one verification fused
// into one score, and the decision on that score. Pure arithmetic (no image, no model), so the
// terminal's verifier and the calibration's sequence simulation (bench/calibration) run exactly
// the same rule.
//
// Rule: the capture window opens at the first good frame and lasts windowMs. The fused score is
// the mean of the `bestFrames` smallest per-frame distances (an order statistic: a patient's worst
// frames say little, the best ones say who it is). The run
//   * accepts early, at any time, once at least minFramesEarly frames are embedded and the fused
//     score is within earlyAcceptDistance (far inside the threshold);
//   * never rejects while the window is open;
//   * at the end of the window (or of the stream) accepts when the fused score is within
//     maxFusedDistance, otherwise rejects.
// Both thresholds are calibrated for this fused score on sequences (docs/calibration.md §6), not
// taken from the single-still threshold.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace uketsuke::vision {

struct EvidenceConfig {
    std::int64_t windowMs = 5000;      // capture window after the first good frame
    int bestFrames = 3;                // fused score = mean of this many smallest distances
    double maxFusedDistance = 0.0;     // accept at the end of the window when fused <= this
    double earlyAcceptDistance = 0.0;  // accept before the end when fused <= this ...
    int minFramesEarly = 3;            // ... over at least this many embedded frames
};

enum class EvidenceVerdict {
    kPending,     // the window is open and the evidence is not conclusive yet
    kAccept,      // fused score within the threshold (early, or at the end of the window)
    kReject,      // window over, fused score beyond the threshold
    kNoEvidence,  // window over (or stream ended) with no embedded frame
};

class EvidenceAccumulator {
  public:
    explicit EvidenceAccumulator(EvidenceConfig config) : config_(config) {}

    // A frame that passed the quality gate (opens the window on the first one).
    void noteGoodFrame(std::int64_t timestampMs);
    // The distance of one embedded frame (a good frame: opens the window too).
    void addDistance(std::int64_t timestampMs, double distance);

    int count() const { return static_cast<int>(distances_.size()); }
    std::optional<double> fused() const;
    std::optional<std::int64_t> windowStartMs() const { return windowStart_; }
    // The decision at `nowMs`; `streamEnded` closes the window early.
    EvidenceVerdict verdict(std::int64_t nowMs, bool streamEnded = false) const;
    const EvidenceConfig& config() const { return config_; }

  private:
    EvidenceConfig config_;
    std::optional<std::int64_t> windowStart_;
    std::vector<double> distances_;  // kept sorted ascending
};

}  // namespace uketsuke::vision
