#include "terminal/session/session_adapters.h"

#include <openssl/crypto.h>

namespace uketsuke::terminal {

card::CardResult<card::CardInfo> CardServicePort::open() {
    service_.reset();
    auto service = card::CardService::open(config_);
    if (!service)
        return service.failure();
    service_ = std::move(service).takeValue();
    holdingReader_ = service_->readerName();
    return service_->readInfo();
}

card::CardResult<card::AuthCertificateCheck> CardServicePort::checkAuthCertificate(
    const card::CardInfo& info, card::TimePoint now) {
    if (!service_)
        return card::cardFail(card::CardErrorCode::kNoCard, "no card session");
    return service_->checkAuthCertificate(info, now);
}

card::CardResult<card::VerifiedPhoto> CardServicePort::readVerifiedPhoto(
    SecretBytes verificationNumberB, card::LastTry lastTry) {
    if (!service_)
        return card::cardFail(card::CardErrorCode::kNoCard, "no card session");
    return service_->readVerifiedPhoto(std::move(verificationNumberB), lastTry);
}

card::CardStatus CardServicePort::verifyAuthPin(SecretBytes pin, card::LastTry lastTry) {
    if (!service_)
        return card::cardFail(card::CardErrorCode::kNoCard, "no card session");
    return service_->verifyAuthPin(std::move(pin), lastTry);
}

card::CardResult<Bytes> CardServicePort::signAuthDigest(ByteView sha256Digest) {
    if (!service_)
        return card::cardFail(card::CardErrorCode::kNoCard, "no card session");
    return service_->signAuthDigest(sha256Digest);
}

card::CardResult<card::CardPresenceAnswer> CardServicePort::answerCardChallenge(
    ByteView challenge) {
    if (!service_)
        return card::cardFail(card::CardErrorCode::kNoCard, "no card session");
    return service_->answerCardChallenge(challenge);
}

bool CardServicePort::cardWasRemoved() {
    auto context = card::PcscContext::establish();
    // The reader that held this card (card.reader may be a pattern naming several).
    const std::string& reader = holdingReader_.empty() ? config_.reader : holdingReader_;
    if (!context || reader.empty())
        return false;
    // pcscd polls presence every 400 ms: give it that long to notice a card that just left.
    return context.value()->waitForRemoval(reader, 600).ok();
}

Status<std::string> VisionFacePort::setReference(ByteView chipPhotoJp2) {
    wipe();
    auto reference = vision::loadChipPhoto(engine_, chipPhotoJp2);
    if (!reference)
        return fail(std::string("chip photo unusable"));
    reference_ = std::move(reference).takeValue();
    return Unit{};
}

void VisionFacePort::beginAttempt(bool stillImage) {
    run_.reset();
    if (reference_)
        run_ = verifier_.begin(*reference_, stillImage);
}

namespace {

// The presentation verdict of a verification. The one place that maps vision's liveness verdict
// onto the session's (issue 13: the passive cues say live, attack suspected, or unsure).
PresentationVerdict presentationOf(const vision::VerificationResult& r) {
    if (!r.livenessAssessed)
        return PresentationVerdict::kNotAssessed;
    switch (r.liveness.verdict) {
        case vision::LivenessVerdict::kLive:
            return PresentationVerdict::kLive;
        case vision::LivenessVerdict::kSpoofSuspected:
            return PresentationVerdict::kAttackSuspected;
        case vision::LivenessVerdict::kUnsure:
        case vision::LivenessVerdict::kInsufficientEvidence:
            return PresentationVerdict::kUnsure;
    }
    return PresentationVerdict::kUnsure;
}

FaceAttempt toAttempt(const vision::VerificationResult& r) {
    FaceAttempt a;
    a.matched = r.outcome == vision::VerificationOutcome::kAccepted;
    // The face is the chip photo's; whether it is presented live is a separate question
    // (kLivenessFailed: attack suspected; kLivenessUnsure: ask the active challenge).
    a.identityMatched = r.outcome == vision::VerificationOutcome::kAccepted ||
                        r.outcome == vision::VerificationOutcome::kLivenessFailed ||
                        r.outcome == vision::VerificationOutcome::kLivenessUnsure;
    a.presentation = presentationOf(r);
    if (r.distance)
        a.distance = r.distance->value;
    a.threshold = r.threshold;
    a.reason = std::string(vision::verificationOutcomeInfo(r.outcome).name);
    if (r.guidance != vision::Guidance::kNone)
        a.reason.append(":").append(vision::guidanceInfo(r.guidance).name);
    return a;
}

}  // namespace

std::optional<FaceAttempt> VisionFacePort::addFrame(const vision::Frame& frame) {
    if (!run_)
        return FaceAttempt{false, std::nullopt, 0.0, "no-reference"};
    const auto finding = run_->addFrame(frame);
    hint_.faceCount = finding.faceCount;
    hint_.guidance.clear();
    if (finding.quality && !finding.quality->acceptable())
        hint_.guidance = vision::guidanceInfo(finding.quality->primaryGuidance()).name;
    if (auto decision = run_->decision())
        return toAttempt(*decision);
    return std::nullopt;
}

FaceAttempt VisionFacePort::finishAttempt() {
    if (!run_)
        return FaceAttempt{false, std::nullopt, 0.0, "no-reference"};
    return toAttempt(run_->finish());
}

void VisionFacePort::beginChallenge(vision::ChallengeAction action,
                                    std::chrono::milliseconds promptDelay) {
    challenge_.reset();
    challengeAction_ = action;
    challengeDelay_ = promptDelay;
    neutralFrame_.release();
}

bool VisionFacePort::answeringFaceMatches() {
    if (!reference_ || neutralFrame_.empty())
        return false;
    auto chip = engine_.aligner().align(neutralFrame_, neutralLandmarks_);
    if (!chip)
        return false;
    auto embedding = engine_.embedChip(chip.value());
    if (!embedding)
        return false;
    const double d = vision::distance(reference_->embedding, embedding.value()).value;
    return d <= thresholds_.verifier.maxDistance + kChallengeIdentityMargin;
}

ChallengeProgress VisionFacePort::addChallengeFrame(const vision::Frame& frame) {
    ChallengeProgress p;
    if (!reference_ || frame.bgr.empty()) {
        p.verdict = vision::ChallengeVerdict::kNoResponse;
        return p;
    }
    if (!challenge_)
        challenge_.emplace(challengeAction_, frame.timestampMs + challengeDelay_.count(),
                           challengeOptions_);
    auto& c = *challenge_;
    auto faces = engine_.detector().detect(frame.bgr, thresholds_.detector);
    const int count = faces ? static_cast<int>(faces->size()) : 0;
    p.hint.faceCount = count;
    if (count == 1) {
        vision::AnalyseOptions options;
        options.quality = thresholds_.quality;
        options.computeEmbeddings = false;
        auto obs = engine_.analyseBox(frame.bgr, faces->front().box, options);
        if (obs) {
            c.addFrame(frame.timestampMs, obs->landmarks);
            if (c.lastFrameNeutral()) {
                neutralFrame_ = frame.bgr.clone();
                neutralLandmarks_ = obs->landmarks;
            }
        } else {
            c.addFrameWithoutFace(frame.timestampMs);
        }
    } else {
        c.addFrameWithoutFace(frame.timestampMs);
    }
    p.promptShown = c.promptReached();
    if (p.promptShown) {
        const auto left = c.promptAtMs() + challengeOptions_.responseWindowMs - frame.timestampMs;
        p.timeLeft = std::chrono::milliseconds(std::max<std::int64_t>(0, left));
    }
    if (c.verdict() != vision::ChallengeVerdict::kPending) {
        p.verdict = c.verdict();
        if (*p.verdict == vision::ChallengeVerdict::kPassed && !answeringFaceMatches())
            p.identityMismatch = true;
        OPENSSL_cleanse(neutralFrame_.data, neutralFrame_.total() * neutralFrame_.elemSize());
        neutralFrame_.release();
    }
    return p;
}

vision::ChallengeVerdict VisionFacePort::finishChallenge() {
    const auto v = challenge_ ? challenge_->finish() : vision::ChallengeVerdict::kNoResponse;
    if (!neutralFrame_.empty())
        OPENSSL_cleanse(neutralFrame_.data, neutralFrame_.total() * neutralFrame_.elemSize());
    neutralFrame_.release();
    return v == vision::ChallengeVerdict::kPassed ? vision::ChallengeVerdict::kNoResponse : v;
}

void VisionFacePort::wipe() {
    run_.reset();
    challenge_.reset();
    if (!neutralFrame_.empty())
        OPENSSL_cleanse(neutralFrame_.data, neutralFrame_.total() * neutralFrame_.elemSize());
    neutralFrame_.release();
    hint_ = {};
    if (reference_) {
        OPENSSL_cleanse(reference_->embedding.data(),
                        reference_->embedding.size() * sizeof(reference_->embedding[0]));
        reference_.reset();
    }
}

}  // namespace uketsuke::terminal
