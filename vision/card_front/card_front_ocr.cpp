// Card-front reader (card_front_ocr.h).
#include "vision/card_front/card_front_ocr.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "vision/card_front/line_ocr.h"

namespace uketsuke::vision::card_front {
namespace {

using std::chrono::year_month_day;

// Characters the date lines can contain: digits, the era names, 元, 年月日, 生, まで有効.
constexpr const char* kDateWhitelist = "0123456789明治大正昭和平成令和元年月日生まで有効";
constexpr const char* kDigits = "0123456789";
constexpr std::string_view kFaceAuthText = "顔認証";

// Extra margin around a layout box (mm): absorbs a few pixels of rectification error.
constexpr double kMarginXmm = 2.5;
// A gap this wide ends a line: wider than the space the card prints inside a date (「年 2月」),
// narrower than the gap before the next field.
constexpr double kMaxGapMm = 4.0;
constexpr double kMarginYmm = 1.0;

cv::Rect boxPx(const MmBox& b, double s, cv::Size bounds, double mx = kMarginXmm,
               double my = kMarginYmm) {
    return cv::Rect(cvRound((b.x - mx) * s), cvRound((b.y - my) * s), cvRound((b.w + 2 * mx) * s),
                    cvRound((b.h + 2 * my) * s)) &
           cv::Rect(cv::Point(0, 0), bounds);
}

// Views of one field crop for the reads that vote (decide() below). They fail differently: the
// flat-fielded grey keeps the anti-aliasing the LSTM likes; the Otsu-binarised band drops the
// faint pattern but merges strokes under blur; the reduced copy brings large print to the line
// height the models were trained on; the thickened binary survives thin, washed-out strokes
// (glare, low light); the sharpened grey helps under blur. Later views are read only when the
// earlier ones did not decide, so a clear capture costs two reads per field. The adaptive threshold
// only finds the text band: as an input it broke digits.
std::vector<cv::Mat> prepare(const cv::Mat& crop, int maxGapPx) {
    // Flat field: divide by the background (a max filter wider than a stroke removes the ink,
    // a blur smooths it), so glare gradients, the expiry's tinted band and dim light all become
    // ink on white, and the white padding added below matches the ground.
    cv::Mat background, g;
    const int k = std::max(9, (crop.rows / 3) | 1);
    cv::dilate(crop, background, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
    cv::GaussianBlur(background, background, cv::Size(k, k), 0);
    cv::divide(crop, background, g, 255.0);
    cv::normalize(g, g, 0, 255, cv::NORM_MINMAX);
    cv::Mat bin;
    const int block = std::max(15, (crop.rows / 2) | 1);
    cv::adaptiveThreshold(g, bin, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, block,
                          12);

    // Tight crop to the text band (the longest run of rows with ink), so the single-line mode
    // sees one line and no fragment of the neighbouring print.
    std::vector<int> rowInk(bin.rows);
    for (int y = 0; y < bin.rows; ++y)
        rowInk[y] = bin.cols - cv::countNonZero(bin.row(y));
    const int rowMin = std::max(2, bin.cols / 60);
    // Runs of ink rows, bridging gaps of up to 3 rows (a stroke's thin horizontal part).
    int bestStart = 0, bestLen = 0, start = -1, lastInk = -1;
    for (int y = 0; y <= bin.rows; ++y) {
        const bool ink = y < bin.rows && rowInk[y] >= rowMin;
        if (ink) {
            if (start < 0)
                start = y;
            lastInk = y;
        } else if (start >= 0 && (y == bin.rows || y - lastInk > 3)) {
            if (lastInk - start + 1 > bestLen)
                bestStart = start, bestLen = lastInk - start + 1;
            start = -1;
        }
    }
    cv::Rect band(0, 0, bin.cols, bin.rows);
    int inkTop = 0, inkBottom = bin.rows;  // the text rows inside band
    if (bestLen > 4) {
        // Keep a quarter of the line height above and below (the LSTM misreads glyphs that
        // touch the image edge), but blank it: it may hold the edge of the neighbouring print.
        const int m = std::max(6, bestLen / 4);
        const int y0 = std::max(0, bestStart - m), y1 = std::min(bin.rows, bestStart + bestLen + m);
        const cv::Rect rows(0, bestStart, bin.cols, bestLen);
        int x0 = bin.cols, x1 = 0;
        for (int x = 0; x < bin.cols; ++x)
            if (cv::countNonZero(bin(rows).col(x)) < bestLen)
                x0 = std::min(x0, x), x1 = std::max(x1, x);
        // The line ends at the first gap wider than maxGapPx after its first glyph (the next
        // field: 「性別」). Columns with a single ink pixel are noise, not glyphs.
        for (int x = x0, lastCol = -1; maxGapPx > 0 && x <= x1; ++x) {
            if (cv::countNonZero(bin(rows).col(x)) < bestLen - 1) {
                lastCol = x;
            } else if (lastCol >= 0 && x - lastCol > maxGapPx) {
                x1 = lastCol;
                break;
            }
        }
        x0 = x1 > x0 ? std::max(0, x0 - 8) : 0;
        x1 = x1 > x0 ? std::min(bin.cols, x1 + 9) : bin.cols;
        band = cv::Rect(x0, y0, x1 - x0, y1 - y0);
        inkTop = bestStart - y0, inkBottom = inkTop + bestLen;
    }
    cv::Mat line = g(band).clone();
    line.rowRange(0, inkTop).setTo(255);
    line.rowRange(inkBottom, line.rows).setTo(255);
    // Ground to white: everything lighter than the Otsu level is background (the card's faint
    // pattern included); the ink keeps its grey levels, which the LSTM reads best.
    cv::Mat otsu, reduced, thick;
    const double level = cv::threshold(line, otsu, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    line.setTo(255, line > level);
    cv::resize(line, reduced, cv::Size(), 0.6, 0.6, cv::INTER_AREA);
    cv::erode(otsu, thick, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2, 2)));

    // Last resort for motion and focus blur: an unsharp mask of the grey line.
    cv::Mat sharp, soft;
    cv::GaussianBlur(line, soft, cv::Size(0, 0), 2.0);
    cv::addWeighted(line, 2.0, soft, -1.0, 0, sharp);

    std::vector<cv::Mat> views;
    for (const cv::Mat* m : {&line, &otsu, &reduced, &thick, &sharp}) {
        cv::Mat padded;
        const int pad = std::max(12, m->rows / 3);
        cv::copyMakeBorder(*m, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
        views.push_back(padded);
    }
    return views;
}

year_month_day todayUtc() {
    const auto now = std::chrono::system_clock::now();
    return year_month_day{std::chrono::floor<std::chrono::days>(now)};
}

// Reads of one field, view after view, until the evidence decides:
//   confident  two reads parse to the same value, each with every character above the floor,
//              and no read so far parsed to anything else;
//   abstain    as soon as two reads parse to different values (a contradiction is never
//              outvoted), or when the views run out.
// Unparsable reads are neither votes nor contradictions: the strict parser already refused them.
template <typename T, typename Parse, typename Same>
FieldReading<T> decide(LineOcr& ocr, const std::vector<cv::Mat>& views, Parse parse, Same same,
                       float minCharConfidence) {
    FieldReading<T> r;
    std::optional<T> value;
    int votes = 0, sureVotes = 0;
    double meanConfidence = 100, leastChar = 100;
    std::string_view firstProblem;
    for (const cv::Mat& view : views) {
        const OcrLine line = ocr.read(view);
        auto parsed = parse(line.text);
        if (!parsed.value) {
            if (firstProblem.empty())
                firstProblem = parsed.problem;
            continue;
        }
        if (value && !same(*value, *parsed.value)) {
            r.value = std::move(value);
            r.status = FieldStatus::kLowConfidence;
            r.confidence = 0.1;
            r.reason = "reads_disagree";
            return r;
        }
        if (!value)
            value = std::move(parsed.value);
        ++votes;
        meanConfidence = std::min<double>(meanConfidence, line.meanConfidence);
        leastChar = std::min<double>(leastChar, line.minSymbolConfidence);
        if (line.minSymbolConfidence >= minCharConfidence)
            ++sureVotes;
        if (sureVotes >= 2)
            break;
    }
    if (!value) {
        r.reason = firstProblem;
        return r;
    }
    r.value = std::move(value);
    r.status = FieldStatus::kLowConfidence;
    r.readsAgree = votes >= 2;
    r.minCharConfidence = leastChar / 100.0;
    r.minLineConfidence = meanConfidence / 100.0;
    if (sureVotes >= 2) {
        r.status = FieldStatus::kConfident;
        r.confidence = std::clamp(meanConfidence / 100.0, 0.0, 1.0);
    } else {
        r.confidence = 0.5 * std::clamp(meanConfidence / 100.0, 0.0, 1.0);
        r.reason = votes >= 2 ? "low_symbol_confidence" : "single_read";
    }
    return r;
}

template <typename T>
void demote(FieldReading<T>& f, std::string_view reason) {
    if (f.status == FieldStatus::kConfident) {
        f.status = FieldStatus::kLowConfidence;
        f.confidence = std::min(f.confidence, 0.5);
        f.reason = reason;
    }
}

}  // namespace

std::string_view name(FieldStatus status) {
    switch (status) {
        case FieldStatus::kConfident:
            return "confident";
        case FieldStatus::kLowConfidence:
            return "low_confidence";
        case FieldStatus::kUnreadable:
            return "unreadable";
    }
    return "?";
}

struct CardFrontOcr::Impl {
    CardFrontOcrConfig config;
    std::unique_ptr<LineOcr> dates;  // jpn, date whitelist
    std::unique_ptr<LineOcr> code;   // eng, digits
    std::unique_ptr<LineOcr> text;   // jpn, unrestricted (追記欄)

    // grey: the rectified card; deblurred: the same with a measured smear removed, read first
    // (empty: no smear).
    CardFrontReading readFields(const cv::Mat& grey, const cv::Mat& deblurred);
};

CardFrontOcr::CardFrontOcr() : impl_(std::make_unique<Impl>()) {}
CardFrontOcr::~CardFrontOcr() = default;

const CardFrontOcrConfig& CardFrontOcr::config() const {
    return impl_->config;
}

CardFrontResult<std::unique_ptr<CardFrontOcr>> CardFrontOcr::create(CardFrontOcrConfig config) {
    std::unique_ptr<CardFrontOcr> ocr(new CardFrontOcr());
    auto dates = LineOcr::create(config.tessdataDir, "jpn", kDateWhitelist);
    if (!dates)
        return fail(dates.error());
    auto code = LineOcr::create(config.tessdataDir, "eng", kDigits);
    if (!code)
        return fail(code.error());
    auto text = LineOcr::create(config.tessdataDir, "jpn", "");
    if (!text)
        return fail(text.error());
    ocr->impl_->dates = std::move(dates).takeValue();
    ocr->impl_->code = std::move(code).takeValue();
    ocr->impl_->text = std::move(text).takeValue();
    ocr->impl_->config = std::move(config);
    return ocr;
}

CardFrontReading CardFrontOcr::Impl::readFields(const cv::Mat& grey, const cv::Mat& deblurred) {
    const auto& L = config.layout;
    const double s = config.canonicalPxPerMm;
    CardFrontReading out;
    // A field's views: those of the deblurred image first (under a smear the captured views
    // mostly fail to parse), then the captured image's.
    auto views = [&](const MmBox& box, int maxGapPx) {
        std::vector<cv::Mat> all;
        if (!deblurred.empty())
            all = prepare(deblurred(boxPx(box, s, deblurred.size())), maxGapPx);
        auto v = prepare(grey(boxPx(box, s, grey.size())), maxGapPx);
        all.insert(all.end(), v.begin(), v.end());
        return all;
    };

    const int gap = cvRound(kMaxGapMm * s);
    out.birthDate = decide<BirthDate>(
        *dates, views(L.birthDate, gap), parseBirthDate,
        [](const BirthDate& x, const BirthDate& y) {
            return x.date == y.date && x.printedEra == y.printedEra;
        },
        config.minDateCharConfidence);
    out.expiry = decide<year_month_day>(*dates, views(L.expiry, 0), parseExpiryDate,
                                        std::equal_to<>(), config.minDateCharConfidence);
    auto codeReading = decide<std::string>(*code, views(L.securityCode, 0), parseSecurityCode,
                                           std::equal_to<>(), config.minCodeCharConfidence);
    out.securityCode.status = codeReading.status;
    out.securityCode.confidence = codeReading.confidence;
    out.securityCode.reason = codeReading.reason;
    out.securityCode.readsAgree = codeReading.readsAgree;
    out.securityCode.minCharConfidence = codeReading.minCharConfidence;
    out.securityCode.minLineConfidence = codeReading.minLineConfidence;
    if (codeReading.value) {
        out.securityCode.value.emplace(*codeReading.value);
        std::fill(codeReading.value->begin(), codeReading.value->end(), '\0');
    }

    // Cross-field checks: a date read confidently but inconsistent with the other is doubtful.
    if (out.birthDate.value && out.expiry.value) {
        const auto problem = checkFields(*out.birthDate.value, *out.expiry.value,
                                         config.today.value_or(todayUtc()), config.rules);
        if (!problem.empty()) {
            demote(out.birthDate, problem);
            demote(out.expiry, problem);
        }
    } else {
        demote(out.birthDate, "no_expiry_to_check_against");
        demote(out.expiry, "no_birth_date_to_check_against");
    }
    // The two dates agreeing with each other (same month and day, a plausible span) is also
    // the evidence that the card was found and rectified right; the code has no check of its
    // own, so it is only as trustworthy as that geometry. (On a cluttered calibration capture a
    // card merged with a sheet of paper gave a wrong code read alike by two views.)
    if (out.birthDate.status != FieldStatus::kConfident ||
        out.expiry.status != FieldStatus::kConfident)
        demote(out.securityCode, "dates_not_confirmed");

    // 追記欄: OCR only when something is printed below its label.
    const MmBox& a = L.annotation;
    const MmBox inner{a.x + 0.2, a.y + 2.8, a.w - 0.4, a.h - 3.6};  // below the 「追記欄」 label
    const cv::Rect annRect = boxPx(inner, s, grey.size(), 0, 0);
    cv::Mat annBin;
    cv::adaptiveThreshold(grey(annRect), annBin, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C,
                          cv::THRESH_BINARY, 31, 15);
    const double ink = 1.0 - cv::countNonZero(annBin) / double(annBin.total());
    if (ink > 0.006) {
        out.faceAuthPrinted = normaliseOcrText(text->read(prepare(grey(annRect), 0).front()).text)
                                  .find(kFaceAuthText) != std::string::npos;
    }
    return out;
}

CardFrontResult<CardFrontReading> CardFrontOcr::read(const cv::Mat& input) {
    try {
        if (input.empty())
            return fail(CardFrontError::kImageEmpty);
        cv::Mat frame = input;
        if (frame.channels() == 1)
            cv::cvtColor(input, frame, cv::COLOR_GRAY2BGR);
        const auto& config = impl_->config;
        auto located = locateCard(frame, config.locator);
        if (!located)
            return fail(located.error());
        const CardQuad quad = located.value();
        const double s = config.canonicalPxPerMm;
        const cv::Size size(cvRound(config.layout.widthMm * s),
                            cvRound(config.layout.heightMm * s));
        cv::Mat canonical = rectifyCard(frame, quad, size);

        bool turned = false;
        switch (detectOrientation(canonical, config.layout, s, config.orientation)) {
            case Orientation::kUpright:
                break;
            case Orientation::kUpsideDown:
                if (!config.readUpsideDown)
                    return fail(CardFrontError::kUpsideDown);
                cv::rotate(canonical, canonical, cv::ROTATE_180);
                turned = true;
                break;
            case Orientation::kNoPhoto:
                return fail(CardFrontError::kNotMyNumberCard);
        }
        if (config.detectScreen &&
            screenTextureScore(frame, quad, turned, config.layout, config.screen) >
                config.screen.maxPlainStockTexture)
            return fail(CardFrontError::kScreenSuspected);

        // A smeared capture (a moving hand) is also read deblurred (motion_blur.h).
        cv::Mat grey, deblurred;
        cv::cvtColor(canonical, grey, cv::COLOR_BGR2GRAY);
        if (config.deblurMotion)
            if (const auto blur = measureMotionBlur(frame, quad, size, config.motionBlur)) {
                const SmearDirection dir = smearDirection(grey, *blur);
                if (dir.anisotropy <= config.motionBlur.maxAnisotropy)
                    deblurred = deblurLinear(grey, blur->x, dir.sign * blur->y,
                                             config.motionBlur.noiseToSignal);
            }
        CardFrontReading reading = impl_->readFields(grey, deblurred);
        if (reading.birthDate.status == FieldStatus::kUnreadable &&
            reading.expiry.status == FieldStatus::kUnreadable &&
            reading.securityCode.status == FieldStatus::kUnreadable)
            return fail(CardFrontError::kNotMyNumberCard);
        reading.turned180 = turned;
        reading.quad = quad;
        return reading;
    } catch (const cv::Exception&) {
        return fail(CardFrontError::kInternal);
    } catch (const std::bad_alloc&) {
        return fail(CardFrontError::kInternal);
    }
}

}  // namespace uketsuke::vision::card_front
