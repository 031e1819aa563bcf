// The card's applications (reference §1) named by the one AID table (uketsuke/card_aids.h), and the
// one "selected application" tracker that both the privacy guard (Iso7816) and the APDU log's
// redaction (ApduLogger) read, so they can never disagree about where the card is.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "uketsuke/bytes.h"
#include "uketsuke/card_aids.h"

namespace uketsuke::card {

enum class CardApplication {
    kNone,        // nothing selected yet in this card session (or forgotten after a reset)
    kJpki,        // 公的個人認証AP: public certificates, the auth key and PIN
    kKenmen,      // 券面事項確認AP: card-face data and photo
    kTextAssist,  // 券面事項入力補助AP: holds the My Number as text, never selected by us
    kOther,       // another AID, or a selection the card has not (yet) confirmed
};

using uketsuke::Aid;  // the AIDs: uketsuke/card_aids.h
using uketsuke::kJpkiAid;
using uketsuke::kKenmenAid;
using uketsuke::kTextAssistAid;

struct KnownApplication {
    Aid aid;
    CardApplication application;
    std::string_view name;
};

inline constexpr std::array kKnownApplications{
    KnownApplication{kJpkiAid, CardApplication::kJpki, "JPKI-AP"},
    KnownApplication{kKenmenAid, CardApplication::kKenmen, "券面AP"},
    KnownApplication{kTextAssistAid, CardApplication::kTextAssist, "入力補助AP"},
};

// The application of an AID; kOther for any AID not in the table.
CardApplication applicationOfAid(ByteView aid);

// Follows the selected application through the APDUs exchanged with the card: a SELECT by name
// (P1 04) makes the selection unknown (kOther: a failed SELECT leaves the current DF
// unspecified) until the card answers 9000, which makes it the named application.
class SelectedApplication {
  public:
    void observeCommand(ByteView command);
    void observeResponse(ByteView response);
    // After a reset by another process: the card has lost its selection.
    void forget() {
        current_ = CardApplication::kNone;
        pending_.reset();
    }
    CardApplication current() const { return current_; }

  private:
    CardApplication current_ = CardApplication::kNone;
    std::optional<CardApplication> pending_;
};

}  // namespace uketsuke::card
