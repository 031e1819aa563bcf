// APDU logging with redaction (style.md §5; reference §2.3 on what must never be handled).
//
// Redaction happens by command in every build: VERIFY and CHANGE REFERENCE data (PINs,
// 照合番号B), signature inputs (80 2A), and READ BINARY answers while 券面AP or 入力補助AP is the
// current application (card-face data, photo). In Release builds (NDEBUG) every data field is
// stripped and only headers, lengths and status words are logged.
#pragma once

#include <cstdint>
#include <string>

#include "card/card_applications.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

enum class ApduLogDetail {
    kStripped,  // header, lengths and SW only
    kRedacted,  // data shown except what the redaction rules hide
};

#ifdef NDEBUG
inline constexpr ApduLogDetail kBuildApduLogDetail = ApduLogDetail::kStripped;
#else
inline constexpr ApduLogDetail kBuildApduLogDetail = ApduLogDetail::kRedacted;
#endif

class ApduLogger {
  public:
    explicit ApduLogger(ApduLogDetail detail = kBuildApduLogDetail) : detail_(detail) {}

    // Formats a command (and feeds it to the selected-application tracker). Never contains
    // secret bytes.
    std::string formatCommand(ByteView command);
    // Formats the answer to the last formatted command (and feeds it to the tracker).
    std::string formatResponse(ByteView response);

    // Logs both at spdlog debug level ("card.apdu" prefix).
    void log(ByteView command, ByteView response);

    // The one selected-application tracker of a card session: it sees every APDU exchanged, and
    // the privacy guard (Iso7816) reads it too. READ BINARY answers are shown only while JPKI-AP
    // (public certificates) is the confirmed selection; under 券面AP, 入力補助AP or a selection
    // the card has not confirmed they are redacted.
    const SelectedApplication& selected() const { return selected_; }
    void forgetSelection() { selected_.forget(); }

  private:
    ApduLogDetail detail_;
    SelectedApplication selected_;
    bool redactResponse_ = false;
};

}  // namespace uketsuke::card
