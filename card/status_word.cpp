// The status-word table (reference §9; Errata 2 and 3).
#include "card/status_word.h"

#include <array>

namespace uketsuke::card {
namespace {

struct SwEntry {
    std::uint16_t first;  // inclusive range of full SWs; most entries are one SW
    std::uint16_t last;
    SwClass cls;
    CardErrorCode error;
    std::string_view meaning;
};

using C = CardErrorCode;
constexpr std::array kSwTable{
    SwEntry{0x9000, 0x9000, SwClass::kSuccess, C::kUnexpectedStatus, "success"},
    SwEntry{0x6100, 0x61FF, SwClass::kMoreData, C::kUnexpectedStatus,
            "more data available (GET RESPONSE)"},
    SwEntry{0x6C00, 0x6CFF, SwClass::kReissueLe, C::kWrongLength, "wrong Le, reissue with Le=xx"},
    SwEntry{0x6282, 0x6282, SwClass::kEndOfFile, C::kUnexpectedStatus, "end of file before Le"},
    SwEntry{0x6B00, 0x6B00, SwClass::kEndOfFile, C::kWrongP1P2, "offset beyond end of file"},
    SwEntry{0x6300, 0x6300, SwClass::kNoCounter, C::kUnexpectedStatus, "no retry counter"},
    SwEntry{0x63C0, 0x63C0, SwClass::kBlocked, C::kBlocked, "credential blocked (0 tries)"},
    SwEntry{0x63C1, 0x63CF, SwClass::kTriesLeft, C::kWrongCredential, "x tries left"},
    SwEntry{0x6983, 0x6983, SwClass::kBlocked, C::kBlocked, "authentication method blocked"},
    // Errata 3: 6984 is "blocked" whatever its low nibble.
    SwEntry{0x6984, 0x6984, SwClass::kBlocked, C::kBlocked, "key blocked"},
    SwEntry{0x6982, 0x6982, SwClass::kError, C::kSecurityStatusNotSatisfied,
            "security status not satisfied"},
    SwEntry{0x6985, 0x6985, SwClass::kError, C::kConditionsNotSatisfied,
            "conditions of use not satisfied"},
    SwEntry{0x6986, 0x6986, SwClass::kError, C::kNoCurrentFile, "no current EF/DF"},
    SwEntry{0x6A82, 0x6A82, SwClass::kError, C::kFileNotFound, "file or application not found"},
    SwEntry{0x6A86, 0x6A86, SwClass::kError, C::kWrongP1P2, "incorrect P1/P2"},
    SwEntry{0x6A81, 0x6A81, SwClass::kError, C::kFunctionNotSupported, "function not supported"},
    SwEntry{0x6700, 0x6700, SwClass::kError, C::kWrongLength, "wrong length"},
    SwEntry{0x6D00, 0x6D00, SwClass::kError, C::kInsNotSupported, "instruction not supported"},
    SwEntry{0x6E00, 0x6E00, SwClass::kError, C::kClaNotSupported, "class not supported"},
    SwEntry{0x66F1, 0x66F1, SwClass::kError, C::kConditionsNotSatisfied, "SET SESSION KEY refused"},
};

}  // namespace

DecodedSw decodeStatusWord(std::uint16_t sw) {
    for (const auto& e : kSwTable) {
        if (sw < e.first || sw > e.last)
            continue;
        DecodedSw d{sw, e.cls, e.error, e.meaning, std::nullopt, std::nullopt};
        if (e.first == 0x63C1 || e.first == 0x63C0)
            d.triesLeft = sw - 0x63C0;
        if (e.cls == SwClass::kMoreData || e.cls == SwClass::kReissueLe) {
            d.le = static_cast<std::uint8_t>(sw - e.first);
        }
        return d;
    }
    return DecodedSw{sw,           SwClass::kError, C::kUnexpectedStatus, "unknown status word",
                     std::nullopt, std::nullopt};
}

CardError statusError(std::uint16_t sw, std::string_view operation) {
    const DecodedSw d = decodeStatusWord(sw);
    CardError e{d.error, sw, std::string(operation), std::nullopt};
    if (d.cls == SwClass::kTriesLeft || d.cls == SwClass::kBlocked)
        e.triesLeft = d.triesLeft;
    // Success, counters and GET RESPONSE are not errors in themselves; when an operation did
    // not expect them they are unexpected.
    if (d.cls == SwClass::kSuccess || d.cls == SwClass::kMoreData || d.cls == SwClass::kNoCounter) {
        e.code = C::kUnexpectedStatus;
    }
    return e;
}

}  // namespace uketsuke::card
