// Error vocabulary of the reference qualification service (sim/qualification/README.md, "Errors"):
// the wire code each refusal carries in its JSON body and the HTTP status it is sent with.
#pragma once

#include <string_view>

#include "common/uketsuke/error_table.h"

namespace uketsuke::sim {

enum class ServiceError {
    kBadRequest,
    kChallengeUnknown,
    kChallengeExpired,
    kTooManyChallenges,
    kCertificateUntrusted,
    kCertificateRevoked,
    kCertificateSuspended,
    kCertificateExpired,
    kCertificateNotYetValid,
    kBadProof,
    kInjectedFault,
    kTerminalKeyNotHardware,
    kNotFound,
    kInternal,
};

struct ServiceErrorInfo {
    ServiceError code;
    std::string_view name;  // the "code" field of the JSON error body
    int httpStatus;
    std::string_view description;
};

// 4xx answers are refusals of this request (the terminal must not retry them as they are);
// 5xx answers are service faults.
// clang-format off
inline constexpr ErrorTable kServiceErrors{std::to_array<ServiceErrorInfo>({
    {ServiceError::kBadRequest, "bad_request", 400, "the request is not valid JSON or lacks a field"},
    {ServiceError::kChallengeUnknown, "challenge_unknown", 422, "the challenge was never issued to this client or was already used"},
    {ServiceError::kChallengeExpired, "challenge_expired", 422, "the challenge has expired"},
    {ServiceError::kTooManyChallenges, "too_many_challenges", 429, "too many outstanding challenges; retry later"},
    {ServiceError::kCertificateUntrusted, "certificate_untrusted", 422, "the auth certificate does not chain to the JPKI root or is unusable"},
    {ServiceError::kCertificateRevoked, "certificate_revoked", 422, "the auth certificate is revoked (失効)"},
    {ServiceError::kCertificateSuspended, "certificate_suspended", 422, "the auth certificate is suspended (一時停止)"},
    {ServiceError::kCertificateExpired, "certificate_expired", 422, "the auth certificate expired more than 3 months after the end of its expiry month"},
    {ServiceError::kCertificateNotYetValid, "certificate_not_yet_valid", 422, "the auth certificate is not valid yet"},
    {ServiceError::kBadProof, "bad_proof", 422, "the PIN signature or the terminal attestation does not verify"},
    {ServiceError::kInjectedFault, "injected_fault", 503, "fault injected by configuration"},
    {ServiceError::kTerminalKeyNotHardware, "terminal_key_not_hardware", 403, "the terminal's client certificate does not certify a key held in hardware"},
    {ServiceError::kNotFound, "not_found", 404, "no such endpoint"},
    {ServiceError::kInternal, "internal", 500, "internal error of the service"},
}), {ServiceError::kInternal, "internal", 500, "internal error of the service"}, ServiceError::kBadRequest, ServiceError::kInternal};
// clang-format on

inline const ServiceErrorInfo& serviceErrorInfo(ServiceError e) {
    return kServiceErrors[e];
}

}  // namespace uketsuke::sim
