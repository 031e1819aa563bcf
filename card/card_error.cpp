// Error table of the card layer (see card_error.h).
#include "card/card_error.h"

#include <array>
#include <cstdio>

#include "uketsuke/error_table.h"

namespace uketsuke::card {
namespace {

using C = CardErrorCode;

constexpr ErrorTable kCardErrors{
    std::array{
        CardErrorInfo{C::kNoService, "no-service", "the PC/SC service (pcscd) is not running"},
        CardErrorInfo{C::kNoReader, "no-reader", "no card reader (or not the configured one)"},
        CardErrorInfo{C::kNoCard, "no-card", "no card in the reader"},
        CardErrorInfo{C::kCardRemoved, "card-removed", "the card was removed during the operation"},
        CardErrorInfo{C::kCardReset, "card-reset", "the card was reset by another application"},
        CardErrorInfo{C::kSharingViolation, "sharing-violation",
                      "another application is using the card"},
        CardErrorInfo{C::kTransport, "transport", "communication with the card failed"},
        CardErrorInfo{C::kTimeout, "timeout", "the card or reader did not answer in time"},
        CardErrorInfo{C::kCanceled, "canceled", "the operation was cancelled"},
        CardErrorInfo{C::kMalformedResponse, "malformed-response",
                      "the card's answer does not have the expected form"},
        CardErrorInfo{C::kFileNotFound, "file-not-found",
                      "the application or file is not on the card"},
        CardErrorInfo{C::kSecurityStatusNotSatisfied, "security-status-not-satisfied",
                      "the card requires a verified PIN or code first"},
        CardErrorInfo{C::kBlocked, "blocked", "the PIN or code is blocked (no tries left)"},
        CardErrorInfo{C::kWrongCredential, "wrong-credential", "the PIN or code is wrong"},
        CardErrorInfo{C::kConditionsNotSatisfied, "conditions-not-satisfied",
                      "the card refused the command in its current state"},
        CardErrorInfo{C::kNoCurrentFile, "no-current-file", "no application or file is selected"},
        CardErrorInfo{C::kWrongLength, "wrong-length", "wrong command or answer length"},
        CardErrorInfo{C::kWrongP1P2, "wrong-p1p2", "wrong parameters P1/P2"},
        CardErrorInfo{C::kInsNotSupported, "ins-not-supported", "instruction not supported"},
        CardErrorInfo{C::kClaNotSupported, "cla-not-supported", "class byte not supported"},
        CardErrorInfo{C::kFunctionNotSupported, "function-not-supported", "function not supported"},
        CardErrorInfo{C::kUnexpectedStatus, "unexpected-status",
                      "the card answered a status word that is not expected here"},
        CardErrorInfo{C::kMalformedTlv, "malformed-tlv",
                      "a TLV structure on the card is malformed"},
        CardErrorInfo{C::kFileTooLarge, "file-too-large", "a file is larger than the card allows"},
        CardErrorInfo{C::kMalformedCertificate, "malformed-certificate",
                      "a certificate could not be parsed"},
        CardErrorInfo{C::kCertificateUntrusted, "certificate-untrusted",
                      "the certificate does not chain to the configured trust store"},
        CardErrorInfo{C::kCertificateExpired, "certificate-expired", "the certificate has expired"},
        CardErrorInfo{C::kCertificateNotYetValid, "certificate-not-yet-valid",
                      "the certificate is not valid yet"},
        CardErrorInfo{C::kCertificateKeyUsage, "certificate-key-usage",
                      "the certificate's key usage does not allow this use"},
        CardErrorInfo{C::kTestIssuerRejected, "test-issuer-rejected",
                      "the certificate comes from a JPKI test issuer (refused in production)"},
        CardErrorInfo{C::kCvCertificateInvalid, "cv-certificate-invalid",
                      "the card-verifiable certificate (EF 0004) does not verify"},
        CardErrorInfo{C::kMalformedPhoto, "malformed-photo",
                      "the chip photo is not a valid JP2 file"},
        CardErrorInfo{C::kNotAMyNumberCard, "not-a-my-number-card", "this is not a My Number Card"},
        CardErrorInfo{C::kSmartphoneToken, "smartphone-token",
                      "this is a smartphone JPKI token, not a card"},
        CardErrorInfo{C::kPhotoSignatureInvalid, "photo-signature-invalid",
                      "the card-face data signature (DF28) does not verify"},
        CardErrorInfo{C::kCloneSuspected, "clone-suspected",
                      "the card failed internal authentication (possible clone)"},
        CardErrorInfo{C::kTriesTooLow, "tries-too-low",
                      "too few tries left: refusing to risk locking the credential"},
        CardErrorInfo{C::kAlreadyVerified, "already-verified",
                      "the credential is already verified in this card session"},
        CardErrorInfo{C::kForbiddenAccess, "forbidden-access",
                      "access to My Number data is never allowed"},
        CardErrorInfo{C::kInvalidInput, "invalid-input", "invalid input"},
        CardErrorInfo{C::kConfiguration, "configuration",
                      "the card configuration (trust store, CV-CA key) is missing or unreadable"},
        CardErrorInfo{C::kCrypto, "crypto", "a cryptographic operation failed"},
    },
    CardErrorInfo{C::kTransport, "unknown", "unknown card error"}};
static_assert(kCardErrors.complete(C::kCrypto),
              "kCardErrors must list every CardErrorCode in enum order");

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
