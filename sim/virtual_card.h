// VirtualCard: the APDU-level behaviour of a My Number Card (card-protocol.md §1-§6, §9 and the
// Errata), with no I/O: a command APDU in, a response APDU (data + SW1 SW2) out.
//
// Lifetime: one VirtualCard per insertion. The retry counters (CardCounters) and the privacy
// log (AccessLog) belong to the caller and outlive it, like a real card's counters across
// removals. Security state (verified keys, selected files, challenge) lives here and is wiped by
// powerOff()/reset(). Not thread-safe; the vcard drives it from one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/uketsuke/bytes.h"
#include "sim/card_image.h"
#include "sim/fault.h"

namespace uketsuke::sim {

// Status words the card answers (card-protocol.md §9).
namespace sw {
inline constexpr std::uint16_t kOk = 0x9000, kEndOfFileBeforeLe = 0x6282,
                               kWrongCredentialBase = 0x63C0, kWrongLength = 0x6700,
                               kKeyBlocked = 0x6984, kSecurityNotSatisfied = 0x6982,
                               kConditionsNotSatisfied = 0x6985, kNoCurrentEf = 0x6986,
                               kNotFound = 0x6A82, kWrongP1P2 = 0x6A86, kReferenceNotFound = 0x6A88,
                               kOffsetPastEnd = 0x6B00, kInsNotSupported = 0x6D00,
                               kClaNotSupported = 0x6E00;
}  // namespace sw

using KeyId = std::pair<AppId, std::uint16_t>;

// Retry counters of one card, kept for the process lifetime (per persona).
struct CardCounters {
    std::map<KeyId, int> triesLeft;
};
CardCounters initialCounters(const CardImage& image);

// What the privacy tests read back through the control socket.
struct AccessLog {
    std::vector<std::string> selects;  // "JPKI", "JPKI:000A", "AID:<hex>" — every SELECT tried
    std::uint64_t forbidden = 0;       // accesses to 入力補助AP, 券面AP 0005 / 0013
    std::uint64_t apdus = 0;
};

struct CardReply {
    Bytes response;         // never empty unless pullCard
    bool pullCard = false;  // remove-after-apdus fired: drop the connection, answer nothing
};

class VirtualCard {
  public:
    VirtualCard(std::shared_ptr<const CardImage> image, CardCounters& counters, AccessLog& log);

    // Power-off and reset end the card session: every verified state and the challenge go.
    void powerOff();
    void reset();

    CardReply transmit(ByteView command);

    void setFault(const Fault& fault);
    // Other files under the same card session (selection, verified keys and challenge kept):
    // for unit tests that edit a card's content between APDUs.
    void replaceImage(std::shared_ptr<const CardImage> image);
    const Fault& fault() const { return fault_; }

    // Extended-Le READ BINARY: answered (the persona's default) or refused with 6700.
    void setExtendedLength(bool answered) { extendedLength_ = answered; }
    bool extendedLength() const { return extendedLength_; }

    const CardImage& image() const { return *image_; }
    ByteView lastChallenge() const { return challenge_; }
    bool isVerified(AppId app, std::uint16_t key) const { return verified_.count({app, key}) > 0; }

  private:
    struct Command;
    Bytes dispatch(const Command& c);
    Bytes select(const Command& c);
    Bytes readBinary(const Command& c);
    Bytes verify(const Command& c);
    Bytes getChallenge(const Command& c);
    Bytes sign(const Command& c);

    const Application* currentApp() const;
    bool mayRead(const Application& app, Access access) const;
    void noteForbidden(const Application& app, std::uint16_t fid);

    std::shared_ptr<const CardImage> base_;
    std::shared_ptr<const CardImage> image_;  // base_ with the current file fault applied
    CardCounters& counters_;
    AccessLog& log_;

    std::optional<AppId> currentApp_;
    std::optional<std::uint16_t> currentEf_;
    std::set<KeyId> verified_;
    Bytes challenge_;
    bool extendedLength_ = true;

    Fault fault_;
    std::uint64_t apdusUntilRemoval_ = 0;
    std::mt19937_64 faultRng_;
};

}  // namespace uketsuke::sim
