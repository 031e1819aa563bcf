// JP2 structure check (see jp2.h), on the one JP2 box reader (common/uketsuke/jp2_boxes.h).
#include "card/jp2.h"

#include <algorithm>

#include "uketsuke/jp2_boxes.h"

namespace uketsuke::card {
namespace {

Failure<CardError> bad(const char* what) {
    return cardFail(CardErrorCode::kMalformedPhoto, what);
}

}  // namespace

CardResult<Jp2Info> checkJp2(ByteView file) {
    if (file.size() < jp2::kSignatureBox.size() ||
        !std::equal(jp2::kSignatureBox.begin(), jp2::kSignatureBox.end(), file.begin())) {
        return bad("no JP2 signature box");
    }
    Jp2Info info;
    bool seenFtyp = false;
    bool seenHeader = false;
    bool seenCodestream = false;
    std::size_t pos = jp2::kSignatureBox.size();
    while (pos < file.size()) {
        const auto box = jp2::readBox(file.subspan(pos));
        if (!box)
            return bad("JP2 box length out of bounds");
        if (!seenFtyp) {
            if (box->type != jp2::kFtyp || box->content.size() < 8)
                return bad("ftyp box missing");
            bool compatible = jp2::be32(box->content, 0) == jp2::kBrandJp2;
            for (std::size_t i = 8; i + 4 <= box->content.size(); i += 4) {
                compatible = compatible || jp2::be32(box->content, i) == jp2::kBrandJp2;
            }
            if (!compatible)
                return bad("not a jp2-compatible file");
            seenFtyp = true;
        } else if (box->type == jp2::kJp2h) {
            const auto ihdr = jp2::readBox(box->content);
            const auto header = ihdr && ihdr->type == jp2::kIhdr
                                    ? jp2::readImageHeader(ihdr->content)
                                    : std::nullopt;
            if (!header)
                return bad("jp2h does not start with ihdr");
            info.heightPx = header->heightPx;
            info.widthPx = header->widthPx;
            info.components = header->components;
            if (info.widthPx == 0 || info.heightPx == 0 || info.components == 0) {
                return bad("ihdr with zero size");
            }
            seenHeader = true;
        } else if (box->type == jp2::kJp2c) {
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
