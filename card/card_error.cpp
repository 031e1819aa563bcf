// Error table of the card layer (see card_error.h).
#include "card/card_error.h"

#include <array>
#include <cstdio>

#include "uketsuke/error_table.h"

namespace uketsuke::card {
namespace {

// clang-format off
constexpr ErrorTable kCardErrors{std::to_array<CardErrorInfo>({
    {CardErrorCode::kNoService, "no-service", "the PC/SC service (pcscd) is not running"},
    {CardErrorCode::kNoReader, "no-reader", "no card reader (or not the configured one)"},
    {CardErrorCode::kNoCard, "no-card", "no card in the reader"},
    {CardErrorCode::kCardRemoved, "card-removed", "the card was removed during the operation"},
    {CardErrorCode::kCardReset, "card-reset", "the card was reset by another application"},
    {CardErrorCode::kSharingViolation, "sharing-violation", "another application is using the card"},
    {CardErrorCode::kTransport, "transport", "communication with the card failed"},
    {CardErrorCode::kTimeout, "timeout", "the card or reader did not answer in time"},
    {CardErrorCode::kCanceled, "canceled", "the operation was cancelled"},
    {CardErrorCode::kMalformedResponse, "malformed-response", "the card's answer does not have the expected form"},
    {CardErrorCode::kFileNotFound, "file-not-found", "the application or file is not on the card"},
    {CardErrorCode::kSecurityStatusNotSatisfied, "security-status-not-satisfied", "the card requires a verified PIN or code first"},
    {CardErrorCode::kBlocked, "blocked", "the PIN or code is blocked (no tries left)"},
    {CardErrorCode::kWrongCredential, "wrong-credential", "the PIN or code is wrong"},
    {CardErrorCode::kConditionsNotSatisfied, "conditions-not-satisfied", "the card refused the command in its current state"},
    {CardErrorCode::kNoCurrentFile, "no-current-file", "no application or file is selected"},
    {CardErrorCode::kWrongLength, "wrong-length", "wrong command or answer length"},
    {CardErrorCode::kWrongP1P2, "wrong-p1p2", "wrong parameters P1/P2"},
    {CardErrorCode::kInsNotSupported, "ins-not-supported", "instruction not supported"},
    {CardErrorCode::kClaNotSupported, "cla-not-supported", "class byte not supported"},
    {CardErrorCode::kFunctionNotSupported, "function-not-supported", "function not supported"},
    {CardErrorCode::kUnexpectedStatus, "unexpected-status", "the card answered a status word that is not expected here"},
    {CardErrorCode::kMalformedTlv, "malformed-tlv", "a TLV structure on the card is malformed"},
    {CardErrorCode::kFileTooLarge, "file-too-large", "a file is larger than the card allows"},
    {CardErrorCode::kMalformedCertificate, "malformed-certificate", "a certificate could not be parsed"},
    {CardErrorCode::kCertificateUntrusted, "certificate-untrusted", "the certificate does not chain to the configured trust store"},
    {CardErrorCode::kCertificateExpired, "certificate-expired", "the certificate has expired"},
    {CardErrorCode::kCertificateNotYetValid, "certificate-not-yet-valid", "the certificate is not valid yet"},
    {CardErrorCode::kCertificateKeyUsage, "certificate-key-usage", "the certificate's key usage does not allow this use"},
    {CardErrorCode::kTestIssuerRejected, "test-issuer-rejected", "the certificate comes from a JPKI test issuer (refused in production)"},
    {CardErrorCode::kCvCertificateInvalid, "cv-certificate-invalid", "the card-verifiable certificate (EF 0004) does not verify"},
    {CardErrorCode::kMalformedPhoto, "malformed-photo", "the chip photo is not a valid JP2 file"},
    {CardErrorCode::kNotAMyNumberCard, "not-a-my-number-card", "this is not a My Number Card"},
    {CardErrorCode::kSmartphoneToken, "smartphone-token", "this is a smartphone JPKI token, not a card"},
    {CardErrorCode::kPhotoSignatureInvalid, "photo-signature-invalid", "the card-face data signature (DF28) does not verify"},
    {CardErrorCode::kCloneSuspected, "clone-suspected", "the card failed internal authentication (possible clone)"},
    {CardErrorCode::kTriesTooLow, "tries-too-low", "too few tries left: refusing to risk locking the credential"},
    {CardErrorCode::kAlreadyVerified, "already-verified", "the credential is already verified in this card session"},
    {CardErrorCode::kForbiddenAccess, "forbidden-access", "access to My Number data is never allowed"},
    {CardErrorCode::kInvalidInput, "invalid-input", "invalid input"},
    {CardErrorCode::kConfiguration, "configuration", "the card configuration (trust store, CV-CA key) is missing or unreadable"},
    {CardErrorCode::kCrypto, "crypto", "a cryptographic operation failed"},
}), {CardErrorCode::kTransport, "unknown", "unknown card error"}, CardErrorCode::kNoService, CardErrorCode::kCrypto};
// clang-format on

}  // namespace

const CardErrorInfo& cardErrorInfo(CardErrorCode code) {
    return kCardErrors[code];
}

std::string_view cardErrorName(CardErrorCode code) {
    return cardErrorInfo(code).name;
}

std::string CardError::toString() const {
    std::string out(name());
    if (sw != 0 || !context.empty()) {
        out += " (";
        if (sw != 0) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "SW %04X", sw);
            out += buf;
            if (!context.empty())
                out += ", ";
        }
        out += context;
        out += ")";
    }
    if (triesLeft)
        out += ": " + std::to_string(*triesLeft) + " tries left";
    return out;
}

}  // namespace uketsuke::card
