// Card-front renderer (card_front_render.h). Drawn at pxPerMm from the shared layout; the camera
// captures (capture_generator.h) then warp, blur and light it.
#include "sim/card_front/card_front_render.h"

#include <cstdio>
#include <stdexcept>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

namespace uketsuke::sim {
namespace {

using vision::card_front::MmBox;

const cv::Scalar kInk{40, 35, 30};         // near-black print
const cv::Scalar kLabelInk{90, 80, 70};    // the smaller labels (氏名, 住所, ...)
const cv::Scalar kPaper{238, 242, 250};    // warm off-white card stock (BGR)
const cv::Scalar kPattern{220, 215, 240};  // faint pink guilloche

int ymdInt(std::chrono::year_month_day d) {
    return int(d.year()) * 10000 + int(unsigned(d.month())) * 100 + int(unsigned(d.day()));
}

// The era name by its first day; the era year comes from persona.h's japaneseEraYear (the
// reader has its own table, so a mistake in either shows up as a test failure).
const char* eraKanji(std::chrono::year_month_day d) {
    const int date = ymdInt(d);
    if (date >= 20190501)
        return "令和";
    if (date >= 19890108)
        return "平成";
    if (date >= 19261225)
        return "昭和";
    if (date >= 19120730)
        return "大正";
    return "明治";
}

std::chrono::year_month_day parseYmd(const std::string& yyyymmdd) {
    return std::chrono::year_month_day{
        std::chrono::year{std::stoi(yyyymmdd.substr(0, 4))},
        std::chrono::month{unsigned(std::stoi(yyyymmdd.substr(4, 2)))},
        std::chrono::day{unsigned(std::stoi(yyyymmdd.substr(6, 2)))}};
}

// Month and day as the card prints them: right-aligned in two columns (「 2月17日」).
std::string monthDay(std::chrono::year_month_day d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%2u月%2u日", unsigned(d.month()), unsigned(d.day()));
    return buf;
}

cv::Rect toPx(const MmBox& b, double s) {
    return cv::Rect(cvRound(b.x * s), cvRound(b.y * s), cvRound(b.w * s), cvRound(b.h * s));
}

}  // namespace

struct CardFrontRenderer::Fonts {
    cv::Ptr<cv::freetype::FreeType2> gothic;
};

CardFrontSpec cardFrontSpecFor(const Persona& persona, cv::Mat photo) {
    CardFrontSpec spec;
    spec.name = persona.kenmen.displayName;
    spec.address = persona.kenmen.address;
    spec.birthDate = parseYmd(persona.kenmen.birthDate);
    spec.expiry = parseYmd(persona.kenmen.cardExpiry);
    spec.securityCode = persona.kenmen.securityCode;
    spec.male = persona.kenmen.sex == "1";
    spec.faceAuth = persona.authPin.pinless;
    spec.photo = std::move(photo);
    return spec;
}

std::string birthLineText(const CardFrontSpec& spec) {
    const auto& d = spec.birthDate;
    char year[32];
    if (spec.gregorianBirth) {
        std::snprintf(year, sizeof year, "%d年", int(d.year()));
    } else {
        const int eraYear =
            japaneseEraYear(int(d.year()), int(unsigned(d.month())), int(unsigned(d.day())));
        if (eraYear == 1)
            std::snprintf(year, sizeof year, "%s元年", eraKanji(d));
        else
            std::snprintf(year, sizeof year, "%s%2d年", eraKanji(d), eraYear);
    }
    return std::string(year) + monthDay(d) + "生";
}

std::string expiryLineText(const CardFrontSpec& spec) {
    return std::to_string(int(spec.expiry.year())) + "年" + monthDay(spec.expiry) + "まで有効";
}

CardFrontRenderer::CardFrontRenderer(const std::filesystem::path& fontPath,
                                     vision::card_front::CardFrontLayout layout)
    : fonts_(std::make_unique<Fonts>()), layout_(layout) {
    if (!std::filesystem::exists(fontPath))
        throw std::runtime_error("card font not found: " + fontPath.string() +
                                 " (install fonts-ipaexfont-gothic)");
    fonts_->gothic = cv::freetype::createFreeType2();
    fonts_->gothic->loadFontData(fontPath.string(), 0);
}

CardFrontRenderer::~CardFrontRenderer() = default;

namespace {

// Text whose glyph box (baseline to cap height ~ 0.88 em for this font) is heightPx high, left
// aligned in the box and vertically centred.
void drawText(cv::freetype::FreeType2& font, cv::Mat& img, const std::string& text, cv::Rect box,
              double heightPx, const cv::Scalar& colour) {
    const int em = cvRound(heightPx / 0.88);
    const int baseline = box.y + (box.height + cvRound(heightPx)) / 2;
    font.putText(img, text, cv::Point(box.x, baseline), em, colour, -1, cv::LINE_AA, true);
}

cv::Mat roundedMask(cv::Size size, int radius) {
    cv::Mat mask(size, CV_8UC1, cv::Scalar(0));
    const int w = size.width, h = size.height;
    cv::rectangle(mask, cv::Rect(radius, 0, w - 2 * radius, h), cv::Scalar(255), cv::FILLED);
    cv::rectangle(mask, cv::Rect(0, radius, w, h - 2 * radius), cv::Scalar(255), cv::FILLED);
    for (const cv::Point c :
         {cv::Point(radius, radius), cv::Point(w - radius - 1, radius),
          cv::Point(radius, h - radius - 1), cv::Point(w - radius - 1, h - radius - 1)})
        cv::circle(mask, c, radius, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
    return mask;
}

// Faint wavy lines, like the card's security print: low contrast, so it disturbs binarisation a
// little without hiding any glyph.
void drawGuilloche(cv::Mat& img, double s, const cv::Scalar& colour) {
    for (int k = 0; k < 28; ++k) {
        std::vector<cv::Point> pts;
        for (int x = 0; x < img.cols; x += 4) {
            const double y = (k * 2.2 + 1.0) * s + 0.8 * s * std::sin(x / (6.0 * s) + k * 0.7);
            pts.emplace_back(x, cvRound(y));
        }
        cv::polylines(img, pts, false, colour, 1, cv::LINE_AA);
    }
}

}  // namespace

RenderedCard CardFrontRenderer::render(const CardFrontSpec& spec, double s) const {
    const auto& L = layout_;
    auto& font = *fonts_->gothic;
    cv::Mat img(cv::Size(cvRound(L.widthMm * s), cvRound(L.heightMm * s)), CV_8UC3, kPaper);
    drawGuilloche(img, s, kPattern);

    const double labelH = 2.2 * s;
    const double textH = L.fieldTextHeightMm * s;
    drawText(font, img, "個人番号カード", toPx(L.title, s), 3.2 * s, cv::Scalar(120, 60, 40));

    cv::Rect nameBox = toPx(L.nameLine, s);
    drawText(font, img, "氏名", nameBox, labelH, kLabelInk);
    drawText(font, img, spec.name, nameBox + cv::Point(cvRound(8 * s), 0), 3.4 * s, kInk);

    cv::Rect addr = toPx(L.address, s);
    drawText(font, img, "住所", cv::Rect(addr.x, addr.y, addr.width, addr.height / 2), labelH,
             kLabelInk);
    // Wrap the address at a word boundary near 34 characters (romanized persona addresses).
    std::string line1 = spec.address, line2;
    if (line1.size() > 34) {
        const auto cut = line1.rfind(' ', 34);
        line2 = line1.substr(cut == std::string::npos ? 34 : cut + 1);
        line1 = line1.substr(0, cut == std::string::npos ? 34 : cut);
    }
    const cv::Point indent(cvRound(8 * s), 0);
    drawText(font, img, line1, cv::Rect(addr.x, addr.y, addr.width, addr.height / 2) + indent,
             2.6 * s, kInk);
    drawText(font, img, line2,
             cv::Rect(addr.x, addr.y + addr.height / 2, addr.width, addr.height / 2) + indent,
             2.6 * s, kInk);

    drawText(font, img, birthLineText(spec), toPx(L.birthDate, s), textH, kInk);
    cv::Rect sex = toPx(L.sex, s);
    drawText(font, img, "性別", sex, labelH, kLabelInk);
    drawText(font, img, spec.male ? "男" : "女", sex + cv::Point(cvRound(6 * s), 0), textH, kInk);

    // The expiry sits in a pale band, as on the real card.
    cv::Rect exp = toPx(L.expiry, s);
    cv::rectangle(img, exp, cv::Scalar(200, 225, 245), cv::FILLED);
    drawText(font, img, expiryLineText(spec), exp + cv::Point(cvRound(0.8 * s), 0), textH, kInk);

    cv::Rect photo = toPx(L.photo, s);
    if (!spec.photo.empty()) {
        cv::Mat scaled;
        cv::resize(spec.photo, scaled, photo.size(), 0, 0, cv::INTER_AREA);
        scaled.copyTo(img(photo));
    } else {
        img(photo).setTo(cv::Scalar(170, 175, 180));
        cv::ellipse(img, cv::Point(photo.x + photo.width / 2, photo.y + photo.height * 2 / 5),
                    cv::Size(photo.width / 4, photo.height / 4), 0, 0, 360,
                    cv::Scalar(110, 115, 120), cv::FILLED);
    }
    drawText(font, img, "セキュリティコード", toPx(L.securityCodeLabel, s), 1.8 * s, kLabelInk);
    drawText(font, img, spec.securityCode, toPx(L.securityCode, s) + cv::Point(cvRound(3.0 * s), 0),
             L.securityCodeHeightMm * s, kInk);

    cv::Rect ann = toPx(L.annotation, s);
    cv::rectangle(img, ann, kLabelInk, std::max(1, cvRound(0.15 * s)));
    drawText(font, img, "追記欄", cv::Rect(ann.x + cvRound(s), ann.y, ann.width, cvRound(3 * s)),
             1.8 * s, kLabelInk);
    if (spec.faceAuth)
        drawText(
            font, img, "顔認証",
            cv::Rect(ann.x + cvRound(2 * s), ann.y + cvRound(3 * s), ann.width, cvRound(6 * s)),
            3.6 * s, kInk);

    RenderedCard out{img, roundedMask(img.size(), cvRound(3.18 * s))};
    return out;
}

RenderedCard CardFrontRenderer::renderOtherCard(int variant, double s) const {
    const auto& L = layout_;
    auto& font = *fonts_->gothic;
    static const cv::Scalar kBands[] = {
        {160, 90, 30}, {40, 120, 40}, {30, 60, 170}, {120, 40, 120}};
    const cv::Scalar band = kBands[std::abs(variant) % 4];
    cv::Mat img(cv::Size(cvRound(L.widthMm * s), cvRound(L.heightMm * s)), CV_8UC3,
                cv::Scalar(245, 245, 245));
    cv::rectangle(img, cv::Rect(0, 0, img.cols, cvRound(11 * s)), band, cv::FILLED);
    static const char* kTitles[] = {"健康保険 被保険者証", "ポイントカード", "診察券", "会員証"};
    drawText(font, img, kTitles[std::abs(variant) % 4],
             cv::Rect(cvRound(4 * s), cvRound(2 * s), cvRound(70 * s), cvRound(7 * s)), 4.5 * s,
             cv::Scalar(255, 255, 255));
    static const char* kRows[] = {"記号 12345  番号 678", "氏名 SATO HANAKO",
                                  "生年月日 1980年 2月17日", "交付 2024年 4月 1日",
                                  "有効期限 2027年 3月31日"};
    for (int i = 0; i < 5; ++i)
        drawText(
            font, img, kRows[(i + variant) % 5],
            cv::Rect(cvRound(5 * s), cvRound((14 + 7.5 * i) * s), cvRound(75 * s), cvRound(6 * s)),
            3.0 * s, kInk);
    return {img, roundedMask(img.size(), cvRound(3.18 * s))};
}

}  // namespace uketsuke::sim
