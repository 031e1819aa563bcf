// Command and response APDUs (ISO/IEC 7816-4 §5.1), short form for every flow of the reference
// (card-protocol.md §3: "extended-length APDUs are not needed"), extended form only for the
// benchmarked extended-Le READ BINARY assumption.
#pragma once

#include <cstdint>
#include <optional>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

enum class ApduCase { kCase1, kCase2, kCase3, kCase4 };

struct CommandApdu {
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x00;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x00;
    Bytes data;                       // Lc = data.size(); empty = no Lc field
    std::optional<std::uint32_t> le;  // expected bytes; 256 (short) / 65536 (extended) = "all"
    bool extended = false;            // encode Lc/Le in extended form

    ApduCase apduCase() const;
    // Encodes to bytes; invalid-input when a length does not fit the chosen form.
    CardResult<Bytes> encode() const;
};

// The instructions the terminal uses, named (reference §1, §3, §4, §6, §9).
namespace ins {
inline constexpr std::uint8_t kSelect = 0xA4;
inline constexpr std::uint8_t kReadBinary = 0xB0;
inline constexpr std::uint8_t kVerify = 0x20;
inline constexpr std::uint8_t kChangeReference = 0x24;
inline constexpr std::uint8_t kGetResponse = 0xC0;
inline constexpr std::uint8_t kGetChallenge = 0x84;
inline constexpr std::uint8_t kComputeSignature = 0x2A;  // proprietary, CLA 80
}  // namespace ins

struct ResponseApdu {
    Bytes data;
    std::uint16_t sw = 0;

    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }
    // Splits "data ‖ SW1 SW2"; malformed-response when fewer than 2 bytes.
    static CardResult<ResponseApdu> parse(ByteView raw);
};

}  // namespace uketsuke::card
