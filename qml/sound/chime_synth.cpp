#include "qml/sound/chime_synth.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace uketsuke::qml::sound {

Pcm16 synthesiseChime(const ChimeSpec& spec, int sampleRate) {
    Pcm16 pcm;
    pcm.sampleRate = sampleRate;
    const int count = std::clamp(spec.noteCount, 1, 4);
    const auto noteSamples = static_cast<std::size_t>(sampleRate) * spec.noteMs / 1000;
    const auto ringSamples =
        static_cast<std::size_t>(sampleRate) * (spec.noteMs + spec.tailMs) / 1000;
    const std::size_t total = noteSamples * (count - 1) + ringSamples;
    std::vector<double> mix(total, 0.0);
    const double attack = 0.005 * sampleRate;
    const double tau = ringSamples / 4.0;
    for (int n = 0; n < count; ++n) {
        const double f = spec.notesHz[n];
        const std::size_t start = noteSamples * static_cast<std::size_t>(n);
        for (std::size_t i = 0; i < ringSamples && start + i < total; ++i) {
            const double t = static_cast<double>(i) / sampleRate;
            const double envelope =
                std::min(1.0, i / attack) * std::exp(-static_cast<double>(i) / tau);
            const double w = 2.0 * std::numbers::pi * f * t;
            mix[start + i] +=
                envelope * (std::sin(w) + 0.3 * std::sin(2 * w) + 0.1 * std::sin(3 * w));
        }
    }
    double peak = 0;
    for (const double v : mix)
        peak = std::max(peak, std::abs(v));
    const double gain = peak > 0 ? spec.level * 32767.0 / peak : 0;
    pcm.samples.reserve(total);
    for (const double v : mix)
        pcm.samples.push_back(static_cast<std::int16_t>(std::lround(v * gain)));
    return pcm;
}

}  // namespace uketsuke::qml::sound
