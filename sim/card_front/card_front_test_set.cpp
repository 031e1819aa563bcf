// CardFrontTestSet (card_front_test_set.h).
#include "sim/card_front/card_front_test_set.h"

#include <random>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

namespace uketsuke::sim {

CardFrontTestSet::CardFrontTestSet(const std::filesystem::path& personaDir,
                                   const std::filesystem::path& pkiDir, std::uint64_t seed)
    : seed_(seed) {
    auto loaded = loadPersonaDir(personaDir);
    if (!loaded)
        throw std::runtime_error("cannot load personas from " + personaDir.string());
    for (auto& [id, persona] : loaded.value()) {
        // Variants share their original's card front: each holder once.
        if (persona.kind != CardKind::kMyNumber || persona.kenmen.birthDate.empty() ||
            !persona.variantOf.empty())
            continue;
        cv::Mat photo = cv::imread((pkiDir / "personas" / id / "photo-source.png").string());
        personas_.push_back({persona, photo});
    }
    if (personas_.empty())
        throw std::runtime_error("no My Number persona in " + personaDir.string());
}

CardFrontSpec CardFrontTestSet::specFor(int index) const {
    const Entry& e = personas_[std::size_t(index) % personas_.size()];
    CardFrontSpec spec = cardFrontSpecFor(e.persona, e.photo);
    const int round = index / int(personas_.size());
    if (round % 2 == 0)
        return spec;
    std::mt19937_64 rng(seed_ * 7919 + std::uint64_t(index));
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    using namespace std::chrono;
    // Birth 1920..2024 (大正 to 令和); every few samples on an era's first days.
    int y = pick(1920, 2024), m = pick(1, 12), d = pick(1, 28);
    switch (pick(0, 9)) {
        case 0:
            y = 1989, m = 1, d = pick(8, 31);
            break;  // 平成元年
        case 1:
            y = 2019, m = 5, d = pick(1, 31);
            break;  // 令和元年
        case 2:
            y = 1926, m = 12, d = pick(25, 31);
            break;  // 昭和元年
        default:
            break;
    }
    spec.birthDate = year_month_day{year{y}, month{unsigned(m)}, day{unsigned(d)}};
    spec.gregorianBirth = pick(0, 9) == 0;
    spec.expiry = year_month_day{year{std::max(y + 5, pick(2026, 2036))}, month{unsigned(m)},
                                 day{unsigned(d)}};
    if (int(spec.expiry.year()) > 2036)
        spec.expiry = year_month_day{year{2036}, month{unsigned(m)}, day{unsigned(d)}};
    char code[8];
    std::snprintf(code, sizeof code, "%04d", pick(0, 9999));
    spec.securityCode = code;
    spec.male = pick(0, 1) == 1;
    return spec;
}

CardFrontSample CardFrontTestSet::readable(int index) const {
    CardFrontSample s;
    s.personaId = personas_[std::size_t(index) % personas_.size()].persona.id;
    s.spec = specFor(index);
    const CaptureVariation v = kReadableVariations[std::size_t(index) % kReadableVariations.size()];
    s.capture = makeCapture(renderer_.render(s.spec), v, seed_ + std::uint64_t(index));
    s.spec.photo.release();
    return s;
}

CardFrontSample CardFrontTestSet::bad(CaptureVariation v, int index) const {
    CardFrontSample s;
    s.personaId = personas_[std::size_t(index) % personas_.size()].persona.id;
    s.spec = specFor(index);
    RenderedCard card;
    if (v == CaptureVariation::kOtherCard)
        card = renderer_.renderOtherCard(index);
    else if (v != CaptureVariation::kNoCard)
        card = renderer_.render(s.spec);
    s.capture = makeCapture(card, v, seed_ * 31 + std::uint64_t(index));
    s.spec.photo.release();
    return s;
}

}  // namespace uketsuke::sim
