// The session controller's ports (issue 4, "session core, headless and event-driven"): small
// interfaces over the card, the face check, the card-front reader (照合番号B fields), the
// qualification service, the result file, the confirmation log and the clock. The controller
// (session_controller.h) sees only these, so it runs against the real pcscd + virtual card +
// service (session_adapters.h) and against test doubles alike.
//
// The log port takes a SessionSummary (plain fields), not the log's ConfirmationRecord, so the
// session core does not depend on the log's storage types; session_log_sink.cpp converts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "card/card_classifier.h"
#include "card/card_error.h"
#include "card/card_service.h"
#include "card/certificate.h"
#include "card/jpki_ap.h"
#include "terminal/qualification/attestation.h"
#include "terminal/qualification/qualification_client.h"
#include "terminal/qualification/qualification_error.h"
#include "terminal/qualification/qualification_types.h"
#include "terminal/result_file/result_file_writer.h"
#include "terminal/session/session_summary.h"
#include "uketsuke/bytes.h"
#include "uketsuke/result.h"
#include "vision/challenge.h"
#include "vision/frame_source.h"

namespace uketsuke::terminal {

// One card insertion. open() connects and reads the CardInfo (no try consumed); every later call
// talks to the same card session; close() resets the card so no verified state outlives it.
class CardPort {
  public:
    virtual ~CardPort() = default;
    virtual card::CardResult<card::CardInfo> open() = 0;
    virtual card::CardResult<card::AuthCertificateCheck> checkAuthCertificate(
        const card::CardInfo& info, card::TimePoint now) = 0;
    virtual card::CardResult<card::VerifiedPhoto> readVerifiedPhoto(SecretBytes verificationNumberB,
                                                                    card::LastTry lastTry) = 0;
    virtual card::CardStatus verifyAuthPin(SecretBytes pin, card::LastTry lastTry) = 0;
    // Signs a SHA-256 digest with the auth key (the card builds the DigestInfo itself).
    virtual card::CardResult<Bytes> signAuthDigest(ByteView sha256Digest) = 0;
    // The card signs the qualification service's challenge with its DF24 key (issue 16: a face
    // or 目視 attestation proves the card is in the reader). Needs the verified chip photo of this
    // card session. A port without a card key cannot answer.
    virtual card::CardResult<card::CardPresenceAnswer> answerCardChallenge(ByteView challenge) {
        (void)challenge;
        return card::cardFail(card::CardErrorCode::kInvalidInput, "this card port has no card key");
    }
    virtual void close() = 0;
    // After a transport failure: true when the card has left the reader (the session is then
    // aborted, not failed). May wait briefly for the reader's presence poll.
    virtual bool cardWasRemoved() = 0;
};

// The printed fields 照合番号B is built from (card-protocol.md §5.1). This issue supplies them by
// staff entry; card-front OCR (issue 6) implements the same interface.
struct CardFrontFields {
    std::chrono::year_month_day birthDate{};
    int expiryYear = 0;
    SecretBytes securityCode;  // 4 digits under the photo
};

class CardFrontReader {
  public:
    virtual ~CardFrontReader() = default;
    // nullopt: no fields available (staff declined, OCR failed): the face path is not possible.
    virtual std::optional<CardFrontFields> readFields() = 0;
    // A new card is in the reader: forget what was read from the previous one.
    virtual void beginCardSession() {}
    // The card refused these fields (wrong 照合番号B): a reader must never hand them out again in
    // this card session, since each try costs one of the card's few 照合番号B tries.
    virtual void markDoubtful(const CardFrontFields& fields) { (void)fields; }
};

// What presentation-attack detection made of an attempt's frames (issue 13): a live face, an
// attack suspected (photo, screen, the card's own photo), or not sure (the active challenge
// decides). A still image in demo-still camera mode is not assessed (kNotAssessed).
enum class PresentationVerdict { kLive, kAttackSuspected, kUnsure, kNotAssessed };

// One face attempt's conclusion. No image, no embedding.
struct FaceAttempt {
    bool matched = false;            // identity matched AND the presentation was judged live
    std::optional<double> distance;  // median distance of the attempt (lower = same face)
    double threshold = 0.0;
    std::string reason;  // vision outcome name ("accepted", "mismatch", "no-face", ...)
    // The face matched the chip photo within the threshold, whatever the presentation verdict.
    bool identityMatched = false;
    PresentationVerdict presentation = PresentationVerdict::kNotAssessed;
};

// What the live preview shows after a frame: how many faces, and the face engine's guidance for
// the patient ("come_closer", "face_camera", "remove_mask", "more_light", ...; empty when the
// face is good). No pixels, no embedding.
struct FaceHint {
    int faceCount = 0;
    std::string guidance;
};

// One step of the active challenge (FacePort::addChallengeFrame).
struct ChallengeProgress {
    bool promptShown = false;  // the random moment has come: the screen asks for the action
    std::optional<std::chrono::milliseconds> timeLeft;  // of the response window, once prompted
    std::optional<vision::ChallengeVerdict> verdict;    // once decided
    // The action was seen, but the face answering is not the face that matched the chip photo
    // (a photo matched, someone else answered): the verdict is then not kPassed.
    bool identityMismatch = false;
    FaceHint hint;
};

// The face check against the chip photo. setReference() embeds the chip photo and keeps only
// the embedding; beginAttempt() starts a multi-frame decision; wipe() forgets the embedding.
class FacePort {
  public:
    virtual ~FacePort() = default;
    // Error text on a photo that cannot serve as a reference (corrupt, no face).
    virtual Status<std::string> setReference(ByteView chipPhotoJp2) = 0;
    virtual void beginAttempt(bool stillImage) = 0;
    // The attempt's decision once reached; nullopt while more frames could decide.
    virtual std::optional<FaceAttempt> addFrame(const vision::Frame& frame) = 0;
    // The decision with the frames so far (end of stream).
    virtual FaceAttempt finishAttempt() = 0;
    // The hint from the last frame given to addFrame().
    virtual FaceHint lastHint() const { return {}; }
    virtual void wipe() = 0;
    // The active challenge (vision/challenge.h) after a matched attempt: `action` is asked
    // `promptDelay` after the first challenge frame. A port without one fails every challenge.
    virtual void beginChallenge(vision::ChallengeAction action,
                                std::chrono::milliseconds promptDelay) {
        (void)action;
        (void)promptDelay;
    }
    virtual ChallengeProgress addChallengeFrame(const vision::Frame& frame) {
        (void)frame;
        ChallengeProgress p;
        p.verdict = vision::ChallengeVerdict::kNoResponse;
        return p;
    }
    // End of stream during the challenge.
    virtual vision::ChallengeVerdict finishChallenge() {
        return vision::ChallengeVerdict::kNoResponse;
    }
};

// Randomness for the challenge (which action, when): OpenSSL's RAND_bytes by default; tests
// inject a fixed sequence.
class RandomSource {
  public:
    virtual ~RandomSource() = default;
    virtual std::uint32_t next() = 0;
};

class QualificationPort {
  public:
    virtual ~QualificationPort() = default;
    virtual Result<Challenge, QualificationError> requestChallenge() = 0;
    virtual Result<SignedAttestation, QualificationError> attest(const AttestationInput& input) = 0;
    virtual Result<QualificationResult, QualificationError> confirm(
        const ConfirmRequest& request) = 0;
};

class ResultSink {
  public:
    virtual ~ResultSink() = default;
    // The published file, or an error text.
    virtual Result<std::filesystem::path, std::string> write(const ResultFileInput& input,
                                                             std::time_t now) = 0;
    // Two-step publication (issue 14): stage() makes the file durable but invisible, publish()
    // renames it into place after the session's row is committed, discard() drops it when the
    // log refused the row. The default keeps the input in memory and writes it at publish()
    // (for sinks without a folder, such as test doubles).
    virtual Result<StagedResultRef, std::string> stage(const ResultFileInput& input,
                                                       std::time_t now,
                                                       const std::string& sessionId) {
        staged_[sessionId] = {input, now};
        return StagedResultRef{sessionId, sessionId};
    }
    virtual Result<std::filesystem::path, std::string> publish(const StagedResultRef& staged) {
        const auto it = staged_.find(staged.stagedName);
        if (it == staged_.end())
            return fail(std::string("nothing staged"));
        auto written = write(it->second.first, it->second.second);
        staged_.erase(it);
        return written;
    }
    virtual void discard(const StagedResultRef& staged) { staged_.erase(staged.stagedName); }

  private:
    std::map<std::string, std::pair<ResultFileInput, std::time_t>> staged_;
};

class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point steadyNow() const = 0;
    virtual std::chrono::system_clock::time_point systemNow() const = 0;
};

class SystemClock final : public Clock {
  public:
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point systemNow() const override {
        return std::chrono::system_clock::now();
    }
};

}  // namespace uketsuke::terminal
