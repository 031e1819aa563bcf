// X.509 checks with OpenSSL 3 (see certificate.h; reference §8).
#include "card/certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <fstream>
#include <iterator>

namespace uketsuke::card {
namespace {

using namespace std::chrono;

constexpr hours kJapanOffset{9};
constexpr months kRenewalNotice{3};
constexpr months kGraceAfterMonthEnd{3};

template <typename T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

void freeX509Stack(STACK_OF(X509) * s) {
    sk_X509_free(s);
}
using StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), freeX509Stack>>;

std::optional<TimePoint> toTimePoint(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return std::nullopt;
    return system_clock::from_time_t(timegm(&tm));
}

std::string nameToString(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio)
        return {};
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

// A time point as a Japan-time calendar day plus time of day.
struct JapanTime {
    year_month_day day;
    system_clock::duration timeOfDay;
};
JapanTime toJapan(TimePoint t) {
    const auto local = t + kJapanOffset;
    const auto days = floor<std::chrono::days>(local);
    return {year_month_day{days}, local - days};
}
TimePoint fromJapan(year_month_day day, system_clock::duration timeOfDay) {
    return sys_days{day} + timeOfDay - kJapanOffset;
}

int ignoreLeafTime(int ok, X509_STORE_CTX* ctx) {
    if (ok)
        return ok;
    const int err = X509_STORE_CTX_get_error(ctx);
    // The leaf's validity window is reported as a ValidityState, not as a chain failure; the
    // issuers' windows still count.
    if (X509_STORE_CTX_get_error_depth(ctx) == 0 &&
        (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID)) {
        return 1;
    }
    return 0;
}

}  // namespace

std::string_view validityStateName(ValidityState state) {
    switch (state) {
        case ValidityState::kValid:
            return "valid";
        case ValidityState::kRenewalDue:
            return "renewal-due";
        case ValidityState::kExpiredWithinGrace:
            return "expired-within-grace";
        case ValidityState::kExpiredBeyondGrace:
            return "expired-beyond-grace";
        case ValidityState::kNotYetValid:
            return "not-yet-valid";
    }
    return "unknown";
}

TimePoint renewalNoticeStart(TimePoint notAfter) {
    const JapanTime j = toJapan(notAfter);
    year_month_day start = j.day - kRenewalNotice;
    if (!start.ok())
        start = year_month_day{start.year() / start.month() / last};  // 05-31 → 02-28
    return fromJapan(start, j.timeOfDay);
}

TimePoint graceEnd(TimePoint notAfter) {
    const JapanTime j = toJapan(notAfter);
    // End of the expiry month = first day of the next month, 00:00 Japan time; plus 3 months.
    const year_month_day firstOfNext = year_month_day{j.day.year() / j.day.month() / 1} + months{1};
    return fromJapan(firstOfNext + kGraceAfterMonthEnd, system_clock::duration::zero());
}

ValidityState validityAt(TimePoint notAfter, TimePoint notBefore, TimePoint now) {
    if (now < notBefore)
        return ValidityState::kNotYetValid;
    if (now <= notAfter) {
        return now >= renewalNoticeStart(notAfter) ? ValidityState::kRenewalDue
                                                   : ValidityState::kValid;
    }
    return now < graceEnd(notAfter) ? ValidityState::kExpiredWithinGrace
                                    : ValidityState::kExpiredBeyondGrace;
}

Certificate::Certificate(X509* cert) : cert_(cert, X509_free) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    if (BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr)) {
        if (char* hex = BN_bn2hex(bn)) {
            serialHex_ = hex;
            OPENSSL_free(hex);
        }
        BN_free(bn);
    }
    issuer_ = nameToString(X509_get_issuer_name(cert));
    subject_ = nameToString(X509_get_subject_name(cert));
}

CardResult<Certificate> Certificate::fromDer(ByteView der) {
    if (der.empty() || der.size() > 65536) {
        return cardFail(CardErrorCode::kMalformedCertificate, "certificate size");
    }
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!x) {
        ERR_clear_error();
        return cardFail(CardErrorCode::kMalformedCertificate, "not a DER X.509 certificate");
    }
    if (p != der.data() + der.size()) {
        X509_free(x);
        return cardFail(CardErrorCode::kMalformedCertificate, "bytes after the certificate");
    }
    Certificate c(x);
    const auto nb = toTimePoint(X509_get0_notBefore(x));
    const auto na = toTimePoint(X509_get0_notAfter(x));
    if (!nb || !na)
        return cardFail(CardErrorCode::kMalformedCertificate, "validity dates");
    c.notBefore_ = *nb;
    c.notAfter_ = *na;
    if (c.serialHex_.empty())
        return cardFail(CardErrorCode::kMalformedCertificate, "serial");
    return c;
}

CardResult<Certificate> Certificate::fromPem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509* x = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (!x) {
        ERR_clear_error();
        return cardFail(CardErrorCode::kMalformedCertificate, "not a PEM certificate");
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509(x, &der);
    X509_free(x);
    if (len <= 0)
        return cardFail(CardErrorCode::kMalformedCertificate, "re-encoding failed");
    Bytes bytes(der, der + len);
    OPENSSL_free(der);
    return fromDer(bytes);
}

bool Certificate::hasDigitalSignatureKeyUsage() const {
    const uint32_t flags = X509_get_extension_flags(cert_.get());
    return (flags & EXFLAG_KUSAGE) && (X509_get_key_usage(cert_.get()) & KU_DIGITAL_SIGNATURE);
}

bool Certificate::issuerIsJpkiTest() const {
    const X509_NAME* name = X509_get_issuer_name(cert_.get());
    for (int i = -1;;) {
        i = X509_NAME_get_index_by_NID(name, NID_organizationName, i);
        if (i < 0)
            return false;
        const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        const std::string_view o(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                 static_cast<std::size_t>(ASN1_STRING_length(value)));
        if (o == "JPKI-TEST")
            return true;
    }
}

ValidityState Certificate::validityAt(TimePoint now) const {
    return card::validityAt(notAfter_, notBefore_, now);
}

CardResult<RsaPublicKey> Certificate::publicKey() const {
    EVP_PKEY* key = X509_get0_pubkey(cert_.get());
    if (!key) {
        ERR_clear_error();
        return cardFail(CardErrorCode::kMalformedCertificate, "no usable public key");
    }
    return RsaPublicKey::fromEvp(key);
}

bool Certificate::verifySignature(ByteView message, ByteView signature) const {
    auto key = publicKey();
    const bool ok = key && key->verifySha256(message, signature);
    ERR_clear_error();
    return ok;
}

CardResult<TrustStore> TrustStore::fromPem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return cardFail(CardErrorCode::kCrypto, "BIO_new_mem_buf");
    TrustStore store;
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        unsigned char* der = nullptr;
        const int len = i2d_X509(x, &der);
        X509_free(x);
        if (len <= 0)
            break;
        Bytes bytes(der, der + len);
        OPENSSL_free(der);
        auto c = Certificate::fromDer(bytes);
        if (!c)
            return cardFail(CardErrorCode::kConfiguration, "trust store: " + c.error().context);
        store.roots_.push_back(std::move(c).takeValue());
    }
    ERR_clear_error();
    if (store.roots_.empty()) {
        return cardFail(CardErrorCode::kConfiguration, "trust store holds no certificate");
    }
    return store;
}

CardResult<TrustStore> TrustStore::loadPemFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return cardFail(CardErrorCode::kConfiguration, "cannot read " + file.string());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto store = fromPem(text);
    if (!store) {
        return cardFail(CardErrorCode::kConfiguration,
                        file.string() + ": " + store.error().context);
    }
    return store;
}

CardResult<CertificateReport> checkAuthCertificate(const Certificate& leaf,
                                                   const Certificate* intermediate,
                                                   const TrustStore& trust,
                                                   const CertificatePolicy& policy, TimePoint now) {
    if (policy.rejectTestIssuer && leaf.issuerIsJpkiTest()) {
        return cardFail(CardErrorCode::kTestIssuerRejected, "issuer " + leaf.issuer());
    }
    StorePtr store(X509_STORE_new());
    StackPtr untrusted(sk_X509_new_null());
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !untrusted || !ctx)
        return cardFail(CardErrorCode::kCrypto, "X509 store");
    for (const auto& root : trust.roots())
        X509_STORE_add_cert(store.get(), root.get());
    if (intermediate)
        sk_X509_push(untrusted.get(), intermediate->get());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1) {
        ERR_clear_error();
        return cardFail(CardErrorCode::kCrypto, "X509_STORE_CTX_init");
    }
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, system_clock::to_time_t(now));
    X509_STORE_CTX_set_verify_cb(ctx.get(), ignoreLeafTime);
    const int verified = X509_verify_cert(ctx.get());
    const int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (verified != 1) {
        return cardFail(CardErrorCode::kCertificateUntrusted, X509_verify_cert_error_string(err));
    }
    CertificateReport report;
    report.chainTrusted = true;
    report.keyUsageOk = leaf.hasDigitalSignatureKeyUsage();
    if (!report.keyUsageOk) {
        return cardFail(CardErrorCode::kCertificateKeyUsage, "no digitalSignature key usage");
    }
    report.validity = leaf.validityAt(now);
    return report;
}

}  // namespace uketsuke::card
