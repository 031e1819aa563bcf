// One line of print through Tesseract (card-front OCR, issue 6, stage 3). Wraps one
// tesseract::TessBaseAPI, initialised once with a language and a character whitelist and reused
// for every capture: initialisation (loading jpn.traineddata) costs far more than a line.
// Not thread-safe: one reader, one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <opencv2/core/mat.hpp>

#include "vision/card_front/card_front_error.h"

namespace uketsuke::vision::card_front {

struct OcrLine {
    std::string text;               // UTF-8, as recognised
    float meanConfidence = 0;       // Tesseract's 0..100
    float minSymbolConfidence = 0;  // the least sure character (0 when there is none)
};

class LineOcr {
  public:
    // whitelist empty: no restriction. ensures: the engine, or kTessdataMissing / kOcrInitFailed.
    static CardFrontResult<std::unique_ptr<LineOcr>> create(
        const std::filesystem::path& tessdataDir, const std::string& language,
        const std::string& whitelist);
    ~LineOcr();
    LineOcr(const LineOcr&) = delete;
    LineOcr& operator=(const LineOcr&) = delete;

    // requires: CV_8UC1, one line of dark text on a light ground.
    OcrLine read(const cv::Mat& grey);

  private:
    LineOcr();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uketsuke::vision::card_front
