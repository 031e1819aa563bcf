// libFuzzer target: BER-TLV parsing, the 券面AP card-face parser and the JP2 box walk.
#include <cstdlib>

#include "card/jp2.h"
#include "card/kenmen_ap.h"
#include "card/tlv.h"

using namespace uketsuke;
using namespace uketsuke::card;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    TlvHeader h;
    if (peekTlvHeader(in, h) == TlvHeaderStatus::kOk && h.headerLength > size)
        std::abort();
    if (auto t = parseTlv(in)) {
        // Invariants: views stay inside the input.
        if (t->encoded.size() > size || t->value.size() > t->encoded.size())
            std::abort();
        if (t->encoded.data() != data)
            std::abort();
        (void)parseTlvSequence(t->value);
    }
    if (auto seq = parseTlvSequence(in)) {
        std::size_t total = 0;
        for (const auto& t : *seq)
            total += t.encoded.size();
        if (total != size)
            std::abort();
    }
    (void)parseCardFace(in);
    (void)checkJp2(in);
    return 0;
}
