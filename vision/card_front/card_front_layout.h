// CardFrontLayout: where the printed fields of a My Number Card front (個人番号カード 表面) sit, in
// card millimetres from the top-left corner of the card held landscape, text upright.
//
// This is a named, configurable assumption ("mynumber-front-simple"), not a transcription of the
// official artwork: the real card's proportions are followed (ID-1, 85.60 x 53.98 mm; text on the
// left, photo on the right, セキュリティコード under the photo, 追記欄 at the bottom left), and
// every box is a little larger than its text so that a few pixels of rectification error do not
// cut a glyph. The renderer (sim/card_front) and the reader share it; a reader for the real card
// artwork needs only another instance measured from a physical card.
//
//   +------------------------------------------------------------------------------------+
//   | 個人番号カード (title)                                                               |
//   | 氏名  NAME ............................................   +------------------+       |
//   | 住所  ADDRESS (2 lines) ...............................   |                  |       |
//   |                                                           |      photo       |       |
//   | 昭和55年 2月17日生 (birthDate)      性別 男 (sex)          |     (4:5)        |       |
//   | 2035年 2月17日まで有効 (expiry)                            +------------------+       |
//   | +-- 追記欄 (annotation) ----------------------------+      セキュリティコード          |
//   | | 顔認証                                             |        2285 (securityCode)    |
//   | +----------------------------------------------------+      (plainStock)             |
//   +------------------------------------------------------------------------------------+
#pragma once

#include <string_view>

namespace uketsuke::vision::card_front {

struct MmBox {
    double x = 0, y = 0, w = 0, h = 0;  // millimetres; (x, y) is the top-left corner
};

struct CardFrontLayout {
    std::string_view name = "mynumber-front-simple";
    double widthMm = 85.60;  // ISO/IEC 7810 ID-1
    double heightMm = 53.98;

    MmBox title{3.0, 2.0, 40.0, 4.5};      // 「個人番号カード」
    MmBox nameLine{3.0, 8.0, 54.0, 5.0};   // 「氏名」 + name
    MmBox address{3.0, 14.0, 54.0, 10.0};  // 「住所」 + two lines
    MmBox birthDate{3.0, 25.5, 39.0, 5.0};  // 「昭和55年 2月17日生」 or 「1980年 2月17日生」
    MmBox sex{45.0, 25.5, 13.0, 5.0};    // 「性別 男」
    MmBox expiry{3.0, 31.5, 44.0, 5.0};  // 「2035年 2月17日まで有効」 (Gregorian)
    MmBox photo{61.5, 8.0, 20.8, 26.0};  // portrait, 4:5
    MmBox securityCodeLabel{61.0, 35.0, 22.0, 2.6};
    MmBox securityCode{62.5, 38.0, 19.0, 6.0};  // 4 digits
    MmBox annotation{3.0, 39.0, 54.0, 12.0};  // 追記欄 (「顔認証」 on 顔認証マイナンバーカード)
    MmBox plainStock{63.0, 45.5, 17.0,
                     5.5};  // nothing printed but the faint pattern (screen check)

    // Glyph height of the field text the reader relies on (birth date, expiry), in mm.
    double fieldTextHeightMm = 3.1;
    double securityCodeHeightMm = 4.2;
};

// The layout this project renders and reads.
inline constexpr CardFrontLayout kDefaultCardFrontLayout{};

}  // namespace uketsuke::vision::card_front
