// Everything the terminal holds about the patient in front of it (issue 4; style.md §7): one
// struct, created when a card is inserted and wiped when the session ends, whatever the path.
// It holds no secret: the PIN, the 照合番号B and the 目視 password are SecretBytes passed through
// the controller to the card or the staff check and wiped there. The chip photo's embedding lives
// in the face port only for the session (FacePort::wipe()).
#pragma once

#include <openssl/crypto.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "card/card_classifier.h"
#include "terminal/qualification/qualification_types.h"
#include "terminal/session/consent.h"
#include "terminal/session/failure_reason.h"
#include "terminal/session/identity_policy.h"
#include "terminal/session/session_ports.h"

namespace uketsuke::terminal {

struct SessionData {
    std::string sessionId;
    std::chrono::system_clock::time_point startedAt{};
    std::optional<card::CardInfo> card;  // certificates and counters; no My Number
    CardFacts facts;
    Admission admission;
    MethodOffer offer;
    bool chipPhotoVerified = false;  // the embedding itself stays in the face port
    // The 6 era digits of the birth date the card accepted in 照合番号B (face path only).
    std::optional<std::string> provenBirthDigits;
    // That the card key is this card's certified key (chip photo read): sent with the card's
    // answer to the service's challenge in a face or 目視 attestation (issue 16).
    std::optional<card::CardKeyEvidence> cardKeyEvidence;
    std::optional<IdentityMethod> method;  // the method that proved the identity
    int faceAttempts = 0;
    int pinAttempts = 0;
    int staffAttempts = 0;
    std::optional<double> bestDistance;
    double faceThreshold = 0.0;
    std::optional<std::string> staffId;
    std::string staffDecisionReason;
    std::optional<ConsentRecord> consent;
    std::optional<QualificationResult> result;
    std::optional<std::filesystem::path> resultFile;
    std::optional<StagedResultRef> stagedResult;  // staged, published once the row is committed
    std::string resultCode;
    std::optional<SessionOutcome> outcome;  // decided (set once the session's end is known)
    std::optional<SessionReason> failureReason;
    // A refused presentation (issue 13): presentation-attack-suspected[:challenge-...]. It is
    // the row's failure reason whatever the fallback then achieved.
    std::optional<SessionReason> presentationRefusal;
    bool demoStillUsed = false;  // a face attempt ran on the demo still camera
    // Terminal time per phase in microseconds: time spent inside the controller's handlers, so the
    // patient's and staff's thinking time (and a script's pauses) are excluded.
    std::map<std::string, std::int64_t> phaseUs;

    // Overwrites the certificates and forgets everything (end of session).
    void wipe() {
        if (card) {
            if (!card->authCertificate.empty())
                OPENSSL_cleanse(card->authCertificate.data(), card->authCertificate.size());
            if (!card->authCaCertificate.empty())
                OPENSSL_cleanse(card->authCaCertificate.data(), card->authCaCertificate.size());
        }
        *this = SessionData{};
    }
};

}  // namespace uketsuke::terminal
