// The (command, status word) table (reference §9; Errata 2, 3 and 7).
#include "card/status_word.h"

#include <array>

namespace uketsuke::card {
namespace {

using Commands = std::uint8_t;  // bit i = CardCommand i

constexpr Commands bit(CardCommand c) {
    return static_cast<Commands>(1u << static_cast<unsigned>(c));
}
constexpr Commands kAll = static_cast<Commands>((1u << kCardCommandCount) - 1);
constexpr Commands kSelect = bit(CardCommand::kSelect);
constexpr Commands kRead = bit(CardCommand::kReadBinary);
constexpr Commands kVerifies = bit(CardCommand::kVerifyQuery) | bit(CardCommand::kVerify);
constexpr Commands kSign = bit(CardCommand::kComputeSignature);
constexpr Commands kChallenge = bit(CardCommand::kGetChallenge);

struct SwEntry {
    std::uint16_t first;  // inclusive range of full SWs; most entries are one SW
    std::uint16_t last;
    Commands commands;  // the commands after which a card may answer this SW
    SwClass cls;
    CardErrorCode error;
    std::string_view meaning;
};

using C = CardErrorCode;
constexpr std::array kSwTable{
    SwEntry{0x9000, 0x9000, kAll, SwClass::kSuccess, C::kUnexpectedStatus, "success"},
    SwEntry{0x6100, 0x61FF, kAll, SwClass::kMoreData, C::kUnexpectedStatus,
            "more data available (GET RESPONSE)"},
    SwEntry{0x6C00, 0x6CFF, kAll, SwClass::kReissueLe, C::kWrongLength,
            "wrong Le, reissue with Le=xx"},
    SwEntry{0x6282, 0x6282, kRead, SwClass::kEndOfFile, C::kUnexpectedStatus,
            "end of file before Le"},
    SwEntry{0x6B00, 0x6B00, kRead, SwClass::kEndOfFile, C::kUnexpectedStatus,
            "offset beyond end of file"},
    SwEntry{0x6B00, 0x6B00, kAll & ~kRead, SwClass::kError, C::kWrongP1P2,
            "wrong parameters P1-P2"},
    SwEntry{0x6300, 0x6300, kVerifies, SwClass::kNoCounter, C::kUnexpectedStatus,
            "no retry counter"},
    SwEntry{0x63C0, 0x63C0, kVerifies, SwClass::kBlocked, C::kBlocked,
            "credential blocked (0 tries)"},
    SwEntry{0x63C1, 0x63CF, kVerifies, SwClass::kTriesLeft, C::kWrongCredential, "x tries left"},
    SwEntry{0x6983, 0x6983, kVerifies, SwClass::kBlocked, C::kBlocked,
            "authentication method blocked"},
    // Errata 3: 6984 is "blocked" whatever its low nibble.
    SwEntry{0x6984, 0x6984, kVerifies, SwClass::kBlocked, C::kBlocked, "key blocked"},
    SwEntry{0x6982, 0x6982, kSelect | kRead | kSign, SwClass::kError,
            C::kSecurityStatusNotSatisfied, "security status not satisfied"},
    SwEntry{0x6985, 0x6985, kSelect | kRead | kVerifies | kSign | kChallenge, SwClass::kError,
            C::kConditionsNotSatisfied, "conditions of use not satisfied"},
    SwEntry{0x6986, 0x6986, kSelect | kRead | kVerifies | kSign, SwClass::kError, C::kNoCurrentFile,
            "no current EF/DF"},
    SwEntry{0x6A82, 0x6A82, kSelect | kRead | kVerifies, SwClass::kError, C::kFileNotFound,
            "file or application not found"},
    SwEntry{0x6A88, 0x6A88, kVerifies | kSign, SwClass::kError, C::kFileNotFound,
            "referenced key not found"},
    SwEntry{0x6A86, 0x6A86, kAll, SwClass::kError, C::kWrongP1P2, "incorrect P1/P2"},
    SwEntry{0x6A81, 0x6A81, kAll, SwClass::kError, C::kFunctionNotSupported,
            "function not supported"},
    SwEntry{0x6700, 0x6700, kAll, SwClass::kError, C::kWrongLength, "wrong length"},
    SwEntry{0x6D00, 0x6D00, kAll, SwClass::kError, C::kInsNotSupported,
            "instruction not supported"},
    SwEntry{0x6E00, 0x6E00, kAll, SwClass::kError, C::kClaNotSupported, "class not supported"},
};

// Completeness and consistency, checked by the compiler: every command has a success entry,
// and no (command, SW) pair is claimed by two entries.
constexpr bool tableIsConsistent() {
    for (std::size_t c = 0; c < kCardCommandCount; ++c) {
        bool success = false;
        for (const auto& e : kSwTable)
            success = success || (e.first == 0x9000 && (e.commands & (1u << c)));
        if (!success)
            return false;
    }
    for (std::size_t i = 0; i < kSwTable.size(); ++i) {
        if (kSwTable[i].first > kSwTable[i].last || kSwTable[i].commands == 0)
            return false;
        for (std::size_t j = i + 1; j < kSwTable.size(); ++j) {
            const bool overlap =
                kSwTable[i].first <= kSwTable[j].last && kSwTable[j].first <= kSwTable[i].last;
            if (overlap && (kSwTable[i].commands & kSwTable[j].commands))
                return false;
        }
    }
    return true;
}
static_assert(tableIsConsistent(), "kSwTable: a command without 9000, or an ambiguous entry");

constexpr std::array<std::string_view, kCardCommandCount> kCommandNames{
    "SELECT",      "READ BINARY",   "VERIFY (counter query)",
    "VERIFY",      "GET CHALLENGE", "COMPUTE SIGNATURE",
    "GET RESPONSE"};

}  // namespace

std::string_view cardCommandName(CardCommand command) {
    const auto i = static_cast<std::size_t>(command);
    return i < kCommandNames.size() ? kCommandNames[i] : "unknown command";
}

DecodedSw decodeStatusWord(CardCommand command, std::uint16_t sw) {
    for (const auto& e : kSwTable) {
        if (sw < e.first || sw > e.last || (e.commands & bit(command)) == 0)
            continue;
        DecodedSw d{sw, e.cls, e.error, e.meaning, std::nullopt, std::nullopt};
        if (e.cls == SwClass::kTriesLeft || (e.cls == SwClass::kBlocked && e.first == 0x63C0))
            d.triesLeft = sw - 0x63C0;
        if (e.cls == SwClass::kMoreData || e.cls == SwClass::kReissueLe)
            d.le = static_cast<std::uint8_t>(sw - e.first);
        return d;
    }
    return DecodedSw{sw,
                     SwClass::kError,
                     C::kUnexpectedStatus,
                     "status word not expected after this command",
                     std::nullopt,
                     std::nullopt};
}

CardError statusError(CardCommand command, std::uint16_t sw, std::string_view operation) {
    const DecodedSw d = decodeStatusWord(command, sw);
    CardError e{d.error, sw, std::string(operation), std::nullopt};
    if (d.cls == SwClass::kTriesLeft || d.cls == SwClass::kBlocked)
        e.triesLeft = d.triesLeft;
    // Success, counters, end of file and GET RESPONSE are not errors in themselves; when an
    // operation did not expect them they are unexpected.
    if (d.cls == SwClass::kSuccess || d.cls == SwClass::kMoreData || d.cls == SwClass::kNoCounter ||
        d.cls == SwClass::kEndOfFile) {
        e.code = C::kUnexpectedStatus;
    }
    if (d.cls == SwClass::kError && d.error == C::kUnexpectedStatus)
        e.context += std::string(" (") + std::string(cardCommandName(command)) +
                     " answered an "
                     "SW it never gives)";
    return e;
}

}  // namespace uketsuke::card
