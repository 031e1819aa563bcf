// JP2 box walk (see jp2.h).
#include "card/jp2.h"

#include <array>
#include <optional>

namespace uketsuke::card {
namespace {

constexpr std::array<std::uint8_t, 12> kSignatureBox{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50,
                                                     0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
constexpr std::uint32_t boxType(const char (&t)[5]) {
    return (static_cast<std::uint32_t>(t[0]) << 24) | (static_cast<std::uint32_t>(t[1]) << 16) |
           (static_cast<std::uint32_t>(t[2]) << 8) | static_cast<std::uint32_t>(t[3]);
}
constexpr std::uint32_t kFtyp = boxType("ftyp");
constexpr std::uint32_t kJp2h = boxType("jp2h");
constexpr std::uint32_t kIhdr = boxType("ihdr");
constexpr std::uint32_t kJp2c = boxType("jp2c");
constexpr std::uint32_t kBrandJp2 = boxType("jp2 ");

std::uint32_t be32(ByteView d, std::size_t pos) {
    return (static_cast<std::uint32_t>(d[pos]) << 24) |
           (static_cast<std::uint32_t>(d[pos + 1]) << 16) |
           (static_cast<std::uint32_t>(d[pos + 2]) << 8) | d[pos + 3];
}

struct Box {
    std::uint32_t type;
    ByteView content;
    std::size_t total;
};

// One box at the start of `d`; nullopt when its length fields do not fit.
std::optional<Box> readBox(ByteView d) {
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
    } else if (length == 0) {  // box runs to the end of the file
        length = d.size();
    }
    if (length < header || length > d.size())
        return std::nullopt;
    return Box{type, d.subspan(header, static_cast<std::size_t>(length) - header),
               static_cast<std::size_t>(length)};
}

Failure<CardError> bad(const char* what) {
    return cardFail(CardErrorCode::kMalformedPhoto, what);
}

}  // namespace

CardResult<Jp2Info> checkJp2(ByteView file) {
    if (file.size() < kSignatureBox.size() ||
        !std::equal(kSignatureBox.begin(), kSignatureBox.end(), file.begin())) {
        return bad("no JP2 signature box");
    }
    Jp2Info info;
    bool seenFtyp = false;
    bool seenHeader = false;
    bool seenCodestream = false;
    std::size_t pos = kSignatureBox.size();
    while (pos < file.size()) {
        const auto box = readBox(file.subspan(pos));
        if (!box)
            return bad("JP2 box length out of bounds");
        if (!seenFtyp) {
            if (box->type != kFtyp || box->content.size() < 8)
                return bad("ftyp box missing");
            bool compatible = be32(box->content, 0) == kBrandJp2;
            for (std::size_t i = 8; i + 4 <= box->content.size(); i += 4) {
                compatible = compatible || be32(box->content, i) == kBrandJp2;
            }
            if (!compatible)
                return bad("not a jp2-compatible file");
            seenFtyp = true;
        } else if (box->type == kJp2h) {
            const auto ihdr = readBox(box->content);
            if (!ihdr || ihdr->type != kIhdr || ihdr->content.size() < 14) {
                return bad("jp2h does not start with ihdr");
            }
            info.heightPx = be32(ihdr->content, 0);
            info.widthPx = be32(ihdr->content, 4);
            info.components =
                static_cast<std::uint16_t>((ihdr->content[8] << 8) | ihdr->content[9]);
            if (info.widthPx == 0 || info.heightPx == 0 || info.components == 0) {
                return bad("ihdr with zero size");
            }
            seenHeader = true;
        } else if (box->type == kJp2c) {
            if (!seenHeader)
                return bad("codestream before jp2h");
            const ByteView cs = box->content;
            if (cs.size() < 4 || cs[0] != 0xFF || cs[1] != 0x4F || cs[2] != 0xFF || cs[3] != 0x51) {
                return bad("codestream does not start with SOC SIZ");
            }
            info.codestreamBytes = cs.size();
            seenCodestream = true;
        }
        pos += box->total;
    }
    if (!seenFtyp || !seenHeader || !seenCodestream)
        return bad("JP2 lacks jp2h or jp2c");
    return info;
}

}  // namespace uketsuke::card
