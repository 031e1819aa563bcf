// X.509 checks of the JPKI user-auth certificate with OpenSSL 3 (reference §8): parse DER, chain
// to a configured trust store with the card's CA certificate (EF 000B) as untrusted
// intermediate, KeyUsage digitalSignature, validity as explicit states (renewal notice from
// 3 months before notAfter; post-expiry grace for qualification only, until 3 months after the
// end of the expiry month), test-issuer rejection, and verification of card signatures.
// Revocation is not checked here: only the オンライン資格確認等システム can (reference §8).
#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/card_error.h"
#include "card/rsa_key.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

using TimePoint = std::chrono::system_clock::time_point;

enum class ValidityState {
    kValid,
    kRenewalDue,          // within 3 months before notAfter: valid, show the renewal notice
    kExpiredWithinGrace,  // expired, but until 3 months after the end of the expiry month:
                          // qualification confirmation only
    kExpiredBeyondGrace,  // refused
    kNotYetValid,
};

std::string_view validityStateName(ValidityState state);

// Calendar arithmetic is done in Japan time (UTC+9, no DST): "the end of the expiry month" is
// the end of that month as a Japanese clinic counts it.
ValidityState validityAt(TimePoint notAfter, TimePoint notBefore, TimePoint now);
TimePoint renewalNoticeStart(TimePoint notAfter);
TimePoint graceEnd(TimePoint notAfter);

class Certificate {
  public:
    // malformed-certificate on anything that is not exactly one DER certificate.
    static CardResult<Certificate> fromDer(ByteView der);
    static CardResult<Certificate> fromPem(std::string_view pem);

    const std::string& serialHex() const { return serialHex_; }
    const std::string& issuer() const { return issuer_; }  // RFC 2253 style, UTF-8
    const std::string& subject() const { return subject_; }
    TimePoint notBefore() const { return notBefore_; }
    TimePoint notAfter() const { return notAfter_; }
    bool hasDigitalSignatureKeyUsage() const;
    bool issuerIsJpkiTest() const;  // O=JPKI-TEST in the issuer

    ValidityState validityAt(TimePoint now) const;
    CardResult<RsaPublicKey> publicKey() const;
    // sha256WithRSAEncryption over `message` by this certificate's key.
    bool verifySignature(ByteView message, ByteView signature) const;

    X509* get() const { return cert_.get(); }

  private:
    explicit Certificate(X509* cert);
    std::shared_ptr<X509> cert_;
    std::string serialHex_, issuer_, subject_;
    TimePoint notBefore_{}, notAfter_{};
};

// A PEM bundle of trusted roots (the J-LIS JPKI auth roots; in tests the sim's test root).
class TrustStore {
  public:
    static CardResult<TrustStore> loadPemFile(const std::filesystem::path& file);
    static CardResult<TrustStore> fromPem(std::string_view pem);
    const std::vector<Certificate>& roots() const { return roots_; }

  private:
    std::vector<Certificate> roots_;
};

struct CertificatePolicy {
    bool rejectTestIssuer = true;  // production: refuse O=JPKI-TEST (reference §8)
};

struct CertificateReport {
    ValidityState validity = ValidityState::kValid;
    bool chainTrusted = false;
    bool keyUsageOk = false;
};

// Chains `leaf` through `intermediate` (may be null) to the store. The leaf's own validity does
// not fail the chain (it is reported as a state); the CA's and root's validity do.
// Errors: certificate-untrusted, certificate-key-usage, test-issuer-rejected. An expired
// certificate is NOT an error here: callers decide with the validity state.
CardResult<CertificateReport> checkAuthCertificate(const Certificate& leaf,
                                                   const Certificate* intermediate,
                                                   const TrustStore& trust,
                                                   const CertificatePolicy& policy, TimePoint now);

}  // namespace uketsuke::card
