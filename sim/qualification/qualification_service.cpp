// Logic of the reference qualification service (sim/qualification/README.md; the validity codes
// and fields of qualification-domain.md §4.2–4.3, the certificate rules of §3 and §4.4).
#include "sim/qualification/qualification_service.h"

#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cmath>
#include <fstream>

#include "sim/qualification/card_presence_check.h"
#include "sim/qualification/jst_calendar.h"
#include "sim/qualification/openssl_util.h"

namespace uketsuke::sim {
namespace {

constexpr std::size_t kChallengeBytes = 32;
constexpr std::size_t kMaxStaffIdChars = 64;
constexpr std::size_t kMaxStatementBytes = 4096;

// QualificationValidity codes (qualification-domain.md §4.2).
constexpr const char* kValidityValid = "1";
constexpr const char* kValidityInvalid = "2";
constexpr const char* kValidityInvalidNew = "3";
constexpr const char* kValidityNotFound = "4";
constexpr const char* kValidityMultiple = "5";
constexpr const char* kValidityMedicalAid = "6";

std::string lowerHex(ByteView data) {
    std::string hex = toHex(data, false);
    for (char& c : hex)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return hex;
}

std::string clientFingerprint(X509* client) {
    return client == nullptr ? std::string() : lowerHex(sha256(certificateDer(client)));
}

std::string commonName(X509* cert) {
    if (cert == nullptr)
        return {};
    char buf[256] = {};
    const int n =
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

std::string rfc3339Utc(std::time_t t) {
    struct tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

const char* validityOf(RecordStatus s) {
    switch (s) {
        case RecordStatus::kValid:
            return kValidityValid;
        case RecordStatus::kInvalid:
            return kValidityInvalid;
        case RecordStatus::kInvalidNewQualification:
            return kValidityInvalidNew;
        case RecordStatus::kValidUnregisteredMedicalAid:
            return kValidityMedicalAid;
    }
    return kValidityInvalid;
}

bool isStringField(const nlohmann::json& obj, const char* key) {
    return obj.contains(key) && obj[key].is_string();
}

}  // namespace

ServiceReply errorReply(ServiceError error, const std::string& message) {
    const ServiceErrorInfo& info = serviceErrorInfo(error);
    ServiceReply reply;
    reply.httpStatus = info.httpStatus;
    reply.body = {{"error",
                   {{"code", std::string(info.name)},
                    {"message", message.empty() ? std::string(info.description) : message}}}};
    return reply;
}

QualificationService::QualificationService(CertificateChecker checker, PersonaDirectory personas,
                                           InsuredDatabase insured, ServiceConfig config,
                                           Clock clock)
    : checker_(std::move(checker)),
      personas_(std::move(personas)),
      insured_(std::move(insured)),
      config_(std::move(config)),
      clock_(std::move(clock)),
      suspended_(insured_.suspendedPersonas()) {}

std::time_t QualificationService::now() const {
    std::lock_guard lock(mutex_);
    return clock_ ? clock_() : std::time(nullptr);
}

void QualificationService::setClock(Clock clock) {
    std::lock_guard lock(mutex_);
    clock_ = std::move(clock);
}

void QualificationService::setSuspended(const std::string& persona, bool suspended) {
    std::lock_guard lock(mutex_);
    if (suspended)
        suspended_.insert(persona);
    else
        suspended_.erase(persona);
}

std::size_t QualificationService::outstandingChallenges() const {
    std::lock_guard lock(mutex_);
    return challenges_.size();
}

std::size_t QualificationService::outstandingChallenges(X509* client) const {
    const std::string fingerprint = clientFingerprint(client);
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [key, c] : challenges_)
        n += c.clientFingerprint == fingerprint ? 1 : 0;
    return n;
}

Result<std::map<std::string, std::set<std::string>>, std::string> loadStaffRegistry(
    const std::string& file) {
    std::ifstream in(file);
    if (!in)
        return fail("cannot open staff registry " + file);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || j.value("version", 0) != 1 || !j.contains("institutions") ||
        !j["institutions"].is_object())
        return fail("staff registry " + file + ": want {\"version\": 1, \"institutions\": {…}}");
    // "staff registry FILE: WHAT CODE", built by appending (no temporary per part).
    auto bad = [&file](const char* what, const std::string& code) {
        std::string message = "staff registry " + file;
        message += what;
        message += code;
        return fail(std::move(message));
    };
    std::map<std::string, std::set<std::string>> registry;
    for (const auto& [code, ids] : j["institutions"].items()) {
        if (code.size() != 10 || code.find_first_not_of("0123456789") != std::string::npos ||
            !ids.is_array())
            return bad(": bad entry for institution ", code);
        for (const auto& id : ids) {
            if (!id.is_string() || id.get<std::string>().empty() ||
                id.get<std::string>().size() > kMaxStaffIdChars)
                return bad(": bad staff id for institution ", code);
            registry[code].insert(id.get<std::string>());
        }
    }
    return registry;
}

bool certifiesHardwareKey(X509* cert) {
    if (cert == nullptr)
        return false;
    auto* policies = static_cast<CERTIFICATEPOLICIES*>(
        X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr));
    if (policies == nullptr)
        return false;
    bool found = false;
    for (int i = 0; i < sk_POLICYINFO_num(policies) && !found; ++i) {
        char oid[128];
        const POLICYINFO* info = sk_POLICYINFO_value(policies, i);
        if (OBJ_obj2txt(oid, sizeof oid, info->policyid, 1) > 0)
            found = std::string_view(oid) == kHardwareKeyPolicyOid;
    }
    CERTIFICATEPOLICIES_free(policies);
    return found;
}

ServiceReply QualificationService::challenge(X509* client) {
    if (config_.requireHardwareKey && !certifiesHardwareKey(client))
        return errorReply(ServiceError::kTerminalKeyNotHardware);
    const std::time_t t = now();
    Bytes random(kChallengeBytes);
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
        return errorReply(ServiceError::kInternal, "random generator failed");
    const std::string key = base64Encode(random);
    const std::string fingerprint = clientFingerprint(client);
    {
        std::lock_guard lock(mutex_);
        std::size_t mine = 0;
        for (auto it = challenges_.begin(); it != challenges_.end();) {
            if (it->second.expires < t) {
                it = challenges_.erase(it);
                continue;
            }
            mine += it->second.clientFingerprint == fingerprint ? 1 : 0;
            ++it;
        }
        // The per-client quota first: a client at its quota is told so, whatever the others do.
        if (mine >= config_.maxChallengesPerClient)
            return errorReply(ServiceError::kTooManyChallenges,
                              "this client has too many outstanding challenges");
        if (challenges_.size() >= config_.maxOutstandingChallenges)
            return errorReply(ServiceError::kTooManyChallenges);
        challenges_[key] = Challenge{t, t + config_.challengeLifetimeS, fingerprint};
    }
    ServiceReply reply;
    reply.body = {{"challenge", key},
                  {"expires", rfc3339Utc(t + config_.challengeLifetimeS)},
                  {"expires_in_s", config_.challengeLifetimeS}};
    return reply;
}

ServiceReply QualificationService::confirm(const std::string& body, X509* client) {
    if (config_.requireHardwareKey && !certifiesHardwareKey(client))
        return errorReply(ServiceError::kTerminalKeyNotHardware);
    const nlohmann::json req = nlohmann::json::parse(body, nullptr, false);
    if (req.is_discarded() || !req.is_object())
        return errorReply(ServiceError::kBadRequest, "body is not a JSON object");
    if (!isStringField(req, "challenge") || !isStringField(req, "auth_certificate") ||
        !isStringField(req, "method") || !req.contains("proof"))
        return errorReply(ServiceError::kBadRequest,
                          "challenge, auth_certificate, method and proof are required");
    const std::string challengeB64 = req["challenge"].get<std::string>();
    const std::string method = req["method"].get<std::string>();
    if (method != "pin" && method != "face" && method != "staff")
        return errorReply(ServiceError::kBadRequest, "method must be pin, face or staff");
    const auto der = base64Decode(req["auth_certificate"].get<std::string>());
    if (!der)
        return errorReply(ServiceError::kBadRequest, "auth_certificate is not base64");

    // The challenge is consumed by the first confirm that names it, whatever the outcome: a
    // proof can never be tried twice against one challenge.
    const std::time_t t = now();
    Challenge challenge;
    {
        std::lock_guard lock(mutex_);
        auto it = challenges_.find(challengeB64);
        if (it == challenges_.end())
            return errorReply(ServiceError::kChallengeUnknown);
        challenge = it->second;
        challenges_.erase(it);
    }
    if (challenge.clientFingerprint != clientFingerprint(client))
        return errorReply(ServiceError::kChallengeUnknown);
    if (t > challenge.expires)
        return errorReply(ServiceError::kChallengeExpired);

    auto checked = checker_.check(*der, t);
    if (!checked)
        return errorReply(checked.error());
    const CheckedCertificate& auth = checked.value();
    std::optional<std::string> cardBirthDate;  // DF22 of the card that answered, if one did

    if (method == "pin") {
        // The card signed DigestInfo(SHA-256(challenge)) with PKCS#1 v1.5 (card-protocol.md §6):
        // that is a sha256WithRSAEncryption signature over the raw challenge bytes.
        const auto raw = base64Decode(challengeB64);
        const auto sig = req["proof"].is_string() ? base64Decode(req["proof"].get<std::string>())
                                                  : std::optional<Bytes>();
        if (!raw || !sig)
            return errorReply(ServiceError::kBadRequest, "proof must be base64");
        if (EVP_PKEY_get_base_id(auth.publicKey.get()) != EVP_PKEY_RSA ||
            !verifySha256Signature(auth.publicKey.get(), *raw, *sig))
            return errorReply(ServiceError::kBadProof, "the card signature does not verify");
    } else {
        ServiceReply r = verifyAttestation(req["proof"], challengeB64, method, auth, challenge,
                                           client, cardBirthDate);
        if (r.httpStatus != 200)
            return r;
    }

    const auto persona = personas_.personaOfSerial(auth.serialHex);
    if (cardBirthDate && persona) {
        // The card that answered must be this certificate's holder's: its DF22 (certified by
        // DF28) is the birth date the facility's records hold for the person the certificate is
        // linked to. Another person's card in the reader with this certificate is refused.
        bool anyBirthDate = false;
        bool same = false;
        for (const InsuredRecord& record : insured_.recordsFor(*persona)) {
            if (!record.fields.contains("Birthdate") || !record.fields["Birthdate"].is_string())
                continue;
            anyBirthDate = true;
            same = same || record.fields["Birthdate"].get<std::string>() == *cardBirthDate;
        }
        if (anyBirthDate && !same)
            return errorReply(ServiceError::kBadProof,
                              "card presence: the card in the reader is not this certificate's "
                              "holder's (birth date differs)");
    }
    if (persona) {
        std::lock_guard lock(mutex_);
        if (suspended_.count(*persona) != 0)
            return errorReply(ServiceError::kCertificateSuspended);
    }
    return lookup(auth, method, challengeB64, client);
}

ServiceReply QualificationService::verifyAttestation(
    const nlohmann::json& proof, const std::string& challengeB64, const std::string& method,
    const CheckedCertificate& auth, const Challenge& challenge, X509* client,
    std::optional<std::string>& cardBirthDate) const {
    if (!proof.is_object() || !isStringField(proof, "statement") ||
        !isStringField(proof, "signature"))
        return errorReply(ServiceError::kBadRequest, "proof must hold statement and signature");
    const auto statementBytes = base64Decode(proof["statement"].get<std::string>());
    const auto signature = base64Decode(proof["signature"].get<std::string>());
    if (!statementBytes || !signature || statementBytes->size() > kMaxStatementBytes)
        return errorReply(ServiceError::kBadRequest, "statement and signature must be base64");

    // The signature is checked over the exact bytes sent, before they are interpreted, with the
    // key of the client certificate that authenticated this TLS connection.
    UniqueEvpPkey clientKey(client != nullptr ? X509_get_pubkey(client) : nullptr);
    if (!clientKey || !verifySha256Signature(clientKey.get(), *statementBytes, *signature))
        return errorReply(ServiceError::kBadProof, "the attestation signature does not verify");

    const nlohmann::json st = nlohmann::json::parse(
        std::string(statementBytes->begin(), statementBytes->end()), nullptr, false);
    if (st.is_discarded() || !st.is_object())
        return errorReply(ServiceError::kBadProof, "the statement is not a JSON object");
    if (!st.contains("version") || st["version"] != 1 || !isStringField(st, "challenge") ||
        !isStringField(st, "method") || !isStringField(st, "auth_certificate_sha256") ||
        !st.contains("time") || !st["time"].is_number_integer())
        return errorReply(ServiceError::kBadProof, "the statement lacks a field");
    if (st["challenge"] != challengeB64)
        return errorReply(ServiceError::kBadProof, "the statement is bound to another challenge");
    if (st["method"] != method)
        return errorReply(ServiceError::kBadProof, "the statement attests another method");
    if (st["auth_certificate_sha256"] != lowerHex(sha256(auth.der)))
        return errorReply(ServiceError::kBadProof, "the statement names another certificate");
    const std::int64_t at = st["time"].get<std::int64_t>();
    if (std::llabs(at - static_cast<std::int64_t>(now())) > config_.attestationSkewS ||
        at < static_cast<std::int64_t>(challenge.issued) - config_.attestationSkewS)
        return errorReply(ServiceError::kBadProof, "the statement time is out of range");

    if (method == "face") {
        if (!st.contains("match_distance") || !st["match_distance"].is_number() ||
            !st.contains("threshold") || !st["threshold"].is_number())
            return errorReply(ServiceError::kBadProof, "face statement lacks distance/threshold");
        const double distance = st["match_distance"].get<double>();
        const double threshold = st["threshold"].get<double>();
        if (!std::isfinite(distance) || !std::isfinite(threshold) || distance < 0.0 ||
            threshold > config_.maxFaceThreshold || distance > threshold)
            return errorReply(ServiceError::kBadProof, "the face statement is not a match");
    } else {
        if (!isStringField(st, "staff_id") || st["staff_id"].get<std::string>().empty() ||
            st["staff_id"].get<std::string>().size() > kMaxStaffIdChars)
            return errorReply(ServiceError::kBadProof, "the staff statement lacks a staff id");
        if (config_.staffRegistry) {
            const auto it = config_.staffRegistry->find(commonName(client));
            if (it == config_.staffRegistry->end() ||
                it->second.count(st["staff_id"].get<std::string>()) == 0)
                return errorReply(ServiceError::kBadProof,
                                  "the staff id is not registered for this medical institution");
        }
    }
    return checkCardPresenceOf(st, method, challengeB64, cardBirthDate);
}

ServiceReply QualificationService::checkCardPresenceOf(
    const nlohmann::json& st, const std::string& method, const std::string& challengeB64,
    std::optional<std::string>& cardBirthDate) const {
    const bool required = config_.cardPresence == CardPresencePolicy::kAll ||
                          (config_.cardPresence == CardPresencePolicy::kFace && method == "face");
    if (!st.contains("card")) {
        if (required)
            return errorReply(ServiceError::kBadProof,
                              "card presence: the attestation carries no answer from the card");
        return ServiceReply{};
    }
    if (config_.cardPresence == CardPresencePolicy::kOff)
        return ServiceReply{};  // not checked: this service was not given the CV-CA key
    const nlohmann::json& c = st["card"];
    CardPresenceInput in;
    const auto challenge = base64Decode(challengeB64);
    if (!challenge || !c.is_object())
        return errorReply(ServiceError::kBadProof, "card presence: malformed");
    in.challenge = *challenge;
    const std::pair<const char*, Bytes*> fields[] = {{"cv_certificate", &in.cvCertificate},
                                                     {"signed_fields", &in.signedFields},
                                                     {"signed_digests", &in.signedDigests},
                                                     {"face_signature", &in.faceSignature},
                                                     {"nonce", &in.cardNonce},
                                                     {"answer", &in.answer}};
    for (const auto& [name, out] : fields) {
        const auto value = isStringField(c, name) ? base64Decode(c[name].get<std::string>())
                                                  : std::optional<Bytes>();
        if (!value)
            return errorReply(ServiceError::kBadProof,
                              std::string("card presence: ") + name + " missing or not base64");
        *out = *value;
    }
    auto facts = checkCardPresence(in, config_.kenmenCvcaKey.get());
    if (!facts)
        return errorReply(ServiceError::kBadProof, facts.error());
    cardBirthDate = facts->birthDate;
    return ServiceReply{};
}

ServiceReply QualificationService::lookup(const CheckedCertificate& auth, const std::string& method,
                                          const std::string& challengeB64, X509* client) const {
    const std::time_t t = now();
    const auto persona = personas_.personaOfSerial(auth.serialHex);
    const std::vector<InsuredRecord> records =
        persona ? insured_.recordsFor(*persona) : std::vector<InsuredRecord>{};

    ServiceReply reply;
    nlohmann::json& b = reply.body;
    b["segment_of_result"] = "1";
    b["processing_result_status"] = "1";
    b["processing_result_code"] = "";
    b["processing_result_message"] = "";
    b["process_execution_time"] = jst::formatDateTime(t);
    b["qualification_confirmation_date"] = jst::formatDate(t);
    b["medical_institution_code"] = commonName(client);
    b["method"] = method;
    // What the answer is for: the terminal checks it against what it sent (issue 14).
    b["request"] = {{"challenge", challengeB64},
                    {"auth_certificate_sha256", lowerHex(sha256(auth.der))}};
    const bool grace = auth.validity == CertificateValidity::kGraceQualificationOnly;
    b["certificate"] = {{"not_after", rfc3339Utc(auth.notAfter)},
                        {"state", std::string(certificateValidityName(auth.validity))},
                        {"qualification_only", grace}};
    b["match_count"] = records.size();
    b["results"] = nlohmann::json::array();
    if (records.empty()) {
        b["qualification_validity"] = kValidityNotFound;
    } else if (records.size() > 1) {
        // Several candidates: the terminal must never pick one (qualification-domain.md §4.3),
        // so no personal data of any of them is sent.
        b["qualification_validity"] = kValidityMultiple;
    } else {
        b["qualification_validity"] = validityOf(records.front().status);
        b["results"].push_back(records.front().fields);
    }
    return reply;
}

}  // namespace uketsuke::sim
