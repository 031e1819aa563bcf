// The multi-frame verification decision (see face_verifier.h).
#include "vision/face_verifier.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <map>

namespace uketsuke::vision {
namespace {

constexpr std::array<VerificationOutcomeInfo, 10> kOutcomes{{
    {VerificationOutcome::kAccepted, "accepted",
     "the good frames, fused, matched the chip photo within the threshold"},
    {VerificationOutcome::kMismatch, "mismatch", "the live face does not match the chip photo"},
    {VerificationOutcome::kNoFace, "no_face", "no face was seen in front of the camera"},
    {VerificationOutcome::kSeveralFaces, "several_faces", "more than one face was in view"},
    {VerificationOutcome::kPoorQuality, "poor_quality",
     "a face was seen but too few frames were good enough to compare (see guidance)"},
    {VerificationOutcome::kLivenessFailed, "liveness_failed",
     "the face matched but a presentation attack is suspected (photo, card or screen)"},
    {VerificationOutcome::kTimeout, "timeout",
     "the time budget ran out before any frame could be compared"},
    {VerificationOutcome::kSourceError, "source_error", "the camera or video could not be read"},
    {VerificationOutcome::kCanceled, "canceled", "the verification was cancelled"},
    {VerificationOutcome::kLivenessUnsure, "liveness_unsure",
     "the face matched but the passive liveness cues were not sure: an active challenge is needed"},
}};

double meanShift(const Landmarks68& a, const Landmarks68& b) {
    double sum = 0.0;
    for (int i = 0; i < kLandmarkCount; ++i)
        sum += cv::norm(a[i] - b[i]);
    return sum / kLandmarkCount;
}

EvidenceConfig evidenceFor(const VerifierConfig& c, bool still, bool arcFace) {
    if (!still)
        return arcFace ? c.evidenceWithArcFace : c.evidence;
    // One frame: no window, no early acceptance, the single-still threshold.
    return EvidenceConfig{.windowMs = 0,
                          .bestFrames = 1,
                          .maxFusedDistance = arcFace ? c.maxDistanceWithArcFace : c.maxDistance,
                          .earlyAcceptDistance = -1.0,
                          .minFramesEarly = 1};
}

class Run final : public VerificationRun {
  public:
    Run(FaceEngine& engine, const VisionThresholds& thresholds, const Embedding& reference,
        std::optional<ArcFaceEmbedding> arcReference, bool stillImage)
        : engine_(engine),
          t_(thresholds),
          reference_(reference),
          arcReference_(thresholds.verifier.useArcFace && engine.arcFace() != nullptr
                            ? arcReference
                            : std::nullopt),
          still_(stillImage),
          evidence_(evidenceFor(thresholds.verifier, stillImage, arcReference_.has_value())),
          tracker_(createCorrelationFaceTracker()),
          liveness_(pad::createPresentationAttackCheck(thresholds.verifier.pad, engine.padTexture(),
                                                       engine.livenessNet())),
          livenessRequired_(t_.verifier.requireLiveness && !still_) {}

    FrameFinding addFrame(const Frame& frame) override {
        FrameFinding finding;
        finding.timestampMs = frame.timestampMs;
        if (decided_ || frame.bgr.empty())
            return finding;
        if (!firstTimestamp_)
            firstTimestamp_ = frame.timestampMs;
        lastTimestamp_ = frame.timestampMs;
        ++framesSeen_;

        std::optional<cv::Rect> box;
        if (!tracker_->needsDetection()) {
            box = tracker_->update(frame.bgr);
            finding.tracked = box.has_value();
        }
        if (!box) {
            auto detections = engine_.detector().detect(frame.bgr, t_.detector);
            const int count = detections ? static_cast<int>(detections->size()) : 0;
            finding.faceCount = count;
            if (count == 1) {
                box = detections->front().box;
                tracker_->start(frame.bgr, *box);
            } else {
                tracker_->reset();
                previous_.reset();
                ++(count == 0 ? noFaceFrames_ : severalFaceFrames_);
                finding.notCompared = count == 0 ? "no_face" : "several_faces";
                record(finding);
                decide();
                return finding;
            }
        }
        finding.faceCount = 1;

        AnalyseOptions options;
        options.quality = t_.quality;
        options.computeEmbeddings = false;
        auto obs = engine_.analyseBox(frame.bgr, *box, options, previous_ ? &*previous_ : nullptr);
        if (!obs) {
            finding.notCompared = "landmarks_failed";
            record(finding);
            decide();
            return finding;
        }
        const FaceObservation& face = obs.value();
        finding.quality = face.quality;
        liveness_->addCameraFrame(frame.timestampMs, face.landmarks, frame.bgr, *box);
        previous_ = face.landmarks;

        if (!face.quality.acceptable()) {
            ++guidanceCounts_[face.quality.primaryGuidance()];
            finding.notCompared = "quality";
        } else {
            ++goodFrames_;
            evidence_.noteGoodFrame(frame.timestampMs);
            if (worthEmbedding(face, frame.timestampMs)) {
                auto chip = engine_.aligner().align(frame.bgr, face.landmarks);
                auto embedding = chip ? engine_.embedChip(chip.value())
                                      : VisionResult<Embedding>(chip.failure());
                std::optional<double> arc;
                if (embedding && arcReference_) {
                    auto arcChip = alignArcFace(frame.bgr, face.landmarks);
                    auto arcEmbedding = arcChip ? engine_.arcFace()->embed(arcChip.value())
                                                : VisionResult<ArcFaceEmbedding>(arcChip.failure());
                    if (arcEmbedding)
                        arc = arcFaceDistance(*arcReference_, arcEmbedding.value());
                    else
                        embedding = VisionResult<Embedding>(arcEmbedding.failure());
                }
                if (embedding) {
                    const double dlib = distance(reference_, embedding.value()).value;
                    const double w = t_.verifier.arcFaceWeight;
                    const EmbeddingDistance d{arc ? (1.0 - w) * dlib + w * *arc : dlib};
                    finding.embedded = true;
                    finding.distance = d;
                    finding.dlibDistance = dlib;
                    finding.arcFaceDistance = arc;
                    evidence_.addDistance(frame.timestampMs, d.value);
                    ++embedded_;
                    agreeing_ += d.within(evidence_.config().maxFusedDistance);
                    lastEmbedded_ = face.landmarks;
                    lastEmbeddedMs_ = frame.timestampMs;
                } else {
                    finding.notCompared = "embedding_failed";
                }
            } else {
                finding.notCompared = "no_new_information";
            }
        }
        record(finding);
        decide();
        return finding;
    }

    std::optional<VerificationResult> decision() const override {
        if (!decided_)
            return std::nullopt;
        return result_;
    }

    VerificationResult finish(std::optional<VisionError> sourceError) override {
        if (decided_)
            return result_;
        VerificationResult r = base();
        const EvidenceVerdict verdict =
            scoreAccepted_ ? EvidenceVerdict::kAccept : evidence_.verdict(lastTimestamp_, true);
        if (sourceError && *sourceError != VisionError::kEndOfStream && framesSeen_ == 0) {
            r.outcome = VerificationOutcome::kSourceError;
            r.sourceError = sourceError;
        } else if (verdict == EvidenceVerdict::kAccept) {
            r.outcome = livenessOutcome(r);
        } else if (verdict == EvidenceVerdict::kReject) {
            r.outcome = VerificationOutcome::kMismatch;
        } else if (goodFrames_ == 0 && severalFaceFrames_ > 0 &&
                   severalFaceFrames_ >= noFaceFrames_) {
            r.outcome = VerificationOutcome::kSeveralFaces;
        } else if (framesWithOneFace() == 0) {
            r.outcome = VerificationOutcome::kNoFace;
        } else if (!guidanceCounts_.empty()) {
            r.outcome = VerificationOutcome::kPoorQuality;
        } else {
            r.outcome = VerificationOutcome::kTimeout;
        }
        if (sourceError && *sourceError != VisionError::kEndOfStream)
            r.sourceError = sourceError;
        result_ = r;
        decided_ = true;
        return result_;
    }

  private:
    int framesWithOneFace() const { return framesSeen_ - noFaceFrames_ - severalFaceFrames_; }

    // An embedding adds information when the face moved or changed since the last one, or when
    // the last one is old; a still, unchanged face gives the same descriptor again.
    bool worthEmbedding(const FaceObservation& face, std::int64_t nowMs) const {
        if (!lastEmbedded_)
            return true;
        if (nowMs - lastEmbeddedMs_ >= t_.verifier.embedEveryMs)
            return true;
        const double height = std::max(1.0, face.quality.faceHeightPx);
        return meanShift(face.landmarks, *lastEmbedded_) / height >=
               t_.verifier.minChangeForEmbedding;
    }

    void record(const FrameFinding& finding) {
        if (static_cast<int>(findings_.size()) < t_.verifier.maxFramesKept)
            findings_.push_back(finding);
    }

    VerificationOutcome livenessOutcome(VerificationResult& r) const {
        if (!livenessRequired_)
            return VerificationOutcome::kAccepted;
        switch (r.liveness.verdict) {
            case LivenessVerdict::kLive:
                return VerificationOutcome::kAccepted;
            case LivenessVerdict::kSpoofSuspected:
                return VerificationOutcome::kLivenessFailed;
            case LivenessVerdict::kUnsure:
            case LivenessVerdict::kInsufficientEvidence:
                break;
        }
        return VerificationOutcome::kLivenessUnsure;
    }

    VerificationResult base() const {
        VerificationResult r;
        r.threshold = evidence_.config().maxFusedDistance;
        r.arcFaceUsed = arcReference_.has_value();
        r.earlyAccept = earlyAccept_;
        r.framesSeen = framesSeen_;
        r.goodFrames = goodFrames_;
        r.framesEmbedded = embedded_;
        r.framesAgreeing = agreeing_;
        r.firstGoodFrameMs = evidence_.windowStartMs();
        if (const auto fused = scoreAccepted_ ? acceptedScore_ : evidence_.fused())
            r.distance = EmbeddingDistance{*fused};
        int best = 0;
        for (const auto& [g, n] : guidanceCounts_)
            if (n > best) {
                best = n;
                r.guidance = g;
            }
        r.liveness = liveness_->evaluate();
        r.livenessAssessed = livenessRequired_;
        r.elapsedMs = firstTimestamp_ ? lastTimestamp_ - *firstTimestamp_ : 0;
        r.frames = findings_;
        return r;
    }

    // Decides as soon as the evidence does; a reject waits for the window to close.
    void decide() {
        const std::int64_t elapsed = lastTimestamp_ - firstTimestamp_.value_or(lastTimestamp_);
        const bool budgetSpent = elapsed >= t_.verifier.timeBudgetMs;
        if (!scoreAccepted_) {
            const EvidenceVerdict v = evidence_.verdict(lastTimestamp_);
            if (v == EvidenceVerdict::kAccept) {
                scoreAccepted_ = true;
                acceptedScore_ = evidence_.fused();
                const auto start = evidence_.windowStartMs();
                earlyAccept_ = !start || lastTimestamp_ - *start < evidence_.config().windowMs;
            } else if (v == EvidenceVerdict::kReject || v == EvidenceVerdict::kNoEvidence) {
                finish(std::nullopt);
                return;
            }
        }
        if (scoreAccepted_) {
            // Matched. Accept as soon as liveness says live and refuse as soon as it suspects an
            // attack; otherwise keep watching (blink, non-rigid motion, texture) until the budget
            // ends: a live patient standing very still must not be called a photo after a few
            // frames. Unsure at the end: kLivenessUnsure (the session's active challenge).
            const LivenessVerdict lv =
                livenessRequired_ ? liveness_->evaluate().verdict : LivenessVerdict::kLive;
            if (lv == LivenessVerdict::kLive || lv == LivenessVerdict::kSpoofSuspected ||
                budgetSpent)
                finish(std::nullopt);
            return;
        }
        if (budgetSpent)
            finish(std::nullopt);
    }

    FaceEngine& engine_;
    VisionThresholds t_;
    Embedding reference_;
    std::optional<ArcFaceEmbedding> arcReference_;
    bool still_;
    EvidenceAccumulator evidence_;
    std::unique_ptr<FaceTracker> tracker_;
    std::unique_ptr<LivenessCheck> liveness_;
    bool livenessRequired_;
    std::optional<Landmarks68> previous_;
    std::optional<Landmarks68> lastEmbedded_;
    std::int64_t lastEmbeddedMs_ = 0;
    std::optional<std::int64_t> firstTimestamp_;
    std::int64_t lastTimestamp_ = 0;
    int framesSeen_ = 0, goodFrames_ = 0, noFaceFrames_ = 0, severalFaceFrames_ = 0;
    int embedded_ = 0, agreeing_ = 0;
    bool scoreAccepted_ = false, earlyAccept_ = false;
    std::optional<double> acceptedScore_;
    std::map<Guidance, int> guidanceCounts_;
    std::vector<FrameFinding> findings_;
    bool decided_ = false;
    VerificationResult result_;
};

}  // namespace

const VerificationOutcomeInfo& verificationOutcomeInfo(VerificationOutcome outcome) {
    for (const auto& info : kOutcomes)
        if (info.code == outcome)
            return info;
    assert(false && "VerificationOutcome without a table entry");
    return kOutcomes.back();
}

FaceVerifier::FaceVerifier(FaceEngine& engine, VisionThresholds thresholds)
    : engine_(engine), thresholds_(thresholds) {}

std::unique_ptr<VerificationRun> FaceVerifier::begin(const ChipReference& reference,
                                                     bool stillImage) {
    return std::make_unique<Run>(engine_, thresholds_, reference.embedding, reference.arcFace,
                                 stillImage);
}

std::unique_ptr<VerificationRun> FaceVerifier::begin(const Embedding& reference, bool stillImage) {
    return std::make_unique<Run>(engine_, thresholds_, reference, std::nullopt, stillImage);
}

VerificationResult FaceVerifier::verify(const Embedding& reference, FrameSource& source,
                                        const std::function<bool()>& cancelled) {
    ChipReference chip;
    chip.embedding = reference;
    return verify(chip, source, cancelled);
}

VerificationResult FaceVerifier::verify(const ChipReference& reference, FrameSource& source,
                                        const std::function<bool()>& cancelled) {
    auto run = begin(reference, source.kind() == FrameSourceKind::kStillImage);
    while (true) {
        if (cancelled && cancelled()) {
            VerificationResult r = run->finish(std::nullopt);
            r.outcome = VerificationOutcome::kCanceled;
            return r;
        }
        if (auto decided = run->decision())
            return *decided;
        auto frame = source.next();
        if (!frame)
            return run->finish(source.error());
        run->addFrame(*frame);
    }
}

}  // namespace uketsuke::vision
