// The terminal's attestation for the face and staff (目視) paths (sim/qualification/README.md,
// "Attestation"): a JSON statement of the check performed, bound to the service's challenge and to
// the card's auth certificate, signed with the terminal's client key (the key of the medical
// institution's TLS client certificate) so that the service can verify it against the
// certificate presented on the same mutual-TLS connection.
//
// Why an attestation: a face-only card has no PIN, and without a PIN the card will not sign
// (card-protocol.md §7); the legal basis is the verifier confirming the holder by the photo.
#pragma once

#include <openssl/evp.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "card/card_presence.h"
#include "terminal/qualification/qualification_error.h"
#include "terminal/qualification/qualification_types.h"
#include "terminal/qualification/terminal_key.h"
#include "uketsuke/bytes.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct FaceCheck {
    double matchDistance = 0.0;  // EmbeddingDistance: lower means same face
    double threshold = 0.0;      // the threshold the decision was made with
};

struct StaffCheck {
    std::string staffId;  // who approved; never the 目視 password
};

// The card's own proof of presence (card/kenmen_ap.h): the evidence that DF24 is its certified
// key and its DF24 signature over the service's challenge and its nonce.
struct CardPresence {
    card::CardKeyEvidence evidence;
    card::CardPresenceAnswer answer;
};

struct AttestationInput {
    Bytes challenge;  // raw challenge bytes as issued
    IdentityMethod method = IdentityMethod::kFace;
    Bytes authCertificateDer;
    std::optional<FaceCheck> face;     // required for kFace
    std::optional<StaffCheck> staff;   // required for kStaff
    std::optional<CardPresence> card;  // when the card answered the challenge (issue 16)
    std::time_t time = 0;              // when the check concluded (Unix seconds)
};

struct SignedAttestation {
    std::string statement;  // the exact UTF-8 JSON bytes that were signed
    Bytes signature;        // SHA-256 with the client key (ECDSA or RSA PKCS#1 v1.5)
};

// The statement JSON, deterministic for a given input (exposed for tests).
Result<std::string, QualificationError> attestationStatement(const AttestationInput& input);

// Holds the terminal's private key for the lifetime of the terminal process.
// Thread-safety: sign() is const and may be called concurrently.
class AttestationSigner {
  public:
    static Result<AttestationSigner, QualificationError> fromKeyFile(const std::string& path);
    // The terminal key wherever it lives (file or TPM; terminal_key.h).
    static Result<AttestationSigner, QualificationError> fromKey(const TerminalKeySpec& spec);

    Result<SignedAttestation, QualificationError> sign(const AttestationInput& input) const;

  private:
    explicit AttestationSigner(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace uketsuke::terminal
