// OCR-first card-front reader with staff fallback (ocr_card_front.h).
#include "terminal/session/ocr_card_front.h"

#include <string_view>

#include "card/verification_number_b.h"
#include "uketsuke/encoding.h"

namespace uketsuke::terminal {

namespace cf = vision::card_front;

std::string_view name(OcrCardFrontReader::Source source) {
    switch (source) {
        case OcrCardFrontReader::Source::kNone:
            return "none";
        case OcrCardFrontReader::Source::kOcr:
            return "ocr";
        case OcrCardFrontReader::Source::kStaff:
            return "staff";
    }
    return "?";
}

OcrCardFrontReader::OcrCardFrontReader(cf::CardFrontOcr& ocr, FrameProvider frames,
                                       CardFrontReader* staffEntry, Options options)
    : ocr_(ocr), frames_(std::move(frames)), staffEntry_(staffEntry), options_(options) {}

OcrCardFrontReader::FrameProvider OcrCardFrontReader::fromFrameSource(vision::FrameSource& source) {
    return [&source]() -> std::optional<cv::Mat> {
        auto frame = source.next();
        if (!frame)
            return std::nullopt;
        return std::move(frame->bgr);
    };
}

std::optional<std::string> OcrCardFrontReader::fingerprint(const CardFrontFields& fields) {
    const std::string_view code(reinterpret_cast<const char*>(fields.securityCode.view().data()),
                                fields.securityCode.size());
    auto number = card::buildVerificationNumberB(fields.birthDate, fields.expiryYear, code);
    if (!number)
        return std::nullopt;
    const Bytes digest = sha256(number.value().view());
    return std::string(digest.begin(), digest.end());
}

bool OcrCardFrontReader::isDoubtful(const CardFrontFields& fields) const {
    const auto print = fingerprint(fields);
    return print && returned_.count(*print) > 0;
}

void OcrCardFrontReader::markDoubtful(const CardFrontFields& fields) {
    if (auto print = fingerprint(fields))
        returned_.insert(std::move(*print));
}

void OcrCardFrontReader::beginCardSession() {
    returned_.clear();
    outcome_ = {};
}

std::optional<CardFrontFields> OcrCardFrontReader::handOut(CardFrontFields fields, Source source) {
    outcome_.source = source;
    markDoubtful(fields);  // whatever happens at the card, this reading is not offered again
    return fields;
}

namespace {

std::string fieldReasons(const cf::CardFrontReading& r) {
    std::string why;
    auto add = [&](std::string_view field, cf::FieldStatus status, std::string_view reason) {
        if (status == cf::FieldStatus::kConfident)
            return;
        if (!why.empty())
            why += ' ';
        why += std::string(field) + ":" + std::string(reason.empty() ? cf::name(status) : reason);
    };
    add("birth", r.birthDate.status, r.birthDate.reason);
    add("expiry", r.expiry.status, r.expiry.reason);
    add("code", r.securityCode.status, r.securityCode.reason);
    return why;
}

}  // namespace

std::optional<CardFrontFields> OcrCardFrontReader::readFields() {
    outcome_ = {};
    for (int i = 0; i < options_.maxFrames && frames_; ++i) {
        auto frame = frames_();
        if (!frame)
            break;
        ++outcome_.framesRead;
        auto result = ocr_.read(*frame);
        if (!result) {
            outcome_.ocrReason = std::string(cf::name(result.error()));
            continue;
        }
        auto& reading = result.value();
        outcome_.faceAuthPrinted = outcome_.faceAuthPrinted || reading.faceAuthPrinted;
        if (!reading.allConfident()) {
            outcome_.ocrReason = fieldReasons(reading);
            continue;
        }
        CardFrontFields fields;
        fields.birthDate = reading.birthDate.value->date;
        fields.expiryYear = int(reading.expiry.value->year());
        fields.securityCode = std::move(*reading.securityCode.value);
        if (isDoubtful(fields)) {
            // Read with confidence, yet already tried or ruled out this session: the print
            // itself is doubtful (or the card is not what it seems). Staff decides.
            outcome_.ocrReason = "doubtful_reading";
            break;
        }
        return handOut(std::move(fields), Source::kOcr);
    }
    if (!staffEntry_)
        return std::nullopt;
    auto entered = staffEntry_->readFields();
    if (!entered || isDoubtful(*entered))
        return std::nullopt;
    return handOut(std::move(*entered), Source::kStaff);
}

}  // namespace uketsuke::terminal
