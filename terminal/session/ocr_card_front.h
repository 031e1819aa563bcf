// OcrCardFrontReader: the session's CardFrontReader (session_ports.h) backed by card-front OCR
// (issue 6, vision/card_front/card_front_ocr.h), with staff entry as the fallback.
//
// readFields() reads frames of the card front until one gives all three fields with high
// confidence; when none does (or the frames run out) it asks the wrapped staff-entry reader. A
// reading is never handed out twice in one card session: every reading returned is remembered
// (as the SHA-256 of its 照合番号B, never the digits) and so is every reading the session marks
// doubtful (a failed VERIFY, a counter check); a later OCR result equal to one of them is
// treated as low confidence, and a staff entry equal to one of them is refused. Nothing here
// logs a field value: lastOutcome() carries only sources and reason names.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include <opencv2/core/mat.hpp>

#include "terminal/session/session_ports.h"
#include "uketsuke/bytes.h"
#include "vision/card_front/card_front_ocr.h"
#include "vision/frame_source.h"

namespace uketsuke::terminal {

class OcrCardFrontReader final : public CardFrontReader {
  public:
    // The next image of the card front; nullopt when there is none (end of a still image or
    // stream). Called up to Options::maxFrames times per readFields().
    using FrameProvider = std::function<std::optional<cv::Mat>()>;

    struct Options {
        int maxFrames = 5;  // frames tried before asking staff
    };

    enum class Source { kNone, kOcr, kStaff };
    struct Outcome {
        Source source = Source::kNone;
        int framesRead = 0;
        // Why OCR did not decide: an error name ("no_card", "screen_suspected"), a field reason
        // ("birth:reads_disagree"), or "doubtful_reading". Never a value.
        std::string ocrReason;
        bool faceAuthPrinted = false;  // 「顔認証」 seen on the card front
    };

    // requires: ocr outlives this reader; staffEntry may be null (then no fallback).
    OcrCardFrontReader(vision::card_front::CardFrontOcr& ocr, FrameProvider frames,
                       CardFrontReader* staffEntry, Options options);
    OcrCardFrontReader(vision::card_front::CardFrontOcr& ocr, FrameProvider frames,
                       CardFrontReader* staffEntry)
        : OcrCardFrontReader(ocr, std::move(frames), staffEntry, Options{}) {}

    std::optional<CardFrontFields> readFields() override;

    // The session learnt that these fields are doubtful (the card refused them, or the retry
    // counter makes another try unwise): they will not be returned again.
    void markDoubtful(const CardFrontFields& fields) override;
    // A new card: forget the readings of the previous one.
    void beginCardSession() override;

    const Outcome& lastOutcome() const { return outcome_; }

    // Frames from a vision::FrameSource (camera, video, still image); the source must outlive
    // the provider.
    static FrameProvider fromFrameSource(vision::FrameSource& source);

  private:
    // SHA-256 of the reading's 照合番号B; nullopt when the fields do not make one.
    static std::optional<std::string> fingerprint(const CardFrontFields& fields);
    bool isDoubtful(const CardFrontFields& fields) const;
    std::optional<CardFrontFields> handOut(CardFrontFields fields, Source source);

    vision::card_front::CardFrontOcr& ocr_;
    FrameProvider frames_;
    CardFrontReader* staffEntry_;
    Options options_;
    // Fingerprints (32-byte SHA-256, held in a string: GCC 12 warns falsely on comparing vectors
    // in a set) handed out or marked doubtful this card session.
    std::set<std::string> returned_;
    Outcome outcome_;
};

std::string_view name(OcrCardFrontReader::Source source);

}  // namespace uketsuke::terminal
