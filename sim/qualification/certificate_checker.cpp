// JPKI auth-certificate checks of the reference qualification service (card-protocol.md §8,
// qualification-domain.md §3 and §4.4).
#include "sim/qualification/certificate_checker.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

#include "sim/qualification/jst_calendar.h"

namespace uketsuke::sim {
namespace {

// Both the renewal notice and the grace period are 3 calendar months (qualification-domain.md §3).
constexpr int kRenewalNoticeMonths = 3;
constexpr int kGraceMonthsAfterExpiryMonth = 3;

// A DER auth certificate is about 1.5 KiB; anything far larger is not one.
constexpr std::size_t kMaxCertificateDerBytes = std::size_t{16} * 1024;

UniqueX509Crl loadCrlPem(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return nullptr;
    UniqueX509Crl crl(PEM_read_X509_CRL(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return crl;
}

struct StoreDeleter {
    void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxDeleter {
    void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
struct StackDeleter {
    void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
};

}  // namespace

std::string_view certificateValidityName(CertificateValidity v) {
    switch (v) {
        case CertificateValidity::kNotYetValid:
            return "not_yet_valid";
        case CertificateValidity::kValid:
            return "valid";
        case CertificateValidity::kRenewalDue:
            return "renewal_due";
        case CertificateValidity::kGraceQualificationOnly:
            return "grace";
        case CertificateValidity::kExpired:
            return "expired";
    }
    return "unknown";
}

CertificateValidity certificateValidityAt(std::time_t notBefore, std::time_t notAfter,
                                          std::time_t now) {
    if (now < notBefore)
        return CertificateValidity::kNotYetValid;
    const jst::CivilTime end = jst::toCivil(notAfter);
    if (now <= notAfter) {
        const std::time_t noticeFrom =
            jst::fromCivil(end.year, end.month - kRenewalNoticeMonths, end.day, end.secondOfDay);
        return now >= noticeFrom ? CertificateValidity::kRenewalDue : CertificateValidity::kValid;
    }
    // Usable for qualification until the end of the 3rd month after the expiry month (JST):
    // i.e. before the first instant of the month after that.
    const std::time_t graceEnd =
        jst::fromCivil(end.year, end.month + kGraceMonthsAfterExpiryMonth + 1, 1, 0);
    return now < graceEnd ? CertificateValidity::kGraceQualificationOnly
                          : CertificateValidity::kExpired;
}

std::string CertificateChecker::serialHexOf(X509* cert) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
    if (bn == nullptr)
        return {};
    char* hex = BN_bn2hex(bn);
    std::string out = hex != nullptr ? hex : "";
    OPENSSL_free(hex);
    BN_free(bn);
    return out;
}

Result<CertificateChecker, std::string> CertificateChecker::load(const std::string& rootPem,
                                                                 const std::string& issuerPem,
                                                                 const std::string& crlPem) {
    CertificateChecker checker;
    checker.root_ = loadCertificatePem(rootPem);
    if (!checker.root_)
        return fail(std::string("cannot load JPKI root ") + rootPem);
    checker.issuer_ = loadCertificatePem(issuerPem);
    if (!checker.issuer_)
        return fail(std::string("cannot load JPKI issuer ") + issuerPem);
    checker.crl_ = loadCrlPem(crlPem);
    if (!checker.crl_)
        return fail(std::string("cannot load JPKI CRL ") + crlPem);
    return checker;
}

Result<CheckedCertificate, ServiceError> CertificateChecker::check(ByteView der,
                                                                   std::time_t now) const {
    if (der.empty() || der.size() > kMaxCertificateDerBytes)
        return fail(ServiceError::kCertificateUntrusted);
    UniqueX509 cert = parseCertificateDer(der);
    if (!cert)
        return fail(ServiceError::kCertificateUntrusted);

    std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
    std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
    std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
    if (!store || !ctx || !untrusted)
        return fail(ServiceError::kInternal);
    X509_STORE_add_cert(store.get(), root_.get());
    X509_STORE_add_crl(store.get(), crl_.get());
    sk_X509_push(untrusted.get(), issuer_.get());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), untrusted.get()) != 1)
        return fail(ServiceError::kInternal);
    // Time is judged below with the grace rule, which OpenSSL does not know; the chain and the
    // CRL are checked without it. The CA certificates' own validity is checked afterwards.
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_NO_CHECK_TIME);
    if (X509_verify_cert(ctx.get()) != 1) {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        return fail(err == X509_V_ERR_CERT_REVOKED ? ServiceError::kCertificateRevoked
                                                   : ServiceError::kCertificateUntrusted);
    }
    for (X509* ca : {root_.get(), issuer_.get()}) {
        if (X509_cmp_time(X509_get0_notBefore(ca), &now) > 0 ||
            X509_cmp_time(X509_get0_notAfter(ca), &now) < 0)
            return fail(ServiceError::kCertificateUntrusted);
    }
    // The auth key signs challenges: KeyUsage must allow digitalSignature (card-protocol.md §8).
    const uint32_t usage = X509_get_key_usage(cert.get());
    if ((usage & KU_DIGITAL_SIGNATURE) == 0)
        return fail(ServiceError::kCertificateUntrusted);

    const auto notBefore = asn1TimeToUnix(X509_get0_notBefore(cert.get()));
    const auto notAfter = asn1TimeToUnix(X509_get0_notAfter(cert.get()));
    if (!notBefore || !notAfter)
        return fail(ServiceError::kCertificateUntrusted);
    const CertificateValidity validity = certificateValidityAt(*notBefore, *notAfter, now);
    if (validity == CertificateValidity::kExpired)
        return fail(ServiceError::kCertificateExpired);
    if (validity == CertificateValidity::kNotYetValid)
        return fail(ServiceError::kCertificateNotYetValid);

    CheckedCertificate out;
    out.serialHex = serialHexOf(cert.get());
    out.notAfter = *notAfter;
    out.validity = validity;
    out.der.assign(der.begin(), der.end());
    out.publicKey.reset(X509_get_pubkey(cert.get()));
    if (!out.publicKey)
        return fail(ServiceError::kCertificateUntrusted);
    return out;
}

}  // namespace uketsuke::sim
