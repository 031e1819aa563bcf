// A channel that replays scripted card answers, in OpenSC's fuzzer_reader format: a sequence of
// [2-byte big-endian length][answer bytes = data ‖ SW]. Used by unit tests and fuzzers so that
// any answer sequence (garbage, truncations, random status words) runs through the real
// application code. Every command is recorded, and every SELECT is decoded, so tests can prove
// which files a flow touched.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "card/card_channel.h"

namespace uketsuke::card {

struct RecordedSelect {
    bool byName = false;  // P1 04 (AID) vs P1 02 (FID)
    Bytes target;         // the AID or the 2-byte FID
};

class ScriptedChannel : public CardChannel {
  public:
    ScriptedChannel() = default;
    // Parses an OpenSC-style script; a trailing incomplete record is dropped (fuzz input).
    static ScriptedChannel fromScript(ByteView script);

    // Appends one answer (data ‖ SW).
    void push(Bytes answer) { answers_.push_back(std::move(answer)); }
    void push(ByteView data, std::uint16_t sw);

    // Returns the next scripted answer; when the script is exhausted, a transport error (a card
    // that stops answering), so that no flow can loop forever on a finite script.
    CardResult<Bytes> transmit(ByteView command) override;

    const std::vector<Bytes>& commands() const { return commands_; }
    const std::vector<RecordedSelect>& selects() const { return selects_; }
    std::size_t remaining() const { return answers_.size(); }

  private:
    std::deque<Bytes> answers_;
    std::vector<Bytes> commands_;
    std::vector<RecordedSelect> selects_;
};

}  // namespace uketsuke::card
