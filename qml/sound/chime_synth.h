// Chimes synthesised at build time (no recorded sound is shipped): each note a sine with two
// soft overtones under a short attack and an exponential decay. No Qt.
#pragma once

#include "qml/sound/guidance_table.h"
#include "qml/sound/wav.h"

namespace uketsuke::qml::sound {

inline constexpr int kChimeSampleRate = 48000;

Pcm16 synthesiseChime(const ChimeSpec& spec, int sampleRate = kChimeSampleRate);

}  // namespace uketsuke::qml::sound
