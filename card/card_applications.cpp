// The card layer's AID table and selected-application tracker (see card_applications.h).
#include "card/card_applications.h"

#include <algorithm>

#include "card/apdu.h"

namespace uketsuke::card {

CardApplication applicationOfAid(ByteView aid) {
    for (const auto& known : kKnownApplications) {
        if (std::equal(aid.begin(), aid.end(), known.aid.begin(), known.aid.end()))
            return known.application;
    }
    return CardApplication::kOther;
}

void SelectedApplication::observeCommand(ByteView command) {
    pending_.reset();
    if (command.size() < 4 || command[1] != ins::kSelect || command[2] != 0x04)
        return;
    // Until the card confirms, nobody may assume the old selection still holds.
    current_ = CardApplication::kOther;
    if (command.size() < 5)
        return;
    const std::size_t lc = command[4];
    pending_ = applicationOfAid(command.subspan(5, std::min(lc, command.size() - 5)));
}

void SelectedApplication::observeResponse(ByteView response) {
    if (!pending_)
        return;
    const bool ok = response.size() >= 2 && response[response.size() - 2] == 0x90 &&
                    response[response.size() - 1] == 0x00;
    if (ok)
        current_ = *pending_;
    pending_.reset();
}

}  // namespace uketsuke::card
