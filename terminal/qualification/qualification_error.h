// Error vocabulary of the qualification client: one enum class with a {code, name, description}
// table, and the QualificationError value (code, HTTP status, the service's refusal code).
// The service's refusal codes are listed in sim/qualification/README.md ("Errors").
#pragma once

#include <string>
#include <string_view>

#include "uketsuke/error_table.h"

namespace uketsuke::terminal {

enum class QualificationErrorCode {
    kUnreachable,        // connection refused, no route, name not resolved
    kTimeout,            // connect, TLS handshake or answer took longer than configured
    kTls,                // handshake failed, server certificate not trusted, client cert refused
    kConnectionLost,     // the connection closed before a complete answer (outcome unknown)
    kServerError,        // HTTP 5xx (httpStatus holds it)
    kMalformedResponse,  // not HTTP, not JSON, or a field missing or of the wrong type
    kRefused,            // HTTP 4xx with the service's refusal code (refusal, serverCode)
    kConfiguration,      // client certificate, key or CA file missing or unusable
    kCrypto,             // OpenSSL failed while signing an attestation
    kInvalidInput,       // the caller passed an empty challenge or certificate
};

// Typed form of the service's refusal codes, so that the session can choose the patient's
// guidance without string compares.
enum class RefusalReason {
    kNone,
    kCertificateRevoked,    // 失効: see the municipality
    kCertificateSuspended,  // 一時停止
    kCertificateExpired,    // beyond the grace period
    kCertificateUntrusted,
    kCertificateNotYetValid,
    kBadProof,
    kChallengeUnknown,  // used or never issued: request a new challenge
    kChallengeExpired,
    kTooManyChallenges,
    kBadRequest,
    kOther,
};

using QualificationErrorInfo = ErrorInfo<QualificationErrorCode>;

const QualificationErrorInfo& qualificationErrorInfo(QualificationErrorCode code);
std::string_view qualificationErrorName(QualificationErrorCode code);
RefusalReason refusalReasonFromCode(std::string_view serverCode);
std::string_view refusalReasonName(RefusalReason reason);

struct QualificationError {
    QualificationErrorCode code = QualificationErrorCode::kUnreachable;
    int httpStatus = 0;      // set for kServerError and kRefused
    std::string serverCode;  // the service's "code" for kRefused/kServerError, if any
    RefusalReason refusal = RefusalReason::kNone;
    bool requestSent = false;  // the request reached the service: it may have been processed
    std::string detail;        // for logs; never secret material

    std::string message() const;
};

}  // namespace uketsuke::terminal
