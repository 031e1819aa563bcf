// Qualification service client: challenge with bounded retries, confirm without, and strict
// parsing of the answers into QualificationResult (qualification-domain.md §4.2–4.3).
#include "terminal/qualification/qualification_client.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include "terminal/qualification/codec.h"

namespace uketsuke::terminal {
namespace {

constexpr std::size_t kChallengeBytes = 32;

struct ValidityCode {
    std::string_view code;
    QualificationValidity validity;
    bool needsRecord;  // the answer must carry the person's record
};
constexpr ValidityCode kValidityCodes[] = {
    {"1", QualificationValidity::kValid, true},
    {"2", QualificationValidity::kInvalid, true},
    {"3", QualificationValidity::kInvalidNewQualification, true},
    {"4", QualificationValidity::kNotFound, false},
    {"5", QualificationValidity::kMultipleMatches, false},
    {"6", QualificationValidity::kValidUnregisteredMedicalAid, true},
};

struct StateName {
    std::string_view name;
    CertificateState state;
};
constexpr StateName kCertificateStates[] = {
    {"valid", CertificateState::kValid},
    {"renewal_due", CertificateState::kRenewalDue},
    {"grace", CertificateState::kGraceQualificationOnly},
};

QualificationError malformed(std::string detail) {
    QualificationError e;
    e.code = QualificationErrorCode::kMalformedResponse;
    e.detail = std::move(detail);
    e.requestSent = true;
    return e;
}

// Maps a non-200 answer to kRefused (4xx) or kServerError (5xx), reading the JSON error body
// when there is one.
QualificationError statusError(const HttpResponse& r) {
    QualificationError e;
    e.requestSent = true;
    e.httpStatus = r.status;
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const auto& err = body["error"];
        if (err.contains("code") && err["code"].is_string())
            e.serverCode = err["code"].get<std::string>();
        if (err.contains("message") && err["message"].is_string())
            e.detail = err["message"].get<std::string>();
    }
    if (r.status >= 400 && r.status < 500) {
        e.code = QualificationErrorCode::kRefused;
        e.refusal = refusalReasonFromCode(e.serverCode);
    } else if (r.status >= 500 && r.status < 600) {
        e.code = QualificationErrorCode::kServerError;
    } else {
        e.code = QualificationErrorCode::kMalformedResponse;
        e.detail = "unexpected HTTP status " + std::to_string(r.status);
    }
    return e;
}

bool digits(const std::string& s, std::size_t n) {
    return s.size() == n &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// yyyyMMdd or yyyyMMddHHmmss naming a real calendar date and time.
bool validStamp(const std::string& s, std::size_t n) {
    if (!digits(s, n))
        return false;
    auto num = [&](std::size_t at, std::size_t len) { return std::stoi(s.substr(at, len)); };
    const std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                          std::chrono::month{static_cast<unsigned>(num(4, 2))},
                                          std::chrono::day{static_cast<unsigned>(num(6, 2))}};
    if (!ymd.ok() || num(0, 4) < 2000)
        return false;
    return n == 8 || (num(8, 2) < 24 && num(10, 2) < 60 && num(12, 2) < 60);
}

// Short text without control characters (it reaches the result XML and the screens).
bool plainText(const std::string& s, std::size_t maxBytes) {
    return s.size() <= maxBytes && std::none_of(s.begin(), s.end(), [](char c) {
               return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
           });
}

bool retryable(const QualificationError& e) {
    switch (e.code) {
        case QualificationErrorCode::kUnreachable:
        case QualificationErrorCode::kTimeout:
        case QualificationErrorCode::kConnectionLost:
        case QualificationErrorCode::kServerError:
            return true;
        case QualificationErrorCode::kRefused:
            return e.refusal == RefusalReason::kTooManyChallenges;
        default:
            return false;
    }
}

// Reads the string fields of one table from a JSON object; false when one has the wrong type.
template <typename T, std::size_t N>
bool readFields(const nlohmann::json& obj, const FieldSpec<T> (&table)[N], T& out) {
    for (const auto& f : table) {
        if (!obj.contains(f.element))
            continue;
        if (!obj[f.element].is_string())
            return false;
        out.*(f.member) = obj[f.element].template get<std::string>();
    }
    return true;
}

Result<QualificationRecord, QualificationError> parseRecord(const nlohmann::json& obj) {
    if (!obj.is_object())
        return fail(malformed("a result is not an object"));
    QualificationRecord r;
    if (!readFields(obj, kRecordHeadFields, r) || !readFields(obj, kLimitConsentFields, r) ||
        !readFields(obj, kSpecificDiseaseConsentFields, r))
        return fail(malformed("a qualification field is not a string"));
    if (obj.contains(kReferenceNumber)) {
        if (!obj[kReferenceNumber].is_string())
            return fail(malformed("ReferenceNumber"));
        r.referenceNumber = obj[kReferenceNumber].get<std::string>();
    }
    if (obj.contains(kElderlyGroup)) {
        ElderlyRecipientInfo info;
        if (!obj[kElderlyGroup].is_object() ||
            !readFields(obj[kElderlyGroup], kElderlyFields, info))
            return fail(malformed(kElderlyGroup));
        if (!obj[kElderlyGroup].empty())
            r.elderlyRecipient = info;
    }
    if (obj.contains(kLimitGroup)) {
        LimitApplicationInfo info;
        if (!obj[kLimitGroup].is_object() || !readFields(obj[kLimitGroup], kLimitFields, info))
            return fail(malformed(kLimitGroup));
        if (!obj[kLimitGroup].empty())
            r.limitApplication = info;
    }
    if (obj.contains(kSpecificDiseaseList)) {
        if (!obj[kSpecificDiseaseList].is_array())
            return fail(malformed(kSpecificDiseaseList));
        for (const auto& item : obj[kSpecificDiseaseList]) {
            SpecificDiseaseInfo info;
            if (!item.is_object() || !readFields(item, kSpecificDiseaseFields, info))
                return fail(malformed(kSpecificDiseaseList));
            r.specificDiseases.push_back(info);
        }
    }
    if (obj.contains(kPublicExpenseList)) {
        if (!obj[kPublicExpenseList].is_array())
            return fail(malformed(kPublicExpenseList));
        for (const auto& item : obj[kPublicExpenseList]) {
            if (!item.is_object())
                return fail(malformed(kPublicExpenseList));
            ElementList ticket;
            for (const auto& [key, value] : item.items()) {
                if (!value.is_string())
                    return fail(malformed(kPublicExpenseList));
                ticket.emplace_back(key, value.get<std::string>());
            }
            r.medicalTickets.push_back(std::move(ticket));
        }
    }
    return r;
}

bool requireString(const nlohmann::json& obj, const char* key, std::string& out) {
    if (!obj.contains(key) || !obj[key].is_string())
        return false;
    out = obj[key].get<std::string>();
    return true;
}

}  // namespace

Result<QualificationClient, QualificationError> QualificationClient::create(
    const QualificationClientConfig& config) {
    auto transport = HttpsTransport::create(config.tls);
    if (!transport)
        return transport.failure();
    return QualificationClient(std::move(transport).takeValue(), config);
}

Result<Challenge, QualificationError> QualificationClient::parseChallengeResponse(
    const HttpResponse& r) {
    if (r.status != 200)
        return fail(statusError(r));
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("challenge") || !body["challenge"].is_string())
        return fail(malformed("challenge missing"));
    Challenge c;
    c.base64 = body["challenge"].get<std::string>();
    auto raw = base64Decode(c.base64);
    if (!raw || raw->size() != kChallengeBytes)
        return fail(malformed("challenge is not 32 bytes of base64"));
    c.bytes.assign(raw->begin(), raw->end());
    if (body.contains("expires_in_s")) {
        if (!body["expires_in_s"].is_number_integer())
            return fail(malformed("expires_in_s"));
        c.expiresInS = body["expires_in_s"].get<int>();
    }
    return c;
}

Result<Challenge, QualificationError> QualificationClient::requestChallenge() const {
    const int attempts = std::max(1, config_.challengeAttempts);
    int backoffMs = config_.initialBackoffMs;
    for (int attempt = 1;; ++attempt) {
        auto response = transport_.post("/v1/challenge", "{}");
        Result<Challenge, QualificationError> result =
            response ? parseChallengeResponse(response.value())
                     : Result<Challenge, QualificationError>(response.failure());
        if (result || attempt >= attempts || !retryable(result.error()))
            return result;
        spdlog::warn("qualification: challenge attempt {}/{} failed ({}), retrying in {} ms",
                     attempt, attempts, result.error().message(), backoffMs);
        if (sleep_)
            sleep_(backoffMs);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(backoffMs));
        backoffMs = std::min(config_.maxBackoffMs, backoffMs * 2);
    }
}

Result<QualificationResult, QualificationError> QualificationClient::confirm(
    const ConfirmRequest& request) const {
    QualificationError invalid;
    invalid.code = QualificationErrorCode::kInvalidInput;
    if (request.challenge.base64.empty() || request.authCertificateDer.empty()) {
        invalid.detail = "challenge and auth certificate are required";
        return fail(invalid);
    }
    nlohmann::json body = {{"challenge", request.challenge.base64},
                           {"auth_certificate", base64Encode(request.authCertificateDer)},
                           {"method", std::string(identityMethodName(request.method))}};
    if (request.method == IdentityMethod::kPin) {
        if (request.pinSignature.empty()) {
            invalid.detail = "the PIN path needs the card's signature";
            return fail(invalid);
        }
        body["proof"] = base64Encode(request.pinSignature);
    } else {
        if (!request.attestation) {
            invalid.detail = "face and staff paths need the terminal's attestation";
            return fail(invalid);
        }
        body["proof"] = {{"statement", base64Encode(bytesOf(request.attestation->statement))},
                         {"signature", base64Encode(request.attestation->signature)}};
    }
    auto response = transport_.post("/v1/confirm", body.dump());
    if (!response)
        return response.failure();
    auto answer = parseConfirmResponse(response.value(), request.method);
    // The answer must be for this institution (issue 14: another institution's answer was
    // written into this clinic's res folder).
    if (answer && !config_.expectedInstitutionCode.empty() &&
        answer->medicalInstitutionCode != config_.expectedInstitutionCode)
        return fail(malformed("the answer is for another medical institution"));
    // The answer must be for this card and this request (issue 14).
    if (answer) {
        const auto b = nlohmann::json::parse(response.value().body, nullptr, false);
        const auto* echo = b.is_object() && b.contains("request") ? &b["request"] : nullptr;
        if (echo == nullptr) {
            if (config_.requireAnswerBinding)
                return fail(malformed("the answer does not name the request it answers"));
        } else if (!echo->is_object() || !echo->contains("challenge") ||
                   !echo->contains("auth_certificate_sha256") ||
                   (*echo)["challenge"] != request.challenge.base64 ||
                   (*echo)["auth_certificate_sha256"] !=
                       lowerHex(sha256(request.authCertificateDer))) {
            return fail(malformed("the answer is for another card or request"));
        }
    }
    return answer;
}

Result<QualificationResult, QualificationError> QualificationClient::parseConfirmResponse(
    const HttpResponse& r, IdentityMethod expectedMethod) {
    if (r.status != 200)
        return fail(statusError(r));
    const auto b = nlohmann::json::parse(r.body, nullptr, false);
    if (!b.is_object())
        return fail(malformed("answer is not a JSON object"));
    QualificationResult out;
    std::string validity;
    std::string method;
    if (!requireString(b, "segment_of_result", out.segmentOfResult) ||
        !requireString(b, "processing_result_status", out.processingResultStatus) ||
        !requireString(b, "qualification_validity", validity) ||
        !requireString(b, "process_execution_time", out.processExecutionTime) ||
        !requireString(b, "qualification_confirmation_date", out.qualificationConfirmationDate) ||
        !requireString(b, "medical_institution_code", out.medicalInstitutionCode) ||
        !requireString(b, "method", method))
        return fail(malformed("a required field is missing or not a string"));
    if (b.contains("processing_result_code") &&
        !requireString(b, "processing_result_code", out.processingResultCode))
        return fail(malformed("processing_result_code"));
    if (b.contains("processing_result_message") &&
        !requireString(b, "processing_result_message", out.processingResultMessage))
        return fail(malformed("processing_result_message"));
    if (method != identityMethodName(expectedMethod))
        return fail(malformed("the answer is for another identity method"));
    // Whitelists for every header field that reaches the result file's name or its XML
    // (issue 14: a process_execution_time of "../../x" was written into the file).
    if (out.segmentOfResult != "1" && out.segmentOfResult != "2" && out.segmentOfResult != "9")
        return fail(malformed("segment_of_result must be 1, 2 or 9"));
    if (out.processingResultStatus != "1" && out.processingResultStatus != "2")
        return fail(malformed("processing_result_status must be 1 or 2"));
    if (!validStamp(out.processExecutionTime, 14))
        return fail(malformed("process_execution_time must be yyyyMMddHHmmss"));
    if (!validStamp(out.qualificationConfirmationDate, 8))
        return fail(malformed("qualification_confirmation_date must be yyyyMMdd"));
    if (out.qualificationConfirmationDate != out.processExecutionTime.substr(0, 8))
        return fail(malformed("qualification_confirmation_date is not the day of the answer"));
    if (!digits(out.medicalInstitutionCode, 10))
        return fail(malformed("medical_institution_code must be 10 digits"));
    if (!plainText(out.processingResultCode, 16) || !plainText(out.processingResultMessage, 400))
        return fail(malformed("processing_result_code or _message"));
    out.method = expectedMethod;

    const ValidityCode* code = nullptr;
    for (const auto& v : kValidityCodes)
        if (v.code == validity)
            code = &v;
    if (code == nullptr)
        return fail(malformed("unknown qualification_validity " + validity));
    out.validity = code->validity;

    if (!b.contains("certificate") || !b["certificate"].is_object())
        return fail(malformed("certificate missing"));
    const auto& cert = b["certificate"];
    std::string state;
    if (!requireString(cert, "state", state) ||
        !requireString(cert, "not_after", out.certificateNotAfter) ||
        !cert.contains("qualification_only") || !cert["qualification_only"].is_boolean())
        return fail(malformed("certificate fields"));
    const StateName* s = nullptr;
    for (const auto& st : kCertificateStates)
        if (st.name == state)
            s = &st;
    if (s == nullptr)
        return fail(malformed("unknown certificate state " + state));
    out.certificateState = s->state;
    out.qualificationOnly = cert["qualification_only"].get<bool>();

    if (!b.contains("match_count") || !b["match_count"].is_number_unsigned())
        return fail(malformed("match_count"));
    out.matchCount = b["match_count"].get<int>();
    if (!b.contains("results") || !b["results"].is_array())
        return fail(malformed("results missing"));
    for (const auto& item : b["results"]) {
        auto rec = parseRecord(item);
        if (!rec)
            return rec.failure();
        out.records.push_back(std::move(rec).takeValue());
    }
    if (code->needsRecord && out.records.size() != 1)
        return fail(malformed("a validity of " + validity + " needs exactly one record"));
    if (!code->needsRecord && !out.records.empty())
        return fail(malformed("a validity of " + validity + " carries no personal record"));
    return out;
}

}  // namespace uketsuke::terminal
