// ISO 7816-4 layer over a CardChannel (reference §1 SELECT, §3 READ BINARY, §4 VERIFY and retry
// counters, §9 GET CHALLENGE / 61xx / 6Cxx): chunked reads with the file length taken from the
// TLV/DER header, end-of-file statuses, 61xx GET RESPONSE and 6Cxx reissue, and a privacy guard
// that refuses to SELECT the 入力補助AP or the My Number files of 券面AP (reference §2.3).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "card/apdu.h"
#include "card/apdu_log.h"
#include "card/card_channel.h"
#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

// Files are addressed with 15-bit offsets (reference §3), so no EF exceeds 32 KiB.
inline constexpr std::size_t kMaxFileBytes = 0x8000;
inline constexpr std::size_t kShortReadBytes = 256;  // Le = 00

struct ReadOptions {
    std::size_t maxFileBytes = kMaxFileBytes;
    // [U] reference §3: whether READ BINARY accepts extended Le is unknown, so nothing relies on
    // it: the first long read of a card session tries one extended-Le READ BINARY; on 6700,
    // 6Cxx, 6D00, 6E00, a transport refusal or a short answer the session falls back to reads of
    // at most 256 bytes for the rest of that card session, and the read goes on without error.
    bool tryExtendedLengthReadBinary = true;
};

// What the card session has learnt about extended-Le READ BINARY.
enum class ExtendedReadSupport { kUntried, kAccepted, kRefused };

// The answer of a retry-counter query (00 20 00 80, no data: consumes no try).
struct RetryCounter {
    enum class State {
        kTriesLeft,        // 63Cx, x >= 1
        kBlocked,          // 63C0, 6983, 6984 (Errata 3)
        kNoCounter,        // 6300
        kAlreadyVerified,  // 9000 (Errata 2): verified earlier in this card session
    };
    State state = State::kBlocked;
    int triesLeft = 0;  // meaningful for kTriesLeft only

    bool blocked() const { return state == State::kBlocked; }
};

std::string_view retryStateName(RetryCounter::State state);

struct ReadChunk {
    Bytes data;
    bool endOfFile = false;  // 6282 / 6B00: stop reading
};

class Iso7816 {
  public:
    explicit Iso7816(CardChannel& channel, ReadOptions options = {});

    // Sends a command; follows 61xx with GET RESPONSE and reissues once on 6Cxx. Logs through
    // the redacting APDU logger and wipes the encoded command afterwards.
    CardResult<ResponseApdu> transceive(const CommandApdu& command);

    // SELECT DF by full AID, no FCI (00 A4 04 0C). forbidden-access for the 入力補助AP.
    CardStatus selectAid(ByteView aid);
    // SELECT EF under the current DF (00 A4 02 0C). forbidden-access for 券面AP 0005/0013.
    CardStatus selectEf(std::uint16_t fid);

    // One READ BINARY of the current EF at `offset` (< 8000) for up to `le` bytes (≤ 256, a
    // short APDU).
    CardResult<ReadChunk> readBinary(std::size_t offset, std::size_t le);
    // Up to `wanted` bytes at `offset` in one APDU: extended Le while the card session has not
    // seen it refused (see ReadOptions), else ≤ 256 bytes. A refusal is never an error here.
    CardResult<ReadChunk> readLongest(std::size_t offset, std::size_t wanted);
    // Exactly `length` bytes from `offset`, in as few reads as the read mode allows;
    // malformed-tlv when the file ends first (the caller's header promised more).
    CardResult<Bytes> readRange(std::size_t offset, std::size_t length, Bytes prefix = {});
    // The whole current EF: first chunk, TLV/DER header, the rest; padding trimmed.
    CardResult<Bytes> readTlvFile();

    // 00 20 00 80 (case 1) for the current key EF. Never consumes a try.
    CardResult<RetryCounter> queryRetries();
    // 00 20 00 80 Lc <secret>. The secret and the APDU buffer are wiped after the send. No
    // policy here: applications query first (jpki_ap.h, kenmen_ap.h).
    CardStatus verify(SecretBytes secret);
    // 00 84 00 00 n.
    CardResult<Bytes> getChallenge(std::uint8_t length);

    // The application the card confirmed selected (the APDU log's tracker: one for both).
    CardApplication selectedAp() const { return logger_.selected().current(); }
    const ReadOptions& options() const { return options_; }
    ExtendedReadSupport extendedReadSupport() const { return extendedRead_; }

    // After a reset by another process the card has lost its selection and verified states:
    // the guard forgets the selected application. What the card learnt about extended Le stays
    // (the same card, checked by the caller).
    void forgetSelection() { logger_.forgetSelection(); }
    // True when the last credential VERIFY was sent but no answer came back (the card was reset
    // or pulled meanwhile): whether the card counted it is unknown, so it is never re-sent.
    bool verifyOutcomeUnknown() const { return verifyInFlight_; }

  private:
    CardResult<ResponseApdu> exchange(const CommandApdu& command);
    CardResult<ResponseApdu> transceive(const CommandApdu& command, bool reissueOnWrongLe);
    CardResult<ReadChunk> readBinaryExtended(std::size_t offset, std::size_t le);
    bool mayTryExtended() const;
    void noteShortAnswer(std::size_t asked, const ReadChunk& chunk);

    CardChannel& channel_;
    ReadOptions options_;
    ApduLogger logger_;
    ExtendedReadSupport extendedRead_ = ExtendedReadSupport::kUntried;
    bool verifyInFlight_ = false;
};

}  // namespace uketsuke::card
