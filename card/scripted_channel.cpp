// Scripted answer replay (see scripted_channel.h).
#include "card/scripted_channel.h"

#include "card/apdu.h"

namespace uketsuke::card {

ScriptedChannel ScriptedChannel::fromScript(ByteView script) {
    ScriptedChannel ch;
    std::size_t pos = 0;
    while (script.size() - pos >= 2) {
        const std::size_t len = static_cast<std::size_t>(script[pos] << 8) | script[pos + 1];
        pos += 2;
        if (len > script.size() - pos)
            break;
        const ByteView answer = script.subspan(pos, len);
        ch.answers_.emplace_back(answer.begin(), answer.end());
        pos += len;
    }
    return ch;
}

void ScriptedChannel::push(ByteView data, std::uint16_t sw) {
    Bytes b(data.begin(), data.end());
    b.push_back(static_cast<std::uint8_t>(sw >> 8));
    b.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    answers_.push_back(std::move(b));
}

CardResult<Bytes> ScriptedChannel::transmit(ByteView command) {
    commands_.emplace_back(command.begin(), command.end());
    if (command.size() >= 5 && command[1] == ins::kSelect) {
        const std::size_t lc = command[4];
        const ByteView target = command.subspan(5, std::min(lc, command.size() - 5));
        selects_.push_back(RecordedSelect{command[2] == 0x04, Bytes(target.begin(), target.end())});
    }
    if (answers_.empty())
        return cardFail(CardErrorCode::kTransport, "script exhausted");
    Bytes answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
}

}  // namespace uketsuke::card
