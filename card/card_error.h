// Card-layer error vocabulary: one enum class with a {code, name, description} table, plus a
// richer CardError value (code, the status word that caused it, a context string, tries left).
// Status words map to these codes through the table in status_word.cpp (reference §9).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/error_table.h"
#include "uketsuke/result.h"

namespace uketsuke::card {

enum class CardErrorCode {
    // PC/SC and transport
    kNoService,         // pcscd not running
    kNoReader,          // no reader, or the named reader is absent
    kNoCard,            // no card in the reader
    kCardRemoved,       // the card left the field during an operation (Canceled)
    kCardReset,         // another process reset the card: verified states are gone
    kSharingViolation,  // another process holds the card exclusively
    kTransport,         // any other PC/SC or channel failure
    kTimeout,           // waiting for a card or an answer took too long
    kCanceled,          // the caller cancelled a wait
    // ISO 7816 status words
    kMalformedResponse,           // fewer than 2 bytes, more data than asked, broken 61xx chain
    kFileNotFound,                // 6A82
    kSecurityStatusNotSatisfied,  // 6982
    kBlocked,                     // 6983/6984/63C0: the credential is blocked
    kWrongCredential,             // 63Cx after a VERIFY: wrong PIN or 照合番号B, x tries left
    kConditionsNotSatisfied,      // 6985
    kNoCurrentFile,               // 6986
    kWrongLength,                 // 6700, or an answer of the wrong size
    kWrongP1P2,                   // 6A86/6B00 outside a read
    kInsNotSupported,             // 6D00
    kClaNotSupported,             // 6E00
    kFunctionNotSupported,        // 6A81
    kUnexpectedStatus,            // any SW the table does not expect in that place
    // Data formats
    kMalformedTlv,
    kFileTooLarge,
    kMalformedCertificate,
    kCertificateUntrusted,
    kCertificateExpired,
    kCertificateNotYetValid,
    kCertificateKeyUsage,
    kTestIssuerRejected,
    kCvCertificateInvalid,
    kMalformedPhoto,
    // Card identity and authenticity
    kNotAMyNumberCard,
    kSmartphoneToken,
    kPhotoSignatureInvalid,
    kCloneSuspected,
    // Policy and caller errors
    kTriesTooLow,      // policy refuses a VERIFY that could lock the credential
    kAlreadyVerified,  // counter query answered 9000 (Errata 2): state left over in this session
    kForbiddenAccess,  // a My Number file or AP was about to be selected
    kInvalidInput,
    kConfiguration,  // trust store or CV-CA key missing or unreadable
    kCrypto,         // OpenSSL failed internally
};

using CardErrorInfo = ErrorInfo<CardErrorCode>;

const CardErrorInfo& cardErrorInfo(CardErrorCode code);
std::string_view cardErrorName(CardErrorCode code);

// An error with the context an operator needs. `sw` is 0 when no status word was involved.
struct CardError {
    CardErrorCode code = CardErrorCode::kTransport;
    std::uint16_t sw = 0;
    std::string context;
    std::optional<int> triesLeft;  // set for kWrongCredential (and kTriesTooLow)

    std::string_view name() const { return cardErrorName(code); }
    // "wrong-credential (SW 63C2, VERIFY 照合番号B): 2 tries left"
    std::string toString() const;
};

template <typename T>
using CardResult = Result<T, CardError>;
using CardStatus = Status<CardError>;

inline Failure<CardError> cardFail(CardErrorCode code, std::string context = {},
                                   std::uint16_t sw = 0) {
    return fail(CardError{code, sw, std::move(context), std::nullopt});
}
inline Failure<CardError> cardCancel(CardErrorCode code, std::string context = {}) {
    return cancel(CardError{code, 0, std::move(context), std::nullopt});
}

}  // namespace uketsuke::card
