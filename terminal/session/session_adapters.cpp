#include "terminal/session/session_adapters.h"

#include <openssl/crypto.h>

namespace uketsuke::terminal {

card::CardResult<card::CardInfo> CardServicePort::open() {
    service_.reset();
    auto service = card::CardService::open(config_);
    if (!service)
        return service.failure();
    service_ = std::move(service).takeValue();
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

bool CardServicePort::cardWasRemoved() {
    auto context = card::PcscContext::establish();
    if (!context || config_.reader.empty())
        return false;
    // pcscd polls presence every 400 ms: give it that long to notice a card that just left.
    return context.value()->waitForRemoval(config_.reader, 600).ok();
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

FaceAttempt toAttempt(const vision::VerificationResult& r) {
    FaceAttempt a;
    a.matched = r.outcome == vision::VerificationOutcome::kAccepted;
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

void VisionFacePort::wipe() {
    run_.reset();
    hint_ = {};
    if (reference_) {
        OPENSSL_cleanse(reference_->embedding.data(),
                        reference_->embedding.size() * sizeof(reference_->embedding[0]));
        reference_.reset();
    }
}

Result<std::filesystem::path, std::string> ResultFolderSink::write(const ResultFileInput& input,
                                                                   std::time_t now) {
    auto path = writeResultFile(config_, input, now);
    if (!path)
        return fail(std::string("result file not written"));
    return path.value();
}

Result<StagedResultRef, std::string> ResultFolderSink::stage(const ResultFileInput& input,
                                                             std::time_t now,
                                                             const std::string& sessionId) {
    auto staged = stageResultFile(config_, input, now, sessionId);
    if (!staged)
        return fail("result file not staged: " + staged.error().detail);
    StagedResultRef ref{staged->file.tempName(), staged->baseName};
    staged_.insert_or_assign(ref.stagedName, std::move(staged).takeValue());
    return ref;
}

Result<std::filesystem::path, std::string> ResultFolderSink::publish(const StagedResultRef& ref) {
    const auto it = staged_.find(ref.stagedName);
    if (it == staged_.end())
        return fail(std::string("nothing staged as ") + ref.stagedName);
    auto published = publishResultFile(it->second);
    if (!published)
        return fail("result file not published: " + published.error().detail);
    staged_.erase(it);
    return published.value();
}

void ResultFolderSink::discard(const StagedResultRef& ref) {
    const auto it = staged_.find(ref.stagedName);
    if (it == staged_.end())
        return;
    discardStaged(it->second.file);
    staged_.erase(it);
}

}  // namespace uketsuke::terminal
