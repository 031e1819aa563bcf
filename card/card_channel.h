// The one seam between card applications and a transport: PC/SC (pcsc_reader.h), a scripted
// replay for tests and fuzzers (scripted_channel.h), or a decorator that counts traffic.
#pragma once

#include <cstddef>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

class CardChannel {
  public:
    virtual ~CardChannel() = default;
    // Sends one command APDU; returns the raw answer (data ‖ SW1 SW2). The card being pulled out
    // is a Canceled result with kCardRemoved. Not thread-safe: one card, one caller at a time.
    virtual CardResult<Bytes> transmit(ByteView command) = 0;
    // False where the transport cannot carry an extended-length APDU at all (T=0 without
    // ENVELOPE): the card layer then never tries one.
    virtual bool extendedApdusPossible() const { return true; }
};

// Counts APDUs and bytes through another channel (benchmarks, tests).
class CountingChannel : public CardChannel {
  public:
    explicit CountingChannel(CardChannel& inner) : inner_(inner) {}
    CardResult<Bytes> transmit(ByteView command) override {
        ++apduCount_;
        bytesSent_ += command.size();
        auto r = inner_.transmit(command);
        if (r)
            bytesReceived_ += r->size();
        return r;
    }
    bool extendedApdusPossible() const override { return inner_.extendedApdusPossible(); }
    std::size_t apduCount() const { return apduCount_; }
    std::size_t bytesSent() const { return bytesSent_; }
    std::size_t bytesReceived() const { return bytesReceived_; }
    void resetCounts() { apduCount_ = bytesSent_ = bytesReceived_ = 0; }

  private:
    CardChannel& inner_;
    std::size_t apduCount_ = 0;
    std::size_t bytesSent_ = 0;
    std::size_t bytesReceived_ = 0;
};

}  // namespace uketsuke::card
