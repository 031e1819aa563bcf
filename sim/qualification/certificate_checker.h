// Checks a JPKI user-authentication certificate as the qualification service would
// (card-protocol.md §8; qualification-domain.md §3 "Expired 利用者証明用 certificate", §4.4):
// chain to the JPKI root through the auth-certificate issuer, revocation by the issuer's CRL,
// KeyUsage digitalSignature, and the validity states with the renewal notice and the
// qualification-only grace period.
#pragma once

#include <ctime>
#include <string>

#include "sim/qualification/openssl_util.h"
#include "sim/qualification/service_error.h"
#include "uketsuke/bytes.h"
#include "uketsuke/result.h"

namespace uketsuke::sim {

enum class CertificateValidity {
    kNotYetValid,
    kValid,
    kRenewalDue,              // valid, expires within 3 months: the renewal notice is due
    kGraceQualificationOnly,  // expired, until 3 months after the end of the expiry month
    kExpired,                 // beyond the grace period: unusable
};

std::string_view certificateValidityName(CertificateValidity v);

// The validity rule on its own (pure, for tests): months are JST calendar months.
CertificateValidity certificateValidityAt(std::time_t notBefore, std::time_t notAfter,
                                          std::time_t now);

struct CheckedCertificate {
    std::string serialHex;  // upper-case hex without separators: the per-person key (§8)
    std::time_t notAfter = 0;
    CertificateValidity validity = CertificateValidity::kValid;
    Bytes der;
    UniqueEvpPkey publicKey;
};

// Holds the trust anchors loaded once at start-up; check() is const and thread-safe.
class CertificateChecker {
  public:
    // rootPem: JPKI test root; issuerPem: the auth-certificate CA; crlPem: the CA's CRL.
    static Result<CertificateChecker, std::string> load(const std::string& rootPem,
                                                        const std::string& issuerPem,
                                                        const std::string& crlPem);

    // Refuses with kCertificateUntrusted, kCertificateRevoked, kCertificateExpired or
    // kCertificateNotYetValid; a certificate within grace is accepted with that state.
    Result<CheckedCertificate, ServiceError> check(ByteView der, std::time_t now) const;

    // Serial of a certificate file in the format of CheckedCertificate::serialHex.
    static std::string serialHexOf(X509* cert);

  private:
    UniqueX509 root_;
    UniqueX509 issuer_;
    UniqueX509Crl crl_;
};

}  // namespace uketsuke::sim
