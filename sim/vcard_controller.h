// VcardController: the virtual card's process state without any I/O — loaded personas, one
// CardImage and one set of retry counters per persona (kept for the process lifetime, like a
// real card's counters across removals), the card in the reader, and the control protocol of
// sim/README.md ("Control socket"). The vpcd/socket layer (vcard_main.cpp) only moves bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/uketsuke/result.h"
#include "sim/card_image.h"
#include "sim/persona.h"
#include "sim/virtual_card.h"

namespace uketsuke::sim {

class VcardController {
  public:
    VcardController(std::map<std::string, Persona> personas, std::filesystem::path pkiDir);

    // One control request line (without the newline) -> one answer line "ok ..." / "error ...".
    std::string handle(std::string_view request);

    // Builds every persona's card image now, so a broken PKI or media file shows at start-up.
    // Returns the failures (one per persona that could not be built).
    std::vector<SimFailure> preload();

    Status<SimFailure> insert(const std::string& personaId);
    void remove();
    Status<SimFailure> resetState(const std::string& personaId);

    bool inserted() const { return card_ != nullptr; }
    // Changes on every insertion: the transport reconnects so pcscd sees a removal + insertion.
    std::uint64_t insertion() const { return insertion_; }
    VirtualCard* card() { return card_.get(); }
    const std::string& persona() const { return persona_; }
    int apduDelayMs() const { return apduDelayMs_; }
    void setApduDelayMs(int ms) { apduDelayMs_ = ms; }
    // Extended-Le READ BINARY on every card from now on: answered (true), refused with 6700
    // (false), or as each persona says (nullopt, the default). Control request `extended-length`.
    void setExtendedLengthOverride(std::optional<bool> answered);
    // The inserted card's answer to reset (empty without a card).
    Bytes atr() const;
    const AccessLog& accessLog() const { return log_; }

    // vpcd events. A transmit whose reply says pullCard has already removed the card here.
    void powerOff();
    void reset();
    CardReply transmit(ByteView command);

  private:
    Result<std::shared_ptr<const CardImage>, SimFailure> image(const std::string& personaId);
    int tries(AppId app, std::uint16_t key) const;
    std::string status() const;

    std::map<std::string, Persona> personas_;
    std::filesystem::path pkiDir_;
    std::map<std::string, std::shared_ptr<const CardImage>> images_;
    std::map<std::string, CardCounters> counters_;
    AccessLog log_;
    std::unique_ptr<VirtualCard> card_;
    std::string persona_;
    std::uint64_t insertion_ = 0;
    int apduDelayMs_ = 0;
    std::optional<bool> extendedLengthOverride_;
};

}  // namespace uketsuke::sim
