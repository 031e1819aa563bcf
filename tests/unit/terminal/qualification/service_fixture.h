// Test fixture: the reference qualification service (sim/qualification) started in-process on a
// free loopback port with the build's test PKIs, and helpers that play the card (PIN signature
// with the persona's auth key, as `80 2A` does) and the terminal (client + attestation signer).
#pragma once

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "sim/qualification/qualification_server.h"
#include "sim/qualification/qualification_service.h"
#include "terminal/qualification/attestation.h"
#include "terminal/qualification/codec.h"
#include "terminal/qualification/qualification_client.h"

namespace uketsuke::testing {

namespace fs = std::filesystem;
using terminal::QualificationClient;
using terminal::QualificationClientConfig;
using terminal::QualificationError;
using terminal::QualificationErrorCode;
using terminal::QualificationResult;

inline fs::path pkiDir() {
    return fs::path(UKETSUKE_BUILD_DIR) / "pki";
}
inline fs::path tlsDir() {
    return pkiDir() / "qualification";
}
inline fs::path personaDir(const std::string& id) {
    return pkiDir() / "personas" / id;
}
inline fs::path insuredFile() {
    return fs::path(UKETSUKE_SOURCE_DIR) / "sim" / "qualification" / "insured.json";
}
inline bool hasPersona(const std::string& id) {
    return fs::exists(personaDir(id) / "auth.key");
}

#define REQUIRE_PERSONA(id)                                                                    \
    if (!::uketsuke::testing::hasPersona(id))                                                  \
    GTEST_SKIP() << "persona " << (id) << " is missing from " << ::uketsuke::testing::pkiDir() \
                 << "/personas (build the test_pki target)"

// DER of a persona's auth certificate (what the card's EF 000A holds).
inline Bytes personaCertificateDer(const std::string& id) {
    std::FILE* f = std::fopen((personaDir(id) / "auth.pem").c_str(), "rb");
    if (f == nullptr)
        return {};
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (cert == nullptr)
        return {};
    unsigned char* buf = nullptr;
    const int n = i2d_X509(cert, &buf);
    Bytes der(buf, buf + (n > 0 ? n : 0));
    OPENSSL_free(buf);
    X509_free(cert);
    return der;
}

// Plays the card on the PIN path: PKCS#1 v1.5 type-1 signature of the DigestInfo the terminal
// sends in `80 2A 00 80` (card-protocol.md §6), made with the persona's auth key.
inline Bytes cardSign(const std::string& id, ByteView challenge) {
    std::FILE* f = std::fopen((personaDir(id) / "auth.key").c_str(), "rb");
    if (f == nullptr)
        return {};
    EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (key == nullptr)
        return {};
    const Bytes digestInfo = terminal::pinProofDigestInfo(challenge);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    std::size_t len = 0;
    Bytes sig;
    if (EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_sign(ctx, nullptr, &len, digestInfo.data(), digestInfo.size()) == 1) {
        sig.resize(len);
        if (EVP_PKEY_sign(ctx, sig.data(), &len, digestInfo.data(), digestInfo.size()) != 1)
            sig.clear();
        sig.resize(len);
    }
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return sig;
}

class QualificationServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(pkiDir() / "jpki-auth-root.pem") ||
            !fs::exists(pkiDir() / "jpki-auth-ca.crl.pem"))
            GTEST_SKIP() << "JPKI test PKI missing in " << pkiDir() << " (build test_pki)";
        if (!fs::exists(tlsDir() / "client.pem"))
            GTEST_SKIP() << "qualification TLS PKI missing in " << tlsDir()
                         << " (build qualification_pki)";
        startService(sim::InsuredDatabase::load(insuredFile().string()));
    }

    void startService(Result<sim::InsuredDatabase, std::string> insured,
                      sim::ServiceConfig config = {}, bool control = true,
                      int ioTimeoutMs = sim::ServerOptions{}.ioTimeoutMs) {
        server_.reset();
        auto checker = sim::CertificateChecker::load((pkiDir() / "jpki-auth-root.pem").string(),
                                                     (pkiDir() / "jpki-auth-ca.pem").string(),
                                                     (pkiDir() / "jpki-auth-ca.crl.pem").string());
        auto personas = sim::PersonaDirectory::scan((pkiDir() / "personas").string());
        ASSERT_TRUE(checker) << checker.error();
        ASSERT_TRUE(personas) << personas.error();
        ASSERT_TRUE(insured) << insured.error();
        service_ = std::make_unique<sim::QualificationService>(
            std::move(checker).takeValue(), std::move(personas).takeValue(),
            std::move(insured).takeValue(), config, [this] {
                const std::time_t fixed = fakeNow_.load();
                return fixed != 0 ? fixed : std::time(nullptr);
            });
        sim::ServerOptions options;
        options.serverCertFile = (tlsDir() / "server.pem").string();
        options.serverKeyFile = (tlsDir() / "server.key").string();
        options.clientCaFile = (tlsDir() / "institution-ca.pem").string();
        options.controlEnabled = control;  // faults_test drives /v1/control/*
        options.ioTimeoutMs = ioTimeoutMs;
        auto server = sim::QualificationServer::start(*service_, options);
        ASSERT_TRUE(server) << server.error();
        server_ = std::move(server).takeValue();
    }

    void TearDown() override { server_.reset(); }

    QualificationClientConfig clientConfig(const std::string& certName = "client") const {
        QualificationClientConfig c;
        c.tls.host = "127.0.0.1";
        c.tls.port = server_ ? server_->port() : 0;
        c.tls.caFile = (tlsDir() / "institution-ca.pem").string();
        if (!certName.empty()) {
            c.tls.clientCertFile = (tlsDir() / (certName + ".pem")).string();
            c.tls.clientKeyFile = (tlsDir() / (certName + ".key")).string();
        }
        c.tls.connectTimeoutMs = 2000;
        c.tls.responseTimeoutMs = 3000;
        c.initialBackoffMs = 10;
        return c;
    }

    QualificationClient client(const QualificationClientConfig& config) const {
        auto c = QualificationClient::create(config);
        EXPECT_TRUE(c) << (c ? "" : c.error().message());
        return std::move(c).takeValue();
    }
    QualificationClient client() const { return client(clientConfig()); }

    terminal::AttestationSigner signer(const std::string& keyName = "client") const {
        auto s = terminal::AttestationSigner::fromKeyFile((tlsDir() / (keyName + ".key")).string());
        EXPECT_TRUE(s);
        return std::move(s).takeValue();
    }

    // A whole PIN-path confirmation for a persona, as the session would run it.
    Result<QualificationResult, QualificationError> confirmWithPin(const std::string& persona) {
        QualificationClient c = client();
        auto challenge = c.requestChallenge();
        if (!challenge)
            return challenge.failure();
        terminal::ConfirmRequest req;
        req.challenge = challenge.value();
        req.authCertificateDer = personaCertificateDer(persona);
        req.method = terminal::IdentityMethod::kPin;
        req.pinSignature = cardSign(persona, challenge.value().bytes);
        return c.confirm(req);
    }

    // A face-path request with the terminal's attestation (distance/threshold as given).
    terminal::ConfirmRequest faceRequest(const terminal::Challenge& challenge,
                                         const std::string& persona, double distance,
                                         double threshold, std::time_t when = 0) const {
        terminal::AttestationInput in;
        in.challenge = challenge.bytes;
        in.method = terminal::IdentityMethod::kFace;
        in.authCertificateDer = personaCertificateDer(persona);
        in.face = terminal::FaceCheck{distance, threshold};
        in.time = when != 0 ? when : std::time(nullptr);
        auto signed_ = signer().sign(in);
        EXPECT_TRUE(signed_);
        terminal::ConfirmRequest req;
        req.challenge = challenge;
        req.authCertificateDer = in.authCertificateDer;
        req.method = terminal::IdentityMethod::kFace;
        req.attestation = signed_.value();
        return req;
    }

    std::atomic<std::time_t> fakeNow_{0};
    std::unique_ptr<sim::QualificationService> service_;
    std::unique_ptr<sim::QualificationServer> server_;
};

}  // namespace uketsuke::testing
