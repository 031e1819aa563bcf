// In-memory session ports shared by the controller tests (session_controller_test.cpp) and the
// fault-injection test (fault_injection_test.cpp).
#pragma once

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "terminal/session/session_controller.h"

namespace uketsuke::terminal::test {

using card::CardErrorCode;
using card::RetryCounter;

struct FakeCard : CardPort {
    card::CardInfo info;
    card::ValidityState validity = card::ValidityState::kValid;
    std::deque<card::CardStatus> pinAnswers;
    bool opened = false;
    int closes = 0;
    Bytes signedDigest;
    card::LastTry lastTrySeen = card::LastTry::kNotConfirmed;

    card::CardResult<card::CardInfo> open() override {
        opened = true;
        return info;
    }
    card::CardResult<card::AuthCertificateCheck> checkAuthCertificate(const card::CardInfo&,
                                                                      card::TimePoint) override {
        auto cert = card::Certificate::fromDer(info.authCertificate);
        if (!cert)
            return cardFail(CardErrorCode::kMalformedCertificate);
        return card::AuthCertificateCheck{cert.value(), {validity, true, true}};
    }
    std::optional<card::CardError> photoError;
    int photoReads = 0;
    card::CardResult<card::VerifiedPhoto> readVerifiedPhoto(SecretBytes, card::LastTry) override {
        ++photoReads;
        if (photoError)
            return fail(*photoError);
        return card::VerifiedPhoto{Bytes{1, 2, 3}, {}, "19800217", "20350217", "2", evidence};
    }
    // Issue 16: the card key evidence handed out with the photo (empty: a card without one) and
    // the card's answers to the service's challenge.
    card::CardKeyEvidence evidence;
    std::optional<card::CardError> presenceError;
    Bytes presenceChallenge;
    card::CardResult<card::CardPresenceAnswer> answerCardChallenge(ByteView challenge) override {
        presenceChallenge.assign(challenge.begin(), challenge.end());
        if (presenceError)
            return fail(*presenceError);
        return card::CardPresenceAnswer{Bytes(16, 0x4E), Bytes(256, 0x5B)};
    }
    card::CardStatus verifyAuthPin(SecretBytes pin, card::LastTry lastTry) override {
        lastTrySeen = lastTry;
        pin.clear();
        auto answer = pinAnswers.front();
        pinAnswers.pop_front();
        return answer;
    }
    card::CardResult<Bytes> signAuthDigest(ByteView digest) override {
        signedDigest.assign(digest.begin(), digest.end());
        return Bytes(256, 0x5A);
    }
    void close() override { ++closes; }
    bool cardWasRemoved() override { return false; }
};

struct FakeFace : FacePort {
    std::deque<FaceAttempt> attempts;
    bool hasReference = false;
    Status<std::string> setReference(ByteView) override {
        hasReference = true;
        return Unit{};
    }
    void beginAttempt(bool) override {}
    std::optional<FaceAttempt> addFrame(const vision::Frame&) override {
        auto a = attempts.front();
        attempts.pop_front();
        return a;
    }
    FaceAttempt finishAttempt() override {
        return FaceAttempt{false, std::nullopt, 0.5, "no-face"};
    }
    void wipe() override { hasReference = false; }
};

struct FakeFront : CardFrontReader {
    int cardSessions = 0;
    std::vector<int> doubtfulExpiryYears;
    void beginCardSession() override { ++cardSessions; }
    void markDoubtful(const CardFrontFields& fields) override {
        doubtfulExpiryYears.push_back(fields.expiryYear);
        EXPECT_EQ(fields.securityCode.size(), 4u);  // still there to fingerprint
    }
    std::optional<CardFrontFields> readFields() override {
        CardFrontFields f;
        f.birthDate = std::chrono::year{1980} / 2 / 17;
        f.expiryYear = 2035;
        f.securityCode = SecretBytes("2285");
        return f;
    }
};

struct FakeQualification : QualificationPort {
    std::optional<QualificationError> failWith;
    std::optional<ConfirmRequest> lastConfirm;
    QualificationValidity validity = QualificationValidity::kValid;
    std::optional<QualificationResult> answer;  // the whole answer, when a test needs one
    Result<Challenge, QualificationError> requestChallenge() override {
        if (failWith)
            return fail(*failWith);
        return Challenge{"AQID", {1, 2, 3}, 120};
    }
    std::optional<AttestationInput> lastAttestation;
    Result<SignedAttestation, QualificationError> attest(const AttestationInput& in) override {
        lastAttestation = in;
        return SignedAttestation{"{}", Bytes{9}};
    }
    Result<QualificationResult, QualificationError> confirm(const ConfirmRequest& r) override {
        lastConfirm = r;
        if (answer)
            return *answer;
        QualificationResult result;
        result.validity = validity;
        return result;
    }
};

struct FakeResults : ResultSink {
    int writes = 0;
    Result<std::filesystem::path, std::string> write(const ResultFileInput&, std::time_t) override {
        ++writes;
        return std::filesystem::path("/res/file.xml");
    }
};

struct FakeLog : LogSink {
    std::vector<SessionSummary> rows;
    Status<std::string> append(const SessionSummary& s) override {
        rows.push_back(s);
        return Unit{};
    }
};

struct FakeClock : Clock {
    std::chrono::steady_clock::time_point steady{};
    std::chrono::steady_clock::time_point steadyNow() const override { return steady; }
    std::chrono::system_clock::time_point systemNow() const override {
        return std::chrono::system_clock::now();
    }
};

// A self-signed DER certificate is enough for the fake card's checkAuthCertificate.
inline Bytes testCertificate() {
    std::ifstream in(std::string(UKETSUKE_BUILD_DIR) + "/pki/personas/normal/auth.pem");
    std::string pem((std::istreambuf_iterator<char>(in)), {});
    auto cert = card::Certificate::fromPem(pem);
    if (!cert)
        return {};
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert->get(), &der);
    Bytes out(der, der + (n > 0 ? n : 0));
    OPENSSL_free(der);
    return out;
}

}  // namespace uketsuke::terminal::test
