// Building and signing the terminal's face/staff attestation (sim/qualification/README.md,
// "Attestation").
#include "terminal/qualification/attestation.h"
#include "terminal/qualification/https_transport.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "terminal/qualification/codec.h"

namespace uketsuke::terminal {
namespace {

constexpr std::size_t kMaxStaffIdChars = 64;

QualificationError attestationError(QualificationErrorCode code, std::string detail) {
    QualificationError e;
    e.code = code;
    e.detail = std::move(detail);
    return e;
}

}  // namespace

Result<std::string, QualificationError> attestationStatement(const AttestationInput& input) {
    if (input.challenge.empty() || input.authCertificateDer.empty())
        return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                     "attestation needs the challenge and the auth certificate"));
    // nlohmann::json objects keep their keys sorted, so the statement is deterministic.
    nlohmann::json st = {
        {"version", 1},
        {"challenge", base64Encode(input.challenge)},
        {"method", std::string(identityMethodName(input.method))},
        {"auth_certificate_sha256", lowerHex(sha256(input.authCertificateDer))},
        {"time", static_cast<std::int64_t>(input.time)},
    };
    switch (input.method) {
        case IdentityMethod::kFace:
            if (!input.face || !std::isfinite(input.face->matchDistance) ||
                !std::isfinite(input.face->threshold))
                return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                             "face attestation needs distance and threshold"));
            st["match_distance"] = input.face->matchDistance;
            st["threshold"] = input.face->threshold;
            break;
        case IdentityMethod::kStaff:
            if (!input.staff || input.staff->staffId.empty() ||
                input.staff->staffId.size() > kMaxStaffIdChars)
                return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                             "staff attestation needs a staff id (1-64 chars)"));
            st["staff_id"] = input.staff->staffId;
            break;
        case IdentityMethod::kPin:
            return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                         "the PIN path is proven by the card's signature"));
        case IdentityMethod::kNone:
            return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                         "no identity check to attest"));
    }
    if (input.card) {
        const auto& e = input.card->evidence;
        const auto& a = input.card->answer;
        if (e.cvCertificate.empty() || e.signedFields.empty() || e.signedDigests.size() != 96 ||
            e.faceSignature.empty() || a.cardNonce.empty() || a.signature.empty())
            return fail(attestationError(QualificationErrorCode::kInvalidInput,
                                         "incomplete card-presence evidence"));
        st["card"] = {
            {"cv_certificate", base64Encode(e.cvCertificate)},
            {"signed_fields", base64Encode(e.signedFields)},
            {"signed_digests", base64Encode(e.signedDigests)},
            {"face_signature", base64Encode(e.faceSignature)},
            {"nonce", base64Encode(a.cardNonce)},
            {"answer", base64Encode(a.signature)},
        };
    }
    return st.dump();
}

Result<AttestationSigner, QualificationError> AttestationSigner::fromKeyFile(
    const std::string& path) {
    return fromKey(TerminalKeySpec{KeyStore::kFile, path, {}});
}

Result<AttestationSigner, QualificationError> AttestationSigner::fromKey(
    const TerminalKeySpec& spec) {
    auto key = loadTerminalKey(spec);
    if (!key)
        return key.failure();
    return AttestationSigner(std::move(key).takeValue());
}

Result<SignedAttestation, QualificationError> AttestationSigner::sign(
    const AttestationInput& input) const {
    auto statement = attestationStatement(input);
    if (!statement)
        return statement.failure();
    SignedAttestation out;
    out.statement = std::move(statement).takeValue();

    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t len = 0;
    const auto* msg = reinterpret_cast<const unsigned char*>(out.statement.data());
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, propertyQueryFor(key_.get()),
                              key_.get(), nullptr) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, msg, out.statement.size()) != 1) {
        ERR_clear_error();
        return fail(attestationError(QualificationErrorCode::kCrypto, "signing failed"));
    }
    out.signature.resize(len);
    if (EVP_DigestSign(ctx.get(), out.signature.data(), &len, msg, out.statement.size()) != 1) {
        ERR_clear_error();
        return fail(attestationError(QualificationErrorCode::kCrypto, "signing failed"));
    }
    out.signature.resize(len);
    return out;
}

}  // namespace uketsuke::terminal
