// Card classes (reference §2.1 token labels, §7 顔認証マイナンバーカード, §9 identification by
// SELECT) and the one-call CardInfo read that the CLI and the session start with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "card/card_channel.h"
#include "card/card_error.h"
#include "card/iso7816.h"
#include "card/jpki_ap.h"

namespace uketsuke::card {

enum class CardClass {
    kNormal,        // PIN, face or staff check
    kPinLocked,     // auth PIN blocked: face or staff check only
    kFaceAuthCard,  // 顔認証マイナンバーカード: face or staff check only, never a PIN pad
    kNotAMyNumberCard,  // JPKI-AP absent, or not a My Number Card token
    kSmartphoneToken,   // JPKIAPGPSETOKEN / JPKIAPIOSTOKEN
};

std::string_view cardClassName(CardClass c);

// ASSUMPTION [U] (reference §7 and open question 1): how a 顔認証マイナンバーカード shows on the
// chip is not public. The default rule: the signing certificate is absent (EF 0008 byte 0 != 8F;
// it is never loaded on such cards) AND the auth PIN counter answers blocked (63C0/6983/6984)
// or "no counter" (6300) — "measures that make PIN use impossible". Each part can be switched
// off once a real card has been examined. A card without a signing certificate whose PIN works
// (a holder under 15, say) stays normal.
struct FaceCardRule {
    bool requireSigningCertificateAbsent = true;
    bool authPinBlockedMeansFaceCard = true;
    bool authPinNoCounterMeansFaceCard = true;
};

struct ClassifierInput {
    bool jpkiPresent = false;
    std::string tokenLabel;
    std::optional<CertificateAvailability> availability;
    std::optional<RetryCounter> authPin;
};

CardClass classifyCard(const ClassifierInput& input, const FaceCardRule& rule = {});

// Everything the reception shows before any credential is entered; reading it consumes no try.
struct CardInfo {
    CardClass cardClass = CardClass::kNotAMyNumberCard;
    std::string tokenLabel;
    std::optional<CertificateAvailability> availability;
    Bytes authCertificate;    // EF 000A DER (empty for non-card tokens)
    Bytes authCaCertificate;  // EF 000B DER
    std::optional<RetryCounter> authPin;
    std::optional<RetryCounter> verificationNumberB;  // 券面AP EF 0012
};

// Selects JPKI-AP, reads the label, availability, auth certificate and CA certificate, queries
// the auth-PIN counter and the 券面AP 照合番号B counter. A card without JPKI-AP is reported as
// kNotAMyNumberCard (a success); smartphone tokens stop after the label (their certificate needs
// the PIN even to be read). Errors from a card that starts as a My Number card are returned.
CardResult<CardInfo> readCardInfo(Iso7816& iso, const FaceCardRule& rule = {});

}  // namespace uketsuke::card
