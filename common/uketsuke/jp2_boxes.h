// The one JP2 box reader (ISO/IEC 15444-1 Annex I): the card layer's structure check of the chip
// photo (card/jp2.h) and vision's header check before decoding (vision/image_io.cpp) both walk a
// JP2 file with it. Header-only: card/ links no image library and vision/ does not link card/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "uketsuke/bytes.h"

namespace uketsuke::jp2 {

// The 12-byte signature box every JP2 file starts with (I.5.1).
inline constexpr std::array<std::uint8_t, 12> kSignatureBox{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50,
                                                            0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};

constexpr std::uint32_t boxType(const char (&t)[5]) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(t[0])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(t[3]));
}
inline constexpr std::uint32_t kFtyp = boxType("ftyp");
inline constexpr std::uint32_t kJp2h = boxType("jp2h");  // header superbox
inline constexpr std::uint32_t kIhdr = boxType("ihdr");  // image header, inside jp2h
inline constexpr std::uint32_t kJp2c = boxType("jp2c");  // contiguous codestream
inline constexpr std::uint32_t kBrandJp2 = boxType("jp2 ");

inline std::uint32_t be32(ByteView d, std::size_t pos) {
    return (static_cast<std::uint32_t>(d[pos]) << 24) |
           (static_cast<std::uint32_t>(d[pos + 1]) << 16) |
           (static_cast<std::uint32_t>(d[pos + 2]) << 8) | d[pos + 3];
}

struct Box {
    std::uint32_t type;
    ByteView content;   // what follows the box header
    std::size_t total;  // header + content: where the next box starts
};

// The box at the start of `d` (LBox, TBox, XLBox; I.4); nullopt when its length fields do not
// fit in `d`. A zero LBox runs to the end of `d`.
inline std::optional<Box> readBox(ByteView d) {
    if (d.size() < 8)
        return std::nullopt;
    std::uint64_t length = be32(d, 0);
    const std::uint32_t type = be32(d, 4);
    std::size_t header = 8;
    if (length == 1) {  // XLBox: 64-bit length follows
        if (d.size() < 16)
            return std::nullopt;
        length = (static_cast<std::uint64_t>(be32(d, 8)) << 32) | be32(d, 12);
        header = 16;
    } else if (length == 0) {
        length = d.size();
    }
    if (length < header || length > d.size())
        return std::nullopt;
    return Box{type, d.subspan(header, static_cast<std::size_t>(length) - header),
               static_cast<std::size_t>(length)};
}

// The image header box's fields (I.5.3.1: HEIGHT, WIDTH, NC, ...).
struct ImageHeader {
    std::uint32_t heightPx = 0;
    std::uint32_t widthPx = 0;
    std::uint16_t components = 0;
};

// nullopt when the ihdr content is shorter than its 14 bytes.
inline std::optional<ImageHeader> readImageHeader(ByteView ihdrContent) {
    if (ihdrContent.size() < 14)
        return std::nullopt;
    return ImageHeader{be32(ihdrContent, 0), be32(ihdrContent, 4),
                       static_cast<std::uint16_t>((ihdrContent[8] << 8) | ihdrContent[9])};
}

}  // namespace uketsuke::jp2
