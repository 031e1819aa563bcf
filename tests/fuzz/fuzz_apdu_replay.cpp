// libFuzzer target: the input is a card's answers in OpenSC's [len][answer] script format,
// replayed through every JPKI-AP / 券面AP flow. Any crash, hang or forbidden SELECT is a finding.
#include "fuzz_flows.h"

using namespace uketsuke;
using namespace uketsuke::card;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto channel = ScriptedChannel::fromScript(ByteView(data, size));
    fuzz::runCardFlows(channel);
    fuzz::checkNoForbiddenSelect(channel);
    return 0;
}
