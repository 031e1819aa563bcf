// Fused multi-frame evidence (see evidence.h).
#include "vision/evidence.h"

#include <algorithm>

namespace uketsuke::vision {

void EvidenceAccumulator::noteGoodFrame(std::int64_t timestampMs) {
    if (!windowStart_)
        windowStart_ = timestampMs;
}

void EvidenceAccumulator::addDistance(std::int64_t timestampMs, double distance) {
    noteGoodFrame(timestampMs);
    distances_.insert(std::upper_bound(distances_.begin(), distances_.end(), distance), distance);
}

std::optional<double> EvidenceAccumulator::fused() const {
    if (distances_.empty())
        return std::nullopt;
    const std::size_t k =
        std::min(distances_.size(), static_cast<std::size_t>(std::max(1, config_.bestFrames)));
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i)
        sum += distances_[i];
    return sum / static_cast<double>(k);
}

EvidenceVerdict EvidenceAccumulator::verdict(std::int64_t nowMs, bool streamEnded) const {
    const std::optional<double> score = fused();
    if (score && count() >= config_.minFramesEarly && *score <= config_.earlyAcceptDistance)
        return EvidenceVerdict::kAccept;
    const bool windowOver =
        streamEnded || (windowStart_ && nowMs - *windowStart_ >= config_.windowMs);
    if (!windowOver)
        return EvidenceVerdict::kPending;
    if (!score)
        return EvidenceVerdict::kNoEvidence;
    return *score <= config_.maxFusedDistance ? EvidenceVerdict::kAccept : EvidenceVerdict::kReject;
}

}  // namespace uketsuke::vision
