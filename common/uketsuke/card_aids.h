// The My Number Card's applications by AID (card-protocol.md §1, full AIDs): the one AID table of
// the tree. The card layer names its applications from it (card/card_applications.h) and the
// virtual card answers SELECT from it (sim/card_image.h).
#pragma once

#include <array>
#include <cstdint>

namespace uketsuke {

using Aid = std::array<std::uint8_t, 10>;

inline constexpr Aid kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
inline constexpr Aid kKenmenAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
// 券面事項入力補助AP: holds the My Number as text; the card layer never selects it.
inline constexpr Aid kTextAssistAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};

}  // namespace uketsuke
