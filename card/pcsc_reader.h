// PC/SC over pcsc-lite (reference §9 "Detection loop", §4 on ending verified states; Errata 2/4).
//
// PcscContext lists readers, waits for insertion or removal (SCardGetStatusChange, cancellable
// from another thread with cancel(), bounded by a timeout) and connects. PcscCard is a
// CardChannel over one exclusively connected card; it always disconnects with SCARD_RESET_CARD
// so that no verified PIN or 照合番号B outlives the patient who entered it. A card pulled out
// during an operation yields a Canceled result (kCardRemoved).
#pragma once

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "card/card_channel.h"

namespace uketsuke::card {

// Maps a PC/SC return code to a typed error; removal and cancellation become Canceled results.
Failure<CardError> pcscFailure(LONG rv, std::string_view operation);

class PcscCard;

// Whether reader `name` is the one `wanted` names: empty matches any reader; the exact name
// matches; otherwise `*` (any run) and `?` (one character) make a pattern such as
// "SONY FeliCa RC-S380*" or "ACS ACR1252*PICC*" (readers' names carry a slot and index suffix
// that changes with the USB port). Brackets are literal: reader names contain them.
bool readerMatches(const std::string& wanted, const std::string& name);

class PcscContext : public std::enable_shared_from_this<PcscContext> {
  public:
    static CardResult<std::shared_ptr<PcscContext>> establish();
    ~PcscContext();
    PcscContext(const PcscContext&) = delete;
    PcscContext& operator=(const PcscContext&) = delete;

    CardResult<std::vector<std::string>> listReaders();
    // `wanted` empty: the first reader with a card; a pattern (readerMatches): the first matching
    // reader with a card; otherwise that reader, which must have a card.
    CardResult<std::string> chooseReader(const std::string& wanted);
    // Waits until `reader` (or, when empty, any reader) holds a card; returns the reader name.
    CardResult<std::string> waitForCard(const std::string& reader, std::uint32_t timeoutMs);
    // Waits until `reader` is empty.
    CardStatus waitForRemoval(const std::string& reader, std::uint32_t timeoutMs);
    // Interrupts a wait in another thread (SCardCancel); the wait returns Canceled.
    void cancel();

    // Exclusive connection (T=1 or T=0) to the card in `reader`.
    CardResult<std::unique_ptr<PcscCard>> connect(const std::string& reader);

    SCARDCONTEXT handle() const { return context_; }

  private:
    explicit PcscContext(SCARDCONTEXT context) : context_(context) {}
    CardResult<std::string> waitForState(const std::string& reader, bool present,
                                         std::uint32_t timeoutMs);
    SCARDCONTEXT context_;
};

class PcscCard : public CardChannel {
  public:
    PcscCard(std::shared_ptr<PcscContext> context, SCARDHANDLE card, DWORD protocol,
             std::string reader, Bytes atr);
    ~PcscCard() override;  // disconnect(): SCARD_RESET_CARD
    PcscCard(const PcscCard&) = delete;
    PcscCard& operator=(const PcscCard&) = delete;

    CardResult<Bytes> transmit(ByteView command) override;
    bool extendedApdusPossible() const override { return protocol_ != SCARD_PROTOCOL_T0; }

    // Ends the connection and resets the card (Errata 2 and 4); idempotent.
    void disconnect();

    // Runs `body` inside SCardBeginTransaction/SCardEndTransaction. Even with an exclusive
    // connection this keeps a multi-APDU sequence atomic should the share mode ever change.
    template <typename F>
    auto transaction(F&& body) -> decltype(body()) {
        const LONG rv = SCardBeginTransaction(card_);
        if (rv != SCARD_S_SUCCESS)
            return pcscFailure(rv, "SCardBeginTransaction");
        auto result = body();
        SCardEndTransaction(card_, SCARD_LEAVE_CARD);
        return result;
    }

    const std::string& readerName() const { return reader_; }
    const Bytes& atr() const { return atr_; }

  private:
    // Whether the card is still in the reader, waiting up to `settleMs` for a removal that pcscd
    // has not polled yet (after a failed command: card removed vs transport error).
    static constexpr std::uint32_t kRemovalSettleMs = 600;
    bool cardPresent(std::uint32_t settleMs = 0) const;

    std::shared_ptr<PcscContext> context_;
    SCARDHANDLE card_;
    DWORD protocol_;
    std::string reader_;
    Bytes atr_;
    bool connected_ = true;
};

}  // namespace uketsuke::card
