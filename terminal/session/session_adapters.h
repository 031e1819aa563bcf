// The production adapters of the session ports (session_ports.h): the card over
// card::CardService (real PC/SC), the face check over vision's VerificationRun and the chip
// photo, the qualification service over QualificationClient + AttestationSigner (mutual TLS),
// result files over writeResultFile, and the card-front fields as entered by staff.
#pragma once

#include <memory>
#include <optional>

#include "card/card_service.h"
#include "terminal/config.h"
#include "terminal/qualification/attestation.h"
#include "terminal/qualification/qualification_client.h"
#include "terminal/result_file/result_file_writer.h"
#include "terminal/session/session_ports.h"
#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/face_verifier.h"

namespace uketsuke::terminal {

class CardServicePort final : public CardPort {
  public:
    explicit CardServicePort(card::CardServiceConfig config) : config_(std::move(config)) {}
    card::CardResult<card::CardInfo> open() override;
    card::CardResult<card::AuthCertificateCheck> checkAuthCertificate(const card::CardInfo& info,
                                                                      card::TimePoint now) override;
    card::CardResult<card::VerifiedPhoto> readVerifiedPhoto(SecretBytes verificationNumberB,
                                                            card::LastTry lastTry) override;
    card::CardStatus verifyAuthPin(SecretBytes pin, card::LastTry lastTry) override;
    card::CardResult<Bytes> signAuthDigest(ByteView sha256Digest) override;
    card::CardResult<card::CardPresenceAnswer> answerCardChallenge(ByteView challenge) override;
    void close() override { service_.reset(); }
    bool cardWasRemoved() override;

  private:
    card::CardServiceConfig config_;
    std::unique_ptr<card::CardService> service_;
    std::string holdingReader_;
};

// The live loop's face thresholds from the terminal configuration (vision.embed_every_ms).
inline vision::VisionThresholds liveLoopThresholds(const VisionConfig& config) {
    static_assert(VisionConfig::kDefaultEmbedEveryMs == vision::kDefaultEmbedEveryMs);
    vision::VisionThresholds t;
    t.verifier.embedEveryMs = config.embedEveryMs;
    return t;
}

class VisionFacePort final : public FacePort {
  public:
    // The engine must outlive the port.
    VisionFacePort(vision::FaceEngine& engine, vision::VisionThresholds thresholds,
                   vision::ChallengeOptions challenge = {})
        : engine_(engine),
          thresholds_(thresholds),
          verifier_(engine, thresholds),
          challengeOptions_(challenge) {}
    ~VisionFacePort() override { wipe(); }
    VisionFacePort(const VisionFacePort&) = delete;
    VisionFacePort& operator=(const VisionFacePort&) = delete;
    Status<std::string> setReference(ByteView chipPhotoJp2) override;
    void beginAttempt(bool stillImage) override;
    std::optional<FaceAttempt> addFrame(const vision::Frame& frame) override;
    FaceAttempt finishAttempt() override;
    FaceHint lastHint() const override { return hint_; }
    void wipe() override;
    void beginChallenge(vision::ChallengeAction action,
                        std::chrono::milliseconds promptDelay) override;
    ChallengeProgress addChallengeFrame(const vision::Frame& frame) override;
    vision::ChallengeVerdict finishChallenge() override;

    // The answering face must be the matched face: its distance to the chip photo within the
    // single-frame threshold plus this margin (a frame of the challenge is not chosen for quality).
    static constexpr double kChallengeIdentityMargin = 0.05;

  private:
    bool answeringFaceMatches();

    vision::FaceEngine& engine_;
    vision::VisionThresholds thresholds_;
    vision::FaceVerifier verifier_;
    vision::ChallengeOptions challengeOptions_;
    std::optional<vision::ChallengeCheck> challenge_;
    vision::ChallengeAction challengeAction_ = vision::ChallengeAction::kTurnLeft;
    std::chrono::milliseconds challengeDelay_{0};
    cv::Mat neutralFrame_;  // the last frontal, eyes-open frame after the prompt (identity check)
    vision::Landmarks68 neutralLandmarks_{};
    std::optional<vision::ChipReference> reference_;
    std::unique_ptr<vision::VerificationRun> run_;
    FaceHint hint_;
};

class ClientQualificationPort final : public QualificationPort {
  public:
    ClientQualificationPort(QualificationClient client, AttestationSigner signer)
        : client_(std::move(client)), signer_(std::move(signer)) {}
    Result<Challenge, QualificationError> requestChallenge() override {
        return client_.requestChallenge();
    }
    Result<SignedAttestation, QualificationError> attest(const AttestationInput& input) override {
        return signer_.sign(input);
    }
    Result<QualificationResult, QualificationError> confirm(
        const ConfirmRequest& request) override {
        return client_.confirm(request);
    }

  private:
    QualificationClient client_;
    AttestationSigner signer_;
};

class ResultFolderSink final : public ResultSink {
  public:
    explicit ResultFolderSink(ResultFileConfig config) : config_(std::move(config)) {}
    Result<std::filesystem::path, std::string> write(const ResultFileInput& input,
                                                     std::time_t now) override;
    Result<StagedResultRef, std::string> stage(const ResultFileInput& input, std::time_t now,
                                               const std::string& sessionId) override;
    Result<std::filesystem::path, std::string> publish(const StagedResultRef& staged) override;
    void discard(const StagedResultRef& staged) override;
    const std::filesystem::path& folder() const { return config_.resFolder; }

  private:
    ResultFileConfig config_;
    std::map<std::string, StagedResultFile> staged_;  // by staged (temp) name, lock held
};

// 照合番号B fields typed in by staff from the card front (until OCR, issue 6). The fields are
// handed over once and forgotten.
class StaffEntryCardFront final : public CardFrontReader {
  public:
    void enter(CardFrontFields fields) { fields_ = std::move(fields); }
    std::optional<CardFrontFields> readFields() override {
        auto fields = std::move(fields_);
        fields_.reset();
        return fields;
    }

  private:
    std::optional<CardFrontFields> fields_;
};

}  // namespace uketsuke::terminal
