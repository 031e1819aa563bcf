// Auth-certificate checks: DER parsing, chain to the trust store through the card's CA,
// KeyUsage, test-issuer policy, validity states with an injected "now", card signatures.
#include "card/certificate.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

using namespace std::chrono;
using test::CertSpec;

// 2030-06-15 12:00 JST.
const TimePoint kExpiry = sys_days{year{2030} / 6 / 15} + hours{3};

struct Pki {
    Bytes root, ca, leaf;
    std::string rootPem;
};

Pki makePki(CertSpec leafSpec, TimePoint caNotAfter = sys_days{year{2040} / 1 / 1}) {
    Pki p;
    CertSpec root;
    root.subjectCn = "JPKI Test Root";
    root.subjectO = "JPKI-TEST";
    root.isCa = true;
    root.notBefore = sys_days{year{2015} / 1 / 1};
    root.notAfter = sys_days{year{2045} / 1 / 1};
    p.root = test::makeCertificate(root, test::sharedKey(0), test::sharedKey(0));
    CertSpec ca = root;
    ca.subjectCn = "JPKI Test Auth CA";
    ca.notAfter = caNotAfter;
    ca.serial = 2;
    p.ca = test::makeCertificate(ca, test::sharedKey(1), test::sharedKey(0), p.root);
    p.leaf = test::makeCertificate(leafSpec, test::sharedKey(2), test::sharedKey(1), p.ca);
    p.rootPem = test::derToPem(p.root);
    return p;
}

CertSpec leafSpec() {
    CertSpec s;
    s.subjectCn = "12345ABCDE";
    s.notBefore = sys_days{year{2025} / 6 / 15};
    s.notAfter = kExpiry;
    s.serial = 0x0ABCDEF1;
    return s;
}

CardResult<CertificateReport> check(const Pki& p, TimePoint now, bool rejectTest = false) {
    auto leaf = Certificate::fromDer(p.leaf);
    auto ca = Certificate::fromDer(p.ca);
    auto trust = TrustStore::fromPem(p.rootPem);
    EXPECT_TRUE(leaf.ok() && ca.ok() && trust.ok());
    return checkAuthCertificate(*leaf, &*ca, *trust, CertificatePolicy{rejectTest}, now);
}

// The fields come out of a DER certificate.
TEST(Certificate, ParsesFields) {
    const Pki p = makePki(leafSpec());
    auto c = Certificate::fromDer(p.leaf);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->serialHex(), "0ABCDEF1");
    EXPECT_NE(c->issuer().find("JPKI Test Auth CA"), std::string::npos);
    EXPECT_NE(c->subject().find("12345ABCDE"), std::string::npos);
    EXPECT_EQ(c->notAfter(), kExpiry);
    EXPECT_TRUE(c->hasDigitalSignatureKeyUsage());
    EXPECT_TRUE(c->issuerIsJpkiTest());
}

// Garbage, truncation and trailing bytes are malformed-certificate.
TEST(Certificate, GarbageIsMalformed) {
    const Pki p = makePki(leafSpec());
    Bytes trailing = p.leaf;
    trailing.push_back(0);
    for (const Bytes& b :
         {Bytes{}, Bytes(500, 0x30), Bytes(p.leaf.begin(), p.leaf.end() - 1), trailing}) {
        auto c = Certificate::fromDer(b);
        ASSERT_FALSE(c.ok());
        EXPECT_EQ(c.error().code, CardErrorCode::kMalformedCertificate);
    }
}

// A leaf chains to the root through the card's CA certificate.
TEST(Certificate, ChainsThroughCardCa) {
    const Pki p = makePki(leafSpec());
    auto r = check(p, kExpiry - days{365});
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_TRUE(r->chainTrusted);
    EXPECT_EQ(r->validity, ValidityState::kValid);
}

// Without the intermediate, or against another root, the chain is untrusted.
TEST(Certificate, UntrustedWithoutCaOrWithOtherRoot) {
    const Pki p = makePki(leafSpec());
    auto leaf = *Certificate::fromDer(p.leaf);
    auto trust = *TrustStore::fromPem(p.rootPem);
    auto noCa = checkAuthCertificate(leaf, nullptr, trust, {false}, kExpiry - days{365});
    ASSERT_FALSE(noCa.ok());
    EXPECT_EQ(noCa.error().code, CardErrorCode::kCertificateUntrusted);

    CertSpec other;
    other.isCa = true;
    other.subjectCn = "JPKI Test Root";
    other.subjectO = "JPKI-TEST";
    other.notBefore = sys_days{year{2015} / 1 / 1};
    other.notAfter = sys_days{year{2045} / 1 / 1};
    const Bytes otherRoot = test::makeCertificate(other, test::sharedKey(3), test::sharedKey(3));
    auto otherTrust = *TrustStore::fromPem(test::derToPem(otherRoot));
    auto ca = *Certificate::fromDer(p.ca);
    auto r = checkAuthCertificate(leaf, &ca, otherTrust, {false}, kExpiry - days{365});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCertificateUntrusted);
}

// An expired CA certificate breaks the chain (only the leaf's window is a state).
TEST(Certificate, ExpiredCaIsUntrusted) {
    const Pki p = makePki(leafSpec(), sys_days{year{2026} / 1 / 1});
    auto r = check(p, sys_days{year{2027} / 1 / 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCertificateUntrusted);
}

// Production policy refuses O=JPKI-TEST issuers.
TEST(Certificate, RejectsTestIssuerInProduction) {
    const Pki p = makePki(leafSpec());
    auto r = check(p, kExpiry - days{365}, true);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kTestIssuerRejected);
}

// A certificate without digitalSignature key usage is refused.
TEST(Certificate, KeyUsageRequired) {
    CertSpec s = leafSpec();
    s.digitalSignature = false;
    auto r = check(makePki(s), kExpiry - days{365});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, CardErrorCode::kCertificateKeyUsage);
}

// The validity states at their boundaries (Japan time): renewal notice from 3 months before
// notAfter; grace until 3 months after the end of the expiry month (2030-06 → 2030-10-01 JST).
TEST(Certificate, ValidityStatesAtBoundaries) {
    const Pki p = makePki(leafSpec());
    auto state = [&](TimePoint now) {
        auto r = check(p, now);
        EXPECT_TRUE(r.ok()) << r.error().toString();
        return r.ok() ? r->validity : ValidityState::kNotYetValid;
    };
    const TimePoint renewal =
        kExpiry - (sys_days{year{2030} / 6 / 15} - sys_days{year{2030} / 3 / 15});
    EXPECT_EQ(renewalNoticeStart(kExpiry), renewal);
    const TimePoint grace = sys_days{year{2030} / 10 / 1} - hours{9};
    EXPECT_EQ(graceEnd(kExpiry), grace);

    EXPECT_EQ(state(sys_days{year{2025} / 6 / 14}), ValidityState::kNotYetValid);
    EXPECT_EQ(state(renewal - seconds{1}), ValidityState::kValid);
    EXPECT_EQ(state(renewal), ValidityState::kRenewalDue);
    EXPECT_EQ(state(kExpiry), ValidityState::kRenewalDue);
    EXPECT_EQ(state(kExpiry + seconds{1}), ValidityState::kExpiredWithinGrace);
    EXPECT_EQ(state(grace - seconds{1}), ValidityState::kExpiredWithinGrace);
    EXPECT_EQ(state(grace), ValidityState::kExpiredBeyondGrace);
}

// Month arithmetic clamps: notAfter 05-31 → notice from 02-28; the expiry month is counted in
// Japan time (2030-01-31 20:00 UTC is already February in Japan).
TEST(Certificate, CalendarEdgeCases) {
    const TimePoint may31 = sys_days{year{2030} / 5 / 31} + hours{3};
    EXPECT_EQ(renewalNoticeStart(may31), sys_days{year{2030} / 2 / 28} + hours{3});
    const TimePoint lateJan = sys_days{year{2030} / 1 / 31} + hours{20};
    EXPECT_EQ(graceEnd(lateJan), sys_days{year{2030} / 6 / 1} - hours{9});
}

// A signature by the leaf's key verifies; a flipped bit or another message does not.
TEST(Certificate, VerifiesCardSignature) {
    const Pki p = makePki(leafSpec());
    auto c = *Certificate::fromDer(p.leaf);
    const Bytes msg = bytesOf("challenge from the service");
    Bytes sig = test::signSha256(test::sharedKey(2), msg);
    EXPECT_TRUE(c.verifySignature(msg, sig));
    EXPECT_FALSE(c.verifySignature(bytesOf("other"), sig));
    sig[10] ^= 1;
    EXPECT_FALSE(c.verifySignature(msg, sig));
    EXPECT_FALSE(c.verifySignature(msg, Bytes{}));
}

// A trust store file that is missing or holds no certificate is a configuration error.
TEST(Certificate, TrustStoreErrors) {
    auto missing = TrustStore::loadPemFile("/nonexistent/roots.pem");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, CardErrorCode::kConfiguration);
    auto empty = TrustStore::fromPem("not a pem");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, CardErrorCode::kConfiguration);
}

}  // namespace
}  // namespace uketsuke::card
