// Tesseract line recogniser (line_ocr.h).
#include "vision/card_front/line_ocr.h"

#include <algorithm>
#include <string>
#include <vector>

#include <omp.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace uketsuke::vision::card_front {

struct LineOcr::Impl {
    tesseract::TessBaseAPI api;
};

LineOcr::LineOcr() : impl_(std::make_unique<Impl>()) {}
LineOcr::~LineOcr() {
    if (impl_)
        impl_->api.End();
}

CardFrontResult<std::unique_ptr<LineOcr>> LineOcr::create(const std::filesystem::path& tessdataDir,
                                                          const std::string& language,
                                                          const std::string& whitelist) {
    if (!std::filesystem::exists(tessdataDir / (language + ".traineddata")))
        return fail(CardFrontError::kTessdataMissing);
    // Debian's libtesseract is built with OpenMP and runs parts of the LSTM on up to 4 threads
    // that spin while waiting. On the terminal's 2 cores, shared with the camera and the face
    // engine, that made a capture 3x slower (docs/card_front_ocr.md); one line is small enough
    // to run on one thread. This sets a process-wide OpenMP setting (nothing else in Uketsuke
    // uses OpenMP).
    omp_set_max_active_levels(0);
    std::unique_ptr<LineOcr> ocr(new LineOcr());
    auto& api = ocr->impl_->api;
    // LSTM only: the legacy engine is slower here and its confidences are not comparable.
    // No dictionary (init-time variables): dates and codes are not words, and a dictionary
    // would "correct" digits.
    const std::vector<std::string> names{"load_system_dawg", "load_freq_dawg"};
    const std::vector<std::string> values{"0", "0"};
    if (api.Init(tessdataDir.string().c_str(), language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr,
                 0, &names, &values, false) != 0)
        return fail(CardFrontError::kOcrInitFailed);
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    if (!whitelist.empty())
        api.SetVariable("tessedit_char_whitelist", whitelist.c_str());
    return ocr;
}

OcrLine LineOcr::read(const cv::Mat& grey) {
    OcrLine line;
    if (grey.empty() || grey.type() != CV_8UC1)
        return line;
    auto& api = impl_->api;
    const cv::Mat img = grey.isContinuous() ? grey : grey.clone();
    api.SetImage(img.data, img.cols, img.rows, 1, int(img.step));
    api.SetSourceResolution(300);
    if (api.Recognize(nullptr) != 0)
        return line;
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    line.text = text ? text.get() : "";
    line.meanConfidence = float(api.MeanTextConf());
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    float minConf = 101;
    if (it) {
        do {
            if (!it->Empty(tesseract::RIL_SYMBOL))
                minConf = std::min(minConf, it->Confidence(tesseract::RIL_SYMBOL));
        } while (it->Next(tesseract::RIL_SYMBOL));
    }
    line.minSymbolConfidence = minConf > 100 ? 0 : minConf;
    api.Clear();
    return line;
}

}  // namespace uketsuke::vision::card_front
