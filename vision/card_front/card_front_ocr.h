// CardFrontOcr: the card-front reader (issue 6). From one camera frame of a My Number Card front
// it reads the three printed fields 照合番号B is built from (card-protocol.md §5.1) — the birth
// date (和暦, or Gregorian on a foreign resident's card), the card's expiry and the 4-digit
// セキュリティコード — each with a confidence, and whether 「顔認証」 is printed in the 追記欄.
//
// Pipeline: locate the card (card_locator.h) -> rectify to the canonical image (10 px/mm) ->
// orientation / layout / screen checks (card_checks.h) -> per field, two different
// preprocessings each read by Tesseract (line_ocr.h) -> strict parse (field_parser.h) ->
// agreement, per-character confidence and cross-field checks decide "confident".
//
// Safety rule: a field is kConfident only when both reads parse to the same value, every
// character of both reads is above the confidence floor, and the fields are consistent with each
// other. Anything less is kLowConfidence (the caller asks staff): a wrong 照合番号B costs one of
// the card's tries, so the reader abstains rather than guesses.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "uketsuke/bytes.h"
#include "vision/card_front/card_checks.h"
#include "vision/card_front/card_front_error.h"
#include "vision/card_front/card_front_layout.h"
#include "vision/card_front/card_locator.h"
#include "vision/card_front/field_parser.h"
#include "vision/card_front/motion_blur.h"

namespace uketsuke::vision::card_front {

struct CardFrontOcrConfig {
    // Debian's tesseract-ocr-jpn / tesseract-ocr-eng install here.
    std::filesystem::path tessdataDir = "/usr/share/tesseract-ocr/5/tessdata";
    CardFrontLayout layout = kDefaultCardFrontLayout;
    double canonicalPxPerMm = 10.0;  // 856 x 540 canonical image
    CardLocatorOptions locator;
    OrientationOptions orientation;
    // A card held upside down is turned and read (a patient does not know which way is up);
    // false: refuse it with kUpsideDown.
    bool readUpsideDown = true;
    bool detectScreen = true;
    // Measure a motion smear on the card's edges and also read the fields deblurred.
    bool deblurMotion = true;
    MotionBlurOptions motionBlur;
    ScreenCheckOptions screen;
    // Every character of both reads of a field must reach this (Tesseract's 0..100). The main
    // evidence is agreement (both reads parse to the same value) plus the cross-field checks;
    // the floor removes the reads Tesseract itself flags. Chosen on calibration captures (seed
    // 7, not the acceptance seed): jpn's LSTM scores right date characters as low as 27, eng's
    // right digits rarely below 45 (docs/card_front_ocr.md).
    float minDateCharConfidence = 20;
    float minCodeCharConfidence = 40;
    FieldRules rules;
    std::optional<std::chrono::year_month_day> today;  // nullopt: the system clock (UTC date)
};

enum class FieldStatus {
    kConfident,      // may be used for 照合番号B
    kLowConfidence,  // a value was read but is doubtful: show it to staff, never send it
    kUnreadable,     // nothing usable was read
};
std::string_view name(FieldStatus status);

template <typename T>
struct FieldReading {
    std::optional<T> value;
    FieldStatus status = FieldStatus::kUnreadable;
    double confidence = 0;    // 0..1; kConfident readings carry the lower of the two reads' means
    std::string_view reason;  // why not confident ("reads_disagree", "low_symbol_confidence", ...)
    // Evidence behind the status (for calibration and logs; no field value):
    bool readsAgree = false;       // both preprocessings parsed to the same value
    double minCharConfidence = 0;  // least sure character over both reads, 0..1
    double minLineConfidence = 0;  // least line (mean) confidence over both reads, 0..1
};

struct CardFrontReading {
    FieldReading<BirthDate> birthDate;
    FieldReading<std::chrono::year_month_day> expiry;
    FieldReading<SecretBytes> securityCode;  // 4 ASCII digits; never logged
    bool faceAuthPrinted = false;            // 「顔認証」 read in the 追記欄
    bool turned180 = false;                  // the card was upside down and was read turned
    CardQuad quad;

    bool allConfident() const {
        return birthDate.status == FieldStatus::kConfident &&
               expiry.status == FieldStatus::kConfident &&
               securityCode.status == FieldStatus::kConfident;
    }
};

class CardFrontOcr {
  public:
    // Loads Tesseract (jpn for the dates and 追記欄, eng for the code) once.
    // ensures: the reader, or kTessdataMissing / kOcrInitFailed.
    static CardFrontResult<std::unique_ptr<CardFrontOcr>> create(CardFrontOcrConfig config = {});
    ~CardFrontOcr();
    CardFrontOcr(const CardFrontOcr&) = delete;
    CardFrontOcr& operator=(const CardFrontOcr&) = delete;

    // requires: an 8-bit BGR (or grey) frame.
    // ensures: a reading whose fields each carry a status, or kImageEmpty / kNoCard /
    //          kCardTooSmall / kNotMyNumberCard / kUpsideDown / kScreenSuspected / kInternal.
    //          Never throws. Not thread-safe (one Tesseract instance per language, reused).
    CardFrontResult<CardFrontReading> read(const cv::Mat& frame);

    const CardFrontOcrConfig& config() const;

  private:
    CardFrontOcr();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uketsuke::vision::card_front
