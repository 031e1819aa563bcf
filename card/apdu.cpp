// APDU encoding (ISO/IEC 7816-4 §5.1, cases 1-4, short and extended lengths).
#include "card/apdu.h"

namespace uketsuke::card {

ApduCase CommandApdu::apduCase() const {
    if (data.empty())
        return le ? ApduCase::kCase2 : ApduCase::kCase1;
    return le ? ApduCase::kCase4 : ApduCase::kCase3;
}

CardResult<Bytes> CommandApdu::encode() const {
    const std::size_t maxLc = extended ? 65535 : 255;
    const std::uint32_t maxLe = extended ? 65536 : 256;
    if (data.size() > maxLc)
        return cardFail(CardErrorCode::kInvalidInput, "APDU data too long");
    if (le && (*le == 0 || *le > maxLe)) {
        return cardFail(CardErrorCode::kInvalidInput, "APDU Le out of range");
    }
    Bytes out{cla, ins, p1, p2};
    out.reserve(4 + 3 + data.size() + 3);
    if (!data.empty()) {
        if (extended) {
            out.push_back(0x00);
            out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
        }
        out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
        out.insert(out.end(), data.begin(), data.end());
    }
    if (le) {
        // The maximum is encoded as zero(s): 00 (short), 00 00 (extended).
        const std::uint32_t encoded = (*le == maxLe) ? 0 : *le;
        if (extended) {
            if (data.empty())
                out.push_back(0x00);  // case 2E starts with a zero byte
            out.push_back(static_cast<std::uint8_t>(encoded >> 8));
        }
        out.push_back(static_cast<std::uint8_t>(encoded & 0xFF));
    }
    return out;
}

CardResult<ResponseApdu> ResponseApdu::parse(ByteView raw) {
    if (raw.size() < 2) {
        return cardFail(CardErrorCode::kMalformedResponse,
                        "answer of " + std::to_string(raw.size()) + " bytes has no status word");
    }
    ResponseApdu r;
    r.data.assign(raw.begin(), raw.end() - 2);
    r.sw = static_cast<std::uint16_t>((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
    return r;
}

}  // namespace uketsuke::card
