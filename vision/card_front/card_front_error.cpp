// CardFrontError table (style.md §6).
#include "vision/card_front/card_front_error.h"

#include <array>

#include "uketsuke/error_table.h"

namespace uketsuke::vision::card_front {
namespace {

// clang-format off
constexpr ErrorTable kErrors{std::to_array<CardFrontErrorInfo>({
    {CardFrontError::kImageEmpty, "image_empty", "the image is empty"},
    {CardFrontError::kNoCard, "no_card", "no card was found in the image"},
    {CardFrontError::kCardTooSmall, "card_too_small", "the card is too far from the camera to read its print; hold it closer"},
    {CardFrontError::kNotMyNumberCard, "not_mynumber_card", "the card's front does not have the My Number Card layout (another card, or its back)"},
    {CardFrontError::kUpsideDown, "upside_down", "the card is upside down; turn it over"},
    {CardFrontError::kScreenSuspected, "screen_suspected", "the card appears to be shown on a screen (pixel grid); present the physical card"},
    {CardFrontError::kTessdataMissing, "tessdata_missing", "Tesseract language data (jpn, eng) not found; install tesseract-ocr-jpn and tesseract-ocr-eng or set the tessdata directory"},
    {CardFrontError::kOcrInitFailed, "ocr_init_failed", "Tesseract failed to initialise"},
    {CardFrontError::kInternal, "internal", "internal error while reading the card front"},
}), {CardFrontError::kInternal, "internal", "internal error while reading the card front"}, CardFrontError::kImageEmpty, CardFrontError::kInternal};
// clang-format on

}  // namespace

const CardFrontErrorInfo& cardFrontErrorInfo(CardFrontError error) {
    return kErrors[error];
}

}  // namespace uketsuke::vision::card_front
