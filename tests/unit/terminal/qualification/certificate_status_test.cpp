// Certificate checks of the service: revocation, suspension, expiry with the grace period
// (qualification-domain.md §3, §4.4) and trust, seen through the client's typed results.
#include <openssl/pem.h>

#include "sim/qualification/jst_calendar.h"
#include "tests/unit/terminal/qualification/service_fixture.h"

namespace uketsuke::testing {
namespace {

using sim::CertificateValidity;
using terminal::CertificateState;
using terminal::QualificationValidity;
using terminal::RefusalReason;
using CertificateStatusTest = QualificationServiceTest;

std::time_t notAfterOf(const std::string& persona) {
    std::FILE* f = std::fopen((personaDir(persona) / "auth.pem").c_str(), "rb");
    if (f == nullptr)
        return 0;
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (cert == nullptr)
        return 0;
    struct tm tm {};
    ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm);
    X509_free(cert);
    return timegm(&tm);
}

// A certificate on the issuer's CRL is refused as revoked (失効).
TEST_F(CertificateStatusTest, RevokedCertificateIsRefused) {
    REQUIRE_PERSONA("revoked");
    // Act
    auto result = confirmWithPin("revoked");
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, QualificationErrorCode::kRefused);
    EXPECT_EQ(result.error().refusal, RefusalReason::kCertificateRevoked);
}

// A suspended certificate (一時停止) is refused with its own code; lifting it restores service.
TEST_F(CertificateStatusTest, SuspendedCertificateIsRefusedUntilLifted) {
    REQUIRE_PERSONA("normal");
    // Arrange
    service_->setSuspended("normal", true);
    // Act
    auto suspended = confirmWithPin("normal");
    service_->setSuspended("normal", false);
    auto lifted = confirmWithPin("normal");
    // Assert
    ASSERT_FALSE(suspended);
    EXPECT_EQ(suspended.error().refusal, RefusalReason::kCertificateSuspended);
    EXPECT_TRUE(lifted) << lifted.error().message();
}

// The expired-within-grace persona is confirmed for qualification only.
TEST_F(CertificateStatusTest, ExpiredWithinGraceIsQualificationOnly) {
    REQUIRE_PERSONA("expired-grace");
    // Act
    auto result = confirmWithPin("expired-grace");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().validity, QualificationValidity::kValid);
    EXPECT_EQ(result.value().certificateState, CertificateState::kGraceQualificationOnly);
    EXPECT_TRUE(result.value().qualificationOnly);
}

// The expired-beyond-grace persona is refused as expired.
TEST_F(CertificateStatusTest, ExpiredBeyondGraceIsRefused) {
    REQUIRE_PERSONA("expired-cert");
    // Act
    auto result = confirmWithPin("expired-cert");
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kCertificateExpired);
}

// The renewal-due persona is confirmed with the renewal-notice state.
TEST_F(CertificateStatusTest, RenewalDueIsFlagged) {
    REQUIRE_PERSONA("renewal-due");
    // Act
    auto result = confirmWithPin("renewal-due");
    // Assert
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result.value().certificateState, CertificateState::kRenewalDue);
    EXPECT_FALSE(result.value().qualificationOnly);
}

// With the service clock moved past a certificate's end: grace until the end of the 3rd month
// after the expiry month (JST), refused one second later.
TEST_F(CertificateStatusTest, GraceBoundaryFollowsServiceClock) {
    REQUIRE_PERSONA("normal");
    // Arrange
    const std::time_t notAfter = notAfterOf("normal");
    ASSERT_NE(notAfter, 0);
    const sim::jst::CivilTime end = sim::jst::toCivil(notAfter);
    const std::time_t graceEnd = sim::jst::fromCivil(end.year, end.month + 4, 1, 0);
    // Act
    fakeNow_ = graceEnd - 1;
    auto lastDay = confirmWithPin("normal");
    fakeNow_ = graceEnd;
    auto afterGrace = confirmWithPin("normal");
    // Assert
    ASSERT_TRUE(lastDay) << lastDay.error().message();
    EXPECT_TRUE(lastDay.value().qualificationOnly);
    ASSERT_FALSE(afterGrace);
    EXPECT_EQ(afterGrace.error().refusal, RefusalReason::kCertificateExpired);
}

// A certificate that does not chain to the JPKI root (here the clinic's TLS cert) is untrusted.
TEST_F(CertificateStatusTest, CertificateOutsideJpkiIsUntrusted) {
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    std::FILE* f = std::fopen((tlsDir() / "client.pem").c_str(), "rb");
    ASSERT_NE(f, nullptr);
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    unsigned char* buf = nullptr;
    const int n = i2d_X509(cert, &buf);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer.assign(buf, buf + n);
    req.pinSignature = Bytes(256, 1);
    OPENSSL_free(buf);
    X509_free(cert);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kCertificateUntrusted);
}

// Garbage instead of a certificate is untrusted, not a crash.
TEST_F(CertificateStatusTest, GarbageCertificateIsUntrusted) {
    // Arrange
    QualificationClient c = client();
    auto challenge = c.requestChallenge();
    ASSERT_TRUE(challenge);
    terminal::ConfirmRequest req;
    req.challenge = challenge.value();
    req.authCertificateDer = bytesOf("\x30\x82\xff\xff not a certificate");
    req.pinSignature = Bytes(256, 1);
    // Act
    auto result = c.confirm(req);
    // Assert
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().refusal, RefusalReason::kCertificateUntrusted);
}

std::time_t jst(int y, int mo, int d, int h, int mi, int s) {
    return sim::jst::fromCivil(y, mo, d, h * 3600 + mi * 60 + s);
}

// Grace: a certificate ending 15 Jan is usable for qualification until 30 Apr 23:59:59 JST.
TEST(CertificateValidityRuleTest, GraceEndsAtEndOfThirdMonthAfterExpiryMonth) {
    // Arrange
    const std::time_t notBefore = jst(2020, 1, 15, 10, 0, 0);
    const std::time_t notAfter = jst(2025, 1, 15, 10, 0, 0);
    // Act / Assert
    EXPECT_EQ(sim::certificateValidityAt(notBefore, notAfter, jst(2025, 1, 15, 10, 0, 1)),
              CertificateValidity::kGraceQualificationOnly);
    EXPECT_EQ(sim::certificateValidityAt(notBefore, notAfter, jst(2025, 4, 30, 23, 59, 59)),
              CertificateValidity::kGraceQualificationOnly);
    EXPECT_EQ(sim::certificateValidityAt(notBefore, notAfter, jst(2025, 5, 1, 0, 0, 0)),
              CertificateValidity::kExpired);
}

// Grace across a year end: ending in November, grace runs to the end of February.
TEST(CertificateValidityRuleTest, GraceCrossesYearEnd) {
    // Arrange
    const std::time_t notAfter = jst(2025, 11, 30, 23, 0, 0);
    // Act / Assert
    EXPECT_EQ(sim::certificateValidityAt(0, notAfter, jst(2026, 2, 28, 23, 59, 59)),
              CertificateValidity::kGraceQualificationOnly);
    EXPECT_EQ(sim::certificateValidityAt(0, notAfter, jst(2026, 3, 1, 0, 0, 0)),
              CertificateValidity::kExpired);
}

// Renewal notice from 3 months before expiry; 31 May minus 3 months clamps to 28 Feb.
TEST(CertificateValidityRuleTest, RenewalNoticeStartsThreeMonthsBefore) {
    // Arrange
    const std::time_t notAfter = jst(2025, 5, 31, 12, 0, 0);
    // Act / Assert
    EXPECT_EQ(sim::certificateValidityAt(0, notAfter, jst(2025, 2, 28, 11, 59, 59)),
              CertificateValidity::kValid);
    EXPECT_EQ(sim::certificateValidityAt(0, notAfter, jst(2025, 2, 28, 12, 0, 0)),
              CertificateValidity::kRenewalDue);
    EXPECT_EQ(sim::certificateValidityAt(0, notAfter, notAfter), CertificateValidity::kRenewalDue);
}

// Before notBefore a certificate is not yet valid.
TEST(CertificateValidityRuleTest, BeforeNotBeforeIsNotYetValid) {
    // Act / Assert
    EXPECT_EQ(sim::certificateValidityAt(jst(2025, 1, 1, 0, 0, 0), jst(2030, 1, 1, 0, 0, 0),
                                         jst(2024, 12, 31, 23, 59, 59)),
              CertificateValidity::kNotYetValid);
}

}  // namespace
}  // namespace uketsuke::testing
