// Error table of the card layer (see card_error.h).
#include "card/card_error.h"

#include <array>
#include <cstdio>

#include "uketsuke/error_table.h"

namespace uketsuke::card {
namespace {

using C = CardErrorCode;

// clang-format off
constexpr auto kCardErrors = errorTable<CardErrorInfo, C::kNoService, C::kCrypto>({
    {C::kNoService, "no-service", "the PC/SC service (pcscd) is not running"},
    {C::kNoReader, "no-reader", "no card reader (or not the configured one)"},
    {C::kNoCard, "no-card", "no card in the reader"},
    {C::kCardRemoved, "card-removed", "the card was removed during the operation"},
    {C::kCardReset, "card-reset", "the card was reset by another application"},
    {C::kSharingViolation, "sharing-violation", "another application is using the card"},
    {C::kTransport, "transport", "communication with the card failed"},
    {C::kTimeout, "timeout", "the card or reader did not answer in time"},
    {C::kCanceled, "canceled", "the operation was cancelled"},
    {C::kMalformedResponse, "malformed-response", "the card's answer does not have the expected form"},
    {C::kFileNotFound, "file-not-found", "the application or file is not on the card"},
    {C::kSecurityStatusNotSatisfied, "security-status-not-satisfied", "the card requires a verified PIN or code first"},
    {C::kBlocked, "blocked", "the PIN or code is blocked (no tries left)"},
    {C::kWrongCredential, "wrong-credential", "the PIN or code is wrong"},
    {C::kConditionsNotSatisfied, "conditions-not-satisfied", "the card refused the command in its current state"},
    {C::kNoCurrentFile, "no-current-file", "no application or file is selected"},
    {C::kWrongLength, "wrong-length", "wrong command or answer length"},
    {C::kWrongP1P2, "wrong-p1p2", "wrong parameters P1/P2"},
    {C::kInsNotSupported, "ins-not-supported", "instruction not supported"},
    {C::kClaNotSupported, "cla-not-supported", "class byte not supported"},
    {C::kFunctionNotSupported, "function-not-supported", "function not supported"},
    {C::kUnexpectedStatus, "unexpected-status", "the card answered a status word that is not expected here"},
    {C::kMalformedTlv, "malformed-tlv", "a TLV structure on the card is malformed"},
    {C::kFileTooLarge, "file-too-large", "a file is larger than the card allows"},
    {C::kMalformedCertificate, "malformed-certificate", "a certificate could not be parsed"},
    {C::kCertificateUntrusted, "certificate-untrusted", "the certificate does not chain to the configured trust store"},
    {C::kCertificateExpired, "certificate-expired", "the certificate has expired"},
    {C::kCertificateNotYetValid, "certificate-not-yet-valid", "the certificate is not valid yet"},
    {C::kCertificateKeyUsage, "certificate-key-usage", "the certificate's key usage does not allow this use"},
    {C::kTestIssuerRejected, "test-issuer-rejected", "the certificate comes from a JPKI test issuer (refused in production)"},
    {C::kCvCertificateInvalid, "cv-certificate-invalid", "the card-verifiable certificate (EF 0004) does not verify"},
    {C::kMalformedPhoto, "malformed-photo", "the chip photo is not a valid JP2 file"},
    {C::kNotAMyNumberCard, "not-a-my-number-card", "this is not a My Number Card"},
    {C::kSmartphoneToken, "smartphone-token", "this is a smartphone JPKI token, not a card"},
    {C::kPhotoSignatureInvalid, "photo-signature-invalid", "the card-face data signature (DF28) does not verify"},
    {C::kCloneSuspected, "clone-suspected", "the card failed internal authentication (possible clone)"},
    {C::kTriesTooLow, "tries-too-low", "too few tries left: refusing to risk locking the credential"},
    {C::kAlreadyVerified, "already-verified", "the credential is already verified in this card session"},
    {C::kForbiddenAccess, "forbidden-access", "access to My Number data is never allowed"},
    {C::kInvalidInput, "invalid-input", "invalid input"},
    {C::kConfiguration, "configuration", "the card configuration (trust store, CV-CA key) is missing or unreadable"},
    {C::kCrypto, "crypto", "a cryptographic operation failed"},
}, {C::kTransport, "unknown", "unknown card error"});
// clang-format on

}  // namespace

const CardErrorInfo& cardErrorInfo(CardErrorCode code) {
    return kCardErrors[code];
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
