// Client of the qualification service (sim/qualification/README.md) over mutual TLS: requests a
// challenge, sends the identity proof with the card's auth certificate and returns a typed
// QualificationResult (qualification-domain.md §4.2–4.3) or a typed QualificationError.
//
// Retry policy: only the challenge request is retried (it is idempotent: an unused challenge
// simply expires), with bounded attempts and exponential backoff, and only for transport faults,
// 5xx and 429. A confirm is never retried: the service consumes the challenge on the first
// confirm that names it, so after any confirm failure the caller must request a new challenge
// and obtain a new proof (a new card signature, a new attestation).
//
// Thread-safety: const members may be called concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "terminal/qualification/attestation.h"
#include "terminal/qualification/https_transport.h"
#include "terminal/qualification/qualification_error.h"
#include "terminal/qualification/qualification_types.h"
#include "uketsuke/bytes.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct QualificationClientConfig {
    TlsClientConfig tls;
    int challengeAttempts = 3;  // total tries of POST /v1/challenge (1 = no retry)
    int initialBackoffMs = 200;
    int maxBackoffMs = 2000;
    // This clinic's 医療機関コード (10 digits); when set, an answer naming another is refused.
    std::string expectedInstitutionCode;
    // The answer names the request it answers ("request": challenge and SHA-256 of the card's
    // auth certificate); a mismatch is always refused. Whether an answer WITHOUT that echo is
    // refused too is this flag: the echo is this project's reference-service protocol, not a
    // confirmed fact of the national service (unconfirmed: named assumption, default off).
    bool requireAnswerBinding = false;
};

struct ConfirmRequest {
    Challenge challenge;
    Bytes authCertificateDer;
    IdentityMethod method = IdentityMethod::kPin;
    Bytes pinSignature;  // kPin: the card's signature over pinProofDigestInfo(challenge)
    std::optional<SignedAttestation> attestation;  // kFace / kStaff
};

class QualificationClient {
  public:
    static Result<QualificationClient, QualificationError> create(
        const QualificationClientConfig& config);

    Result<Challenge, QualificationError> requestChallenge() const;
    Result<QualificationResult, QualificationError> confirm(const ConfirmRequest& request) const;

    // Interpretation of raw answers (exposed for tests of malformed answers).
    static Result<Challenge, QualificationError> parseChallengeResponse(const HttpResponse& r);
    static Result<QualificationResult, QualificationError> parseConfirmResponse(
        const HttpResponse& r, IdentityMethod expectedMethod);

    // Replaces the sleep between challenge attempts (tests measure backoff without waiting).
    void setSleepForTesting(std::function<void(int ms)> sleep) { sleep_ = std::move(sleep); }

  private:
    QualificationClient(HttpsTransport transport, QualificationClientConfig config)
        : transport_(std::move(transport)), config_(std::move(config)) {}

    HttpsTransport transport_;
    QualificationClientConfig config_;
    std::function<void(int ms)> sleep_;
};

}  // namespace uketsuke::terminal
