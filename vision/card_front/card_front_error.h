// CardFrontError: why a camera frame gave no card-front reading at all, with its
// {code, name, description} table (style.md §6). A frame that shows a readable card but a doubtful
// field is not an error: the field comes back with FieldStatus::kLowConfidence
// (card_front_reader.h).
#pragma once

#include <string_view>

#include "uketsuke/error_table.h"
#include "uketsuke/result.h"

namespace uketsuke::vision::card_front {

enum class CardFrontError {
    kImageEmpty = 1,   // no pixels
    kNoCard,           // no card-shaped quadrilateral in the frame
    kCardTooSmall,     // a card, but too far away to read its print
    kNotMyNumberCard,  // a card whose front does not have the My Number Card layout
    kUpsideDown,       // the card is upside down and the reader is configured not to turn it
    kScreenSuspected,  // the card looks displayed on a screen (pixel grid), not a physical card
    kTessdataMissing,  // Tesseract's jpn/eng traineddata not found in the configured directory
    kOcrInitFailed,    // Tesseract would not initialise with that data
    kInternal,         // an OpenCV / Tesseract exception: a defect, reported not thrown
};

using CardFrontErrorInfo = ErrorInfo<CardFrontError>;

// ensures: a table entry for every enumerator (checked where the table is compiled).
const CardFrontErrorInfo& cardFrontErrorInfo(CardFrontError error);
inline std::string_view name(CardFrontError error) {
    return cardFrontErrorInfo(error).name;
}
inline std::string_view describe(CardFrontError error) {
    return cardFrontErrorInfo(error).description;
}

template <typename T>
using CardFrontResult = Result<T, CardFrontError>;

}  // namespace uketsuke::vision::card_front
