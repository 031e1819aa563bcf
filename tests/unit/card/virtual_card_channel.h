// The sim's virtual My Number Card (sim/virtual_card.h) as a card-layer channel, in-process: what
// the card layer sends reaches sim::VirtualCard directly, no pcscd and no vpcd in between. The
// tests' one in-memory card: the card unit tests (SimCard, card_test_support.h) and the
// qualification tests that need a card's own answers use it.
#pragma once

#include <memory>
#include <utility>

#include "card/card_channel.h"
#include "sim/virtual_card.h"

namespace uketsuke::card::test {

class VirtualCardChannel : public CardChannel {
  public:
    explicit VirtualCardChannel(std::shared_ptr<const sim::CardImage> image)
        : counters_(sim::initialCounters(*image)), card_(std::move(image), counters_, log_) {}
    VirtualCardChannel(const VirtualCardChannel&) = delete;
    VirtualCardChannel& operator=(const VirtualCardChannel&) = delete;
    VirtualCardChannel(VirtualCardChannel&&) = delete;
    VirtualCardChannel& operator=(VirtualCardChannel&&) = delete;
    ~VirtualCardChannel() override = default;

    // A card pulled by its remove-after-apdus fault answers nothing: card-removed, as from PC/SC.
    CardResult<Bytes> transmit(ByteView command) override {
        sim::CardReply reply = card_.transmit(command);
        if (reply.pullCard)
            return cardFail(CardErrorCode::kCardRemoved, "virtual card pulled");
        return std::move(reply.response);
    }

    sim::VirtualCard& card() { return card_; }
    sim::CardCounters& counters() { return counters_; }
    // Every SELECT tried and the accesses to the My Number files, as the sim records them.
    const sim::AccessLog& accessLog() const { return log_; }

  private:
    sim::CardCounters counters_;
    sim::AccessLog log_;
    sim::VirtualCard card_;
};

}  // namespace uketsuke::card::test
