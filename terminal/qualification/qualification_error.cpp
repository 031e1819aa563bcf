// Tables of the qualification client's error codes and of the service's refusal codes.
#include "terminal/qualification/qualification_error.h"

#include <array>
#include <iterator>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {
namespace {

using QC = QualificationErrorCode;
// clang-format off
constexpr ErrorTable kErrors{std::to_array<QualificationErrorInfo>({
    {QC::kUnreachable, "unreachable", "the qualification service could not be reached"},
    {QC::kTimeout, "timeout", "the qualification service did not answer in time"},
    {QC::kTls, "tls", "the TLS handshake or a certificate check failed"},
    {QC::kConnectionLost, "connection-lost", "the connection closed before a complete answer; the outcome is unknown"},
    {QC::kServerError, "server-error", "the qualification service failed"},
    {QC::kMalformedResponse, "malformed-response", "the answer is not the expected HTTP/JSON"},
    {QC::kRefused, "refused", "the qualification service refused the request"},
    {QC::kConfiguration, "configuration", "the client certificate, key or CA file is missing or unusable"},
    {QC::kCrypto, "crypto", "an OpenSSL operation failed"},
    {QC::kInvalidInput, "invalid-input", "the caller passed invalid input"},
}), {QC::kServerError, "unknown", "unknown qualification error"}, QC::kUnreachable, QC::kInvalidInput};
// clang-format on

struct RefusalName {
    RefusalReason reason;
    std::string_view code;  // the service's wire code
};
constexpr RefusalName kRefusals[] = {
    {RefusalReason::kCertificateRevoked, "certificate_revoked"},
    {RefusalReason::kCertificateSuspended, "certificate_suspended"},
    {RefusalReason::kCertificateExpired, "certificate_expired"},
    {RefusalReason::kCertificateUntrusted, "certificate_untrusted"},
    {RefusalReason::kCertificateNotYetValid, "certificate_not_yet_valid"},
    {RefusalReason::kBadProof, "bad_proof"},
    {RefusalReason::kChallengeUnknown, "challenge_unknown"},
    {RefusalReason::kChallengeExpired, "challenge_expired"},
    {RefusalReason::kTooManyChallenges, "too_many_challenges"},
    {RefusalReason::kBadRequest, "bad_request"},
};

}  // namespace

const QualificationErrorInfo& qualificationErrorInfo(QualificationErrorCode code) {
    return kErrors[code];
}

std::string_view qualificationErrorName(QualificationErrorCode code) {
    return qualificationErrorInfo(code).name;
}

RefusalReason refusalReasonFromCode(std::string_view serverCode) {
    for (const auto& r : kRefusals)
        if (r.code == serverCode)
            return r.reason;
    return RefusalReason::kOther;
}

std::string_view refusalReasonName(RefusalReason reason) {
    if (reason == RefusalReason::kNone)
        return "none";
    for (const auto& r : kRefusals)
        if (r.reason == reason)
            return r.code;
    return "other";
}

std::string QualificationError::message() const {
    std::string out(qualificationErrorName(code));
    if (httpStatus != 0)
        out += " (HTTP " + std::to_string(httpStatus) + ")";
    if (!serverCode.empty())
        out += " " + serverCode;
    if (!detail.empty())
        out += ": " + detail;
    return out;
}

}  // namespace uketsuke::terminal
