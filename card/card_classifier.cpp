// Card classification (see card_classifier.h).
#include "card/card_classifier.h"

#include "card/kenmen_ap.h"

namespace uketsuke::card {

std::string_view cardClassName(CardClass c) {
    switch (c) {
        case CardClass::kNormal:
            return "normal";
        case CardClass::kPinLocked:
            return "pin-locked";
        case CardClass::kFaceAuthCard:
            return "face-auth-card";
        case CardClass::kNotAMyNumberCard:
            return "not-a-my-number-card";
        case CardClass::kSmartphoneToken:
            return "smartphone-token";
    }
    return "unknown";
}

CardClass classifyCard(const ClassifierInput& input, const FaceCardRule& rule) {
    if (!input.jpkiPresent)
        return CardClass::kNotAMyNumberCard;
    if (input.tokenLabel == kLabelAndroidToken || input.tokenLabel == kLabelIosToken) {
        return CardClass::kSmartphoneToken;
    }
    // Reference §2.1: the terminal requires the physical card's label (住基カード and unknown
    // tokens are not My Number Cards).
    if (input.tokenLabel != kLabelPhysicalCard)
        return CardClass::kNotAMyNumberCard;

    const bool pinBlocked = input.authPin && input.authPin->blocked();
    const bool pinNoCounter =
        input.authPin && input.authPin->state == RetryCounter::State::kNoCounter;
    const bool signingAbsent = input.availability && !input.availability->signingCertificate;
    const bool pinUnusable = (rule.authPinBlockedMeansFaceCard && pinBlocked) ||
                             (rule.authPinNoCounterMeansFaceCard && pinNoCounter);
    if (pinUnusable && (!rule.requireSigningCertificateAbsent || signingAbsent)) {
        return CardClass::kFaceAuthCard;
    }
    if (pinBlocked || pinNoCounter)
        return CardClass::kPinLocked;
    return CardClass::kNormal;
}

CardResult<CardInfo> readCardInfo(Iso7816& iso, const FaceCardRule& rule) {
    CardInfo info;
    JpkiAp jpki(iso);
    if (auto s = jpki.select(); !s) {
        if (s.error().code == CardErrorCode::kNotAMyNumberCard)
            return info;
        return s.failure();
    }
    auto label = jpki.readTokenLabel();
    if (!label)
        return label.failure();
    info.tokenLabel = *label;
    ClassifierInput in{true, *label, std::nullopt, std::nullopt};
    info.cardClass = classifyCard(in, rule);
    if (info.cardClass == CardClass::kSmartphoneToken ||
        info.cardClass == CardClass::kNotAMyNumberCard) {
        return info;
    }
    auto availability = jpki.readCertificateAvailability();
    if (!availability)
        return availability.failure();
    info.availability = *availability;
    auto cert = jpki.readAuthCertificate();
    if (!cert)
        return cert.failure();
    info.authCertificate = std::move(cert).takeValue();
    auto ca = jpki.readAuthCaCertificate();
    if (!ca)
        return ca.failure();
    info.authCaCertificate = std::move(ca).takeValue();
    auto pin = jpki.queryAuthPinRetries();
    if (!pin)
        return pin.failure();
    info.authPin = *pin;

    KenmenAp kenmen(iso);
    if (auto s = kenmen.select(); !s)
        return s.failure();
    auto b = kenmen.queryVerificationNumberBRetries();
    if (!b)
        return b.failure();
    info.verificationNumberB = *b;

    in.availability = info.availability;
    in.authPin = info.authPin;
    info.cardClass = classifyCard(in, rule);
    return info;
}

}  // namespace uketsuke::card
