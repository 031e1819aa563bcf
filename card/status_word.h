// Status-word decoding through one table keyed by (command, SW) (reference §4 and §9, Errata 2,
// 3 and 7). A status word means something only together with the command it answers: 63C1
// after a VERIFY is "wrong credential, 1 try left", after a SELECT or READ BINARY it is a
// malformed answer. The table lists, for every command, the SWs a card may legitimately give;
// anything else is an unexpected-status protocol error for that command. Nothing masks bits out
// of an SW, which is how OpenSC came to read 6984 as "4 tries left".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "card/card_error.h"

namespace uketsuke::card {

// The commands the terminal sends (and so the contexts an SW is decoded in).
enum class CardCommand : std::uint8_t {
    kSelect,            // 00 A4 (DF by name, EF by id)
    kReadBinary,        // 00 B0
    kVerifyQuery,       // 00 20 00 80 without data: retry-counter query
    kVerify,            // 00 20 00 80 Lc <credential>
    kGetChallenge,      // 00 84
    kComputeSignature,  // 80 2A (JPKI signature, 券面AP internal authentication)
    kGetResponse,       // 00 C0
};
inline constexpr std::size_t kCardCommandCount = 7;

std::string_view cardCommandName(CardCommand command);

enum class SwClass {
    kSuccess,    // 9000
    kMoreData,   // 61xx: GET RESPONSE with Le = xx
    kReissueLe,  // 6Cxx: send again with Le = xx
    kEndOfFile,  // 6282, 6B00 after READ BINARY: stop reading, not an error
    kTriesLeft,  // 63C1..63CF after VERIFY: wrong credential or counter query, x tries left
    kNoCounter,  // 6300 after VERIFY: the key has no retry counter
    kBlocked,    // 63C0, 6983, 6984 after VERIFY: blocked
    kError,      // everything else: see `error`
};

struct DecodedSw {
    std::uint16_t sw = 0;
    SwClass cls = SwClass::kError;
    CardErrorCode error = CardErrorCode::kUnexpectedStatus;  // meaningful when cls is kError
    std::string_view meaning;
    std::optional<int> triesLeft;    // only from 63Cx after a VERIFY (0 for 63C0)
    std::optional<std::uint8_t> le;  // 61xx / 6Cxx: the length the card announces
};

DecodedSw decodeStatusWord(CardCommand command, std::uint16_t sw);

// The error to return when `sw` ends `command` (described by `operation`) that expected success.
CardError statusError(CardCommand command, std::uint16_t sw, std::string_view operation);

}  // namespace uketsuke::card
