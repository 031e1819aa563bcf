// BER-TLV parsing for the card's files (reference §2.3/§2.4/§3/§5.3): private-class tags such as
// FF20/DF27, application tags 7F21/5F4E/5F37 of the CV certificate, context tags 90/91 of DF24,
// DER certificates (30 82 HH LL). Every read is bounds-checked; any input gives a value or a
// typed error (the parser is fuzzed by tests/fuzz/fuzz_tlv.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

// Limits that keep the parser honest on hostile input: tags of at most 3 bytes, lengths of at
// most 3 bytes (83 xx xx xx); the card's files are < 32 KB (15-bit offsets), so anything longer
// is rejected by the callers' size caps.
inline constexpr std::size_t kMaxTlvTagBytes = 3;
inline constexpr std::size_t kMaxTlvLengthBytes = 3;

struct TlvHeader {
    std::uint32_t tag = 0;         // tag bytes big-endian: 0xFF20, 0xDF27, 0x7F21, 0x30
    std::size_t headerLength = 0;  // tag + length fields
    std::size_t valueLength = 0;
    bool constructed = false;
    std::size_t totalLength() const { return headerLength + valueLength; }
};

enum class TlvHeaderStatus { kOk, kNeedMoreBytes, kInvalid };

// Header-only: decodes the tag and length at the start of `data` without requiring the value to
// be present, so a file's total length can be learnt from its first bytes (reference §3).
inline TlvHeaderStatus peekTlvHeader(ByteView data, TlvHeader& out) {
    std::size_t pos = 0;
    if (data.empty())
        return TlvHeaderStatus::kNeedMoreBytes;
    const std::uint8_t first = data[pos++];
    // 00 and FF as a whole tag are padding, never a tag in these files (FF is only the first
    // byte of a two-byte FFnn tag).
    if (first == 0x00)
        return TlvHeaderStatus::kInvalid;
    std::uint32_t tag = first;
    if ((first & 0x1F) == 0x1F) {
        for (;;) {
            if (pos >= data.size())
                return TlvHeaderStatus::kNeedMoreBytes;
            if (pos >= kMaxTlvTagBytes)
                return TlvHeaderStatus::kInvalid;
            const std::uint8_t b = data[pos++];
            tag = (tag << 8) | b;
            if ((b & 0x80) == 0)
                break;
        }
    }
    if (pos >= data.size())
        return TlvHeaderStatus::kNeedMoreBytes;
    const std::uint8_t len0 = data[pos++];
    std::size_t length = 0;
    if (len0 < 0x80) {
        length = len0;
    } else {
        const std::size_t count = len0 & 0x7F;
        // 80 (indefinite) is not DER/BER-in-files; more than 3 length bytes is beyond any file.
        if (count == 0 || count > kMaxTlvLengthBytes)
            return TlvHeaderStatus::kInvalid;
        for (std::size_t i = 0; i < count; ++i) {
            if (pos >= data.size())
                return TlvHeaderStatus::kNeedMoreBytes;
            length = (length << 8) | data[pos++];
        }
    }
    out.tag = tag;
    out.headerLength = pos;
    out.valueLength = length;
    out.constructed = (first & 0x20) != 0;
    return TlvHeaderStatus::kOk;
}

struct Tlv {
    std::uint32_t tag = 0;
    bool constructed = false;
    ByteView value;    // the value bytes (a view into the parsed buffer)
    ByteView encoded;  // the whole TLV: tag + length + value (what DF28 hashes, Errata 1)
};

// Parses the TLV at the start of `data`; the value must be complete. Trailing bytes are allowed
// (callers see tlv.encoded.size()).
CardResult<Tlv> parseTlv(ByteView data);

// Parses a concatenation of TLVs that fills `data` exactly (a constructed value).
CardResult<std::vector<Tlv>> parseTlvSequence(ByteView data);

// First child with `tag`, or nullopt.
std::optional<Tlv> findTlv(const std::vector<Tlv>& items, std::uint32_t tag);

}  // namespace uketsuke::card
