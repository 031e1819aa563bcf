// Minimal JPEG 2000 (JP2 container, ISO/IEC 15444-1 Annex I) structure check for the chip photo
// DF27 (reference §5.3). No decoding here (card/ links no image library): the check only makes
// sure the bytes are a well-formed JP2 file before they leave the card layer.
#pragma once

#include <cstdint>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

struct Jp2Info {
    std::uint32_t widthPx = 0;  // from the image header box (ihdr)
    std::uint32_t heightPx = 0;
    std::uint16_t components = 0;  // 1 = greyscale
    std::size_t codestreamBytes = 0;
};

// malformed-photo on anything but: the 12-byte signature box, an ftyp box with brand "jp2 ",
// a jp2h box holding ihdr, and a contiguous codestream box jp2c starting with SOC SIZ (FF4F FF51).
CardResult<Jp2Info> checkJp2(ByteView file);

}  // namespace uketsuke::card
