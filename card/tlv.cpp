// BER-TLV parser (see tlv.h).
#include "card/tlv.h"

#include <cstdio>

namespace uketsuke::card {

CardResult<Tlv> parseTlv(ByteView data) {
    TlvHeader h;
    switch (peekTlvHeader(data, h)) {
        case TlvHeaderStatus::kNeedMoreBytes:
            return cardFail(CardErrorCode::kMalformedTlv, "TLV header truncated");
        case TlvHeaderStatus::kInvalid:
            return cardFail(CardErrorCode::kMalformedTlv, "invalid TLV header");
        case TlvHeaderStatus::kOk:
            break;
    }
    // Compare without adding first: valueLength comes from the data and could be large.
    if (h.valueLength > data.size() - h.headerLength) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "TLV %X claims %zu bytes, %zu present", h.tag, h.valueLength,
                      data.size() - h.headerLength);
        return cardFail(CardErrorCode::kMalformedTlv, buf);
    }
    Tlv t;
    t.tag = h.tag;
    t.constructed = h.constructed;
    t.value = data.subspan(h.headerLength, h.valueLength);
    t.encoded = data.subspan(0, h.totalLength());
    return t;
}

CardResult<std::vector<Tlv>> parseTlvSequence(ByteView data) {
    std::vector<Tlv> out;
    std::size_t pos = 0;
    while (pos < data.size()) {
        auto t = parseTlv(data.subspan(pos));
        if (!t)
            return t.failure();
        pos += t->encoded.size();
        out.push_back(*t);
    }
    return out;
}

std::optional<Tlv> findTlv(const std::vector<Tlv>& items, std::uint32_t tag) {
    for (const auto& t : items) {
        if (t.tag == tag)
            return t;
    }
    return std::nullopt;
}

}  // namespace uketsuke::card
