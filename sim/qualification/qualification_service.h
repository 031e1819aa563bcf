// The reference qualification service's logic, independent of HTTP (sim/qualification/README.md):
// challenges, proof verification (PIN signature or terminal attestation), certificate checks and
// the insured-persons lookup with the validity codes of qualification-domain.md §4.2–4.3.
//
// Thread-safety: every public member may be called from several HTTP worker threads at once.
#pragma once

#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "sim/qualification/certificate_checker.h"
#include "sim/qualification/insured_database.h"
#include "sim/qualification/service_error.h"
#include "uketsuke/result.h"

namespace uketsuke::sim {

enum class CardPresencePolicy { kOff, kFace, kAll };

struct ServiceConfig {
    int challengeLifetimeS = 120;
    // Hard bound on the challenges held for all clients together (memory).
    std::size_t maxOutstandingChallenges = 10000;
    // Outstanding challenges per client identity (the TLS client certificate's SHA-256): one
    // terminal cannot use up the service for the others (issue 14).
    std::size_t maxChallengesPerClient = 64;
    // Accepted difference between the terminal's attestation time and the service clock.
    int attestationSkewS = 300;
    // The laxest face-match threshold the service accepts in an attestation: a terminal cannot
    // claim a match against a threshold looser than this.
    double maxFaceThreshold = 0.6;
    // Serve only terminals whose client certificate carries kHardwareKeyPolicyOid (issue 16): the
    // facility's CA issues that policy only for keys generated inside a TPM / token, so a
    // terminal key copied to a file (or any software key) is refused.
    bool requireHardwareKey = false;
    // Staff the facilities registered for 目視 (issue 16): medical institution code (the client
    // certificate's CN) -> staff IDs. When set, a staff attestation naming anyone else is refused
    // (a terminal key alone cannot vouch for an invented clerk). Unset: any staff ID (tests of
    // other behaviour only).
    std::optional<std::map<std::string, std::set<std::string>>> staffRegistry;
    // Which attestations must carry the card's proof of presence (issue 16; README "Card
    // presence"): none, face only (the face path always has the chip photo), or face and 目視.
    CardPresencePolicy cardPresence = CardPresencePolicy::kOff;
    // The 券面AP CV-CA public key that anchors EF 0004; required unless cardPresence is kOff.
    std::shared_ptr<EVP_PKEY> kenmenCvcaKey;
};

// Reads a staff registry: {"version": 1, "institutions": {"<10-digit code>": ["S001", …]}}.
Result<std::map<std::string, std::set<std::string>>, std::string> loadStaffRegistry(
    const std::string& file);

// Certificate policy "the certified key is held in hardware and cannot be exported" of this
// project's test CA (an OID under 2.25, the UUID arc that needs no registration). Which policy
// the national service's CA uses is not public: a named assumption of the reference service.
inline constexpr const char* kHardwareKeyPolicyOid = "2.25.205415830062439427543545423219236289573";

// True when `cert` lists kHardwareKeyPolicyOid in its certificatePolicies extension.
bool certifiesHardwareKey(X509* cert);

using Clock = std::function<std::time_t()>;

struct ServiceReply {
    int httpStatus = 200;
    nlohmann::json body;
};

// The JSON error body shared by every refusal: {"error": {"code", "message"}}.
ServiceReply errorReply(ServiceError error, const std::string& message = {});

class QualificationService {
  public:
    QualificationService(CertificateChecker checker, PersonaDirectory personas,
                         InsuredDatabase insured, ServiceConfig config = {}, Clock clock = {});

    // POST /v1/challenge. `client` is the TLS client certificate (already verified by the TLS
    // layer); the challenge is bound to it.
    ServiceReply challenge(X509* client);
    // POST /v1/confirm with the request body.
    ServiceReply confirm(const std::string& body, X509* client);

    void setSuspended(const std::string& persona, bool suspended);
    void setClock(Clock clock);
    std::size_t outstandingChallenges() const;
    // Outstanding challenges bound to this client certificate.
    std::size_t outstandingChallenges(X509* client) const;

  private:
    struct Challenge {
        std::time_t issued = 0;
        std::time_t expires = 0;
        std::string clientFingerprint;
    };

    std::time_t now() const;
    ServiceReply verifyAttestation(const nlohmann::json& proof, const std::string& challengeB64,
                                   const std::string& method, const CheckedCertificate& auth,
                                   const Challenge& challenge, X509* client,
                                   std::optional<std::string>& cardBirthDate) const;
    ServiceReply checkCardPresenceOf(const nlohmann::json& statement, const std::string& method,
                                     const std::string& challengeB64,
                                     std::optional<std::string>& cardBirthDate) const;
    ServiceReply lookup(const CheckedCertificate& auth, const std::string& method,
                        const std::string& challengeB64, X509* client) const;

    const CertificateChecker checker_;
    const PersonaDirectory personas_;
    const InsuredDatabase insured_;
    const ServiceConfig config_;

    mutable std::mutex mutex_;
    Clock clock_;
    std::map<std::string, Challenge> challenges_;  // key: challenge in base64
    std::set<std::string> suspended_;
};

}  // namespace uketsuke::sim
