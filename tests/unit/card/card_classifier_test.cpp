// Card classes from JPKI presence, token label, certificate availability and the PIN counter.
#include "card/card_classifier.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

using State = RetryCounter::State;

ClassifierInput card(std::uint8_t signByte, std::optional<RetryCounter> pin,
                     std::string label = "JPKIAPICCTOKEN2") {
    return ClassifierInput{true, std::move(label),
                           CertificateAvailability{signByte == 0x8F, true, {signByte, 0x8F, 0}},
                           pin};
}

// A card with both certificates and a live PIN counter is normal.
TEST(CardClassifier, Normal) {
    EXPECT_EQ(classifyCard(card(0x8F, RetryCounter{State::kTriesLeft, 3})), CardClass::kNormal);
}

// A blocked PIN on a card with a signing certificate is PIN-locked.
TEST(CardClassifier, PinLocked) {
    EXPECT_EQ(classifyCard(card(0x8F, RetryCounter{State::kBlocked, 0})), CardClass::kPinLocked);
}

// No signing certificate and a blocked or counter-less PIN: 顔認証マイナンバーカード.
TEST(CardClassifier, FaceAuthCardDefaultRule) {
    EXPECT_EQ(classifyCard(card(0x00, RetryCounter{State::kBlocked, 0})), CardClass::kFaceAuthCard);
    EXPECT_EQ(classifyCard(card(0x00, RetryCounter{State::kNoCounter, 0})),
              CardClass::kFaceAuthCard);
}

// A holder without a signing certificate (under 15) and a working PIN stays normal.
TEST(CardClassifier, NoSigningCertificateWithWorkingPinIsNormal) {
    EXPECT_EQ(classifyCard(card(0x00, RetryCounter{State::kTriesLeft, 2})), CardClass::kNormal);
}

// The rule is configurable: without the signing-certificate condition any unusable PIN counts.
TEST(CardClassifier, RuleIsConfigurable) {
    FaceCardRule loose;
    loose.requireSigningCertificateAbsent = false;
    EXPECT_EQ(classifyCard(card(0x8F, RetryCounter{State::kBlocked, 0}), loose),
              CardClass::kFaceAuthCard);
    FaceCardRule strict;
    strict.authPinNoCounterMeansFaceCard = false;
    EXPECT_EQ(classifyCard(card(0x00, RetryCounter{State::kNoCounter, 0}), strict),
              CardClass::kPinLocked);
}

// Smartphone labels, the 住基カード label and missing JPKI are not My Number Cards.
TEST(CardClassifier, TokensAndOtherCards) {
    EXPECT_EQ(classifyCard(card(0x8F, std::nullopt, "JPKIAPGPSETOKEN")),
              CardClass::kSmartphoneToken);
    EXPECT_EQ(classifyCard(card(0x8F, std::nullopt, "JPKIAPIOSTOKEN")),
              CardClass::kSmartphoneToken);
    EXPECT_EQ(classifyCard(card(0x8F, std::nullopt, "JPKIAPICCTOKEN")),
              CardClass::kNotAMyNumberCard);
    EXPECT_EQ(classifyCard(ClassifierInput{}), CardClass::kNotAMyNumberCard);
}

// readCardInfo on a normal card reads everything in few APDUs and consumes no try.
TEST(CardClassifier, ReadCardInfoConsumesNoTry) {
    test::SimCard fake;
    fake.authCert = Bytes{0x30, 0x03, 0x02, 0x01, 0x05};
    fake.authCaCert = Bytes{0x30, 0x03, 0x02, 0x01, 0x06};
    fake.authPinTries = 2;
    fake.bTries = 7;
    Iso7816 iso(fake);
    auto info = readCardInfo(iso);
    ASSERT_TRUE(info.ok()) << info.error().toString();
    EXPECT_EQ(info->cardClass, CardClass::kNormal);
    EXPECT_EQ(info->tokenLabel, "JPKIAPICCTOKEN2");
    EXPECT_EQ(info->authCertificate, fake.authCert);
    EXPECT_EQ(info->authPin->triesLeft, 2);
    EXPECT_EQ(info->verificationNumberB->triesLeft, 7);
    EXPECT_EQ(fake.authPinTries, 2);
    EXPECT_EQ(fake.bTries, 7);
    EXPECT_LE(fake.apdus, 14);
}

// A card without JPKI-AP is classified, not an error; smartphone tokens stop after the label.
TEST(CardClassifier, ReadCardInfoOtherCards) {
    test::SimCard none;
    none.hasJpki = false;
    Iso7816 iso1(none);
    auto a = readCardInfo(iso1);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->cardClass, CardClass::kNotAMyNumberCard);

    test::SimCard phone;
    phone.label = "JPKIAPGPSETOKEN";
    Iso7816 iso2(phone);
    auto b = readCardInfo(iso2);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->cardClass, CardClass::kSmartphoneToken);
    EXPECT_TRUE(b->authCertificate.empty());
}

// A 顔認証マイナンバーカード answers the auth-PIN query with 63C0 (what keeps middleware
// working, the sim's default) or 6984 (Errata 7 [U]): both, with no signing certificate, are the
// face card, and neither answer is read as a tries count.
TEST(CardClassifier, ReadCardInfoFaceCardEitherAnswer) {
    for (std::uint16_t answer : {0x63C0, 0x6984}) {
        test::SimCard face;
        face.authCert = Bytes{0x30, 0x00};
        face.authCaCert = Bytes{0x30, 0x00};
        face.availability = Bytes{0x00, 0x8F, 0x00};
        face.authPinQueryOverride = answer;
        Iso7816 iso(face);
        auto info = readCardInfo(iso);
        ASSERT_TRUE(info.ok()) << info.error().toString();
        EXPECT_EQ(info->cardClass, CardClass::kFaceAuthCard) << std::hex << answer;
        ASSERT_TRUE(info->authPin.has_value());
        EXPECT_TRUE(info->authPin->blocked());
        EXPECT_EQ(info->authPin->triesLeft, 0);
    }
}

// The same answers on a card with a signing certificate: PIN-locked, not a face card.
TEST(CardClassifier, BlockedPinWithSigningCertificateIsPinLocked) {
    for (std::uint16_t answer : {0x63C0, 0x6984}) {
        test::SimCard card;
        card.authCert = Bytes{0x30, 0x00};
        card.authCaCert = Bytes{0x30, 0x00};
        card.authPinQueryOverride = answer;
        Iso7816 iso(card);
        auto info = readCardInfo(iso);
        ASSERT_TRUE(info.ok()) << info.error().toString();
        EXPECT_EQ(info->cardClass, CardClass::kPinLocked) << std::hex << answer;
    }
}

}  // namespace
}  // namespace uketsuke::card
