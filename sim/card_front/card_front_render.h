// Rendering of My Number Card fronts (個人番号カード 表面) for the card-front OCR (issue 6): the
// shared layout (vision/card_front/card_front_layout.h), Japanese text drawn with a Debian font
// through FreeType (OpenCV's freetype module: cv::putText has no Japanese glyphs), the persona's
// photo, and the three fields 照合番号B is built from. Test material: the output stays in memory
// or in the build tree.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <opencv2/core/mat.hpp>

#include "sim/persona.h"
#include "vision/card_front/card_front_layout.h"

namespace uketsuke::sim {

// Default font: IPAex Gothic (fonts-ipaexfont-gothic); Noto Sans CJK JP is an alternative.
inline constexpr const char* kDefaultCardFontPath =
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

struct CardFrontSpec {
    std::string name;     // as printed after 「氏名」
    std::string address;  // as printed after 「住所」 (wrapped to two lines)
    std::chrono::year_month_day birthDate{};
    bool gregorianBirth = false;  // foreign resident's card: 「1980年 2月17日生」
    std::chrono::year_month_day expiry{};
    std::string securityCode;  // 4 digits
    bool male = true;
    bool faceAuth = false;  // 「顔認証」 printed in the 追記欄
    cv::Mat photo;          // BGR portrait; empty: a neutral placeholder
};

// The spec of a persona's card (sim/persona.h). requires: persona.kind == kMyNumber.
CardFrontSpec cardFrontSpecFor(const Persona& persona, cv::Mat photo);

// The 和暦 birth line as printed, e.g. 「昭和55年 2月17日生」 (「元年」 for year 1), or the
// Gregorian one for gregorianBirth. Exposed for tests of the reader's parser.
std::string birthLineText(const CardFrontSpec& spec);
std::string expiryLineText(const CardFrontSpec& spec);

struct RenderedCard {
    cv::Mat bgr;   // CV_8UC3, landscape, pxPerMm resolution
    cv::Mat mask;  // CV_8UC1, 255 inside the card's rounded outline
};

class CardFrontRenderer {
  public:
    // Throws std::runtime_error when the font cannot be loaded (a test-set-up error).
    explicit CardFrontRenderer(const std::filesystem::path& fontPath = kDefaultCardFontPath,
                               vision::card_front::CardFrontLayout layout = {});
    ~CardFrontRenderer();
    CardFrontRenderer(const CardFrontRenderer&) = delete;
    CardFrontRenderer& operator=(const CardFrontRenderer&) = delete;

    RenderedCard render(const CardFrontSpec& spec, double pxPerMm = 16.0) const;
    // Some other ID-1 card (a membership / insurance-style card: coloured band, text rows, no
    // photo) for the "another card" bad input; `variant` picks colours and text.
    RenderedCard renderOtherCard(int variant, double pxPerMm = 16.0) const;

    const vision::card_front::CardFrontLayout& layout() const { return layout_; }

  private:
    struct Fonts;
    std::unique_ptr<Fonts> fonts_;
    vision::card_front::CardFrontLayout layout_;
};

}  // namespace uketsuke::sim
