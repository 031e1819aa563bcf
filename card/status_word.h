// Status-word decoding through one table (reference §4 and §9, Errata 2 and 3). The table maps
// every full SW (or an explicit SW range such as 63C1..63CF) to a class and a CardErrorCode;
// nothing masks bits out of an SW, which is how OpenSC came to read 6984 as "4 tries left".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "card/card_error.h"

namespace uketsuke::card {

enum class SwClass {
    kSuccess,    // 9000
    kMoreData,   // 61xx: GET RESPONSE with Le = xx
    kReissueLe,  // 6Cxx: send again with Le = xx
    kEndOfFile,  // 6282, 6B00 in a READ BINARY: stop reading, not an error
    kTriesLeft,  // 63C1..63CF: wrong credential or counter query, x tries left
    kNoCounter,  // 6300: the key has no retry counter
    kBlocked,    // 63C0, 6983, 6984: blocked
    kError,      // everything else: see `error`
};

struct DecodedSw {
    std::uint16_t sw = 0;
    SwClass cls = SwClass::kError;
    CardErrorCode error = CardErrorCode::kUnexpectedStatus;  // meaningful when cls is kError
    std::string_view meaning;
    std::optional<int> triesLeft;    // only from 63Cx (0 for 63C0)
    std::optional<std::uint8_t> le;  // 61xx / 6Cxx: the length the card announces
};

DecodedSw decodeStatusWord(std::uint16_t sw);

// The error to return when `sw` ends an operation that expected success.
CardError statusError(std::uint16_t sw, std::string_view operation);

}  // namespace uketsuke::card
