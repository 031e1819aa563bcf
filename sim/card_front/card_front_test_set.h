// The card-front OCR evaluation set (issue 6): deterministic captures of persona cards, generated
// on demand (500 frames of 1280x720 would be 1.4 GB in memory), shared by the unit tests, the
// benchmark (bench/card_ocr) and the render tool.
//
// Sample i uses persona i mod N (photo, name, address) and variation i mod 11
// (capture_generator.h). Every other round of personas keeps the persona's own fields; the rounds
// between draw random fields (seeded) so the reader sees every era (大正..令和, 元年), Gregorian
// birth dates of foreign residents' cards and arbitrary codes, not just the dozen persona values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/card_front/capture_generator.h"
#include "sim/card_front/card_front_render.h"
#include "sim/persona.h"

namespace uketsuke::sim {

struct CardFrontSample {
    std::string personaId;
    CardFrontSpec spec;  // the truth (photo dropped)
    Capture capture;
};

class CardFrontTestSet {
  public:
    // personaDir: sim/personas; pkiDir: the build's pki/ (photo-source.png per persona; a persona
    // without one gets the placeholder photo). Throws std::runtime_error on a set-up problem.
    CardFrontTestSet(const std::filesystem::path& personaDir, const std::filesystem::path& pkiDir,
                     std::uint64_t seed = 2026);

    CardFrontSample readable(int index) const;
    // A bad input (kNoCard, kOtherCard, kScreen, kUpsideDown, kFingerOverField).
    CardFrontSample bad(CaptureVariation variation, int index) const;

    int personaCount() const { return int(personas_.size()); }
    const CardFrontRenderer& renderer() const { return renderer_; }
    // The spec of sample `index` (persona's or random fields).
    CardFrontSpec specFor(int index) const;

  private:
    struct Entry {
        Persona persona;
        cv::Mat photo;
    };
    std::vector<Entry> personas_;
    CardFrontRenderer renderer_;
    std::uint64_t seed_;
};

}  // namespace uketsuke::sim
