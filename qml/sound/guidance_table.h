// The spoken guidance of the kiosk (issue 17 "voice and sound"): one row per guidance code with
// the words spoken in Japanese and English, and the synthesised chimes. No Qt: the build-time
// renderer (render_main.cpp) and the player (sound_player.h) share this table, and the test
// walks it to check every code has a rendered prompt in both languages.
//
// Spoken text is written for the ear, not copied from the screen: whole sentences, no symbols,
// "職員による確認" rather than "目視". A row's `attention` flag plays the attention chime first
// (a change the patient must notice: a fallback, a warning, an ending that needs staff).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace uketsuke::qml::sound {

struct GuidanceEntry {
    const char* code;  // file stem: <dir>/<lang>/<code>.wav
    const char* ja;
    const char* en;
    bool attention;
};

std::span<const GuidanceEntry> guidanceTable();
// The row for `code`, or nullptr.
const GuidanceEntry* findGuidance(std::string_view code);

// Synthesised chimes (chime_synth.h): <dir>/chime/<name>.wav.
struct ChimeSpec {
    const char* name;
    // Up to four notes played one after the other, each a decaying sine with two overtones.
    double notesHz[4];
    int noteCount;
    int noteMs;  // length of each note (the last one rings out over `tailMs` more)
    int tailMs;
    double level;  // peak amplitude, 0..1
};

std::span<const ChimeSpec> chimeTable();
const ChimeSpec* findChime(std::string_view name);

inline constexpr const char* kAttentionChime = "attention";
inline constexpr const char* kAlarmChime = "alarm";
inline constexpr const char* kStationCallChime = "station_call";
inline constexpr const char* kCardLeftAlarmCode = "card_left_alarm";
// The card-left-behind beep's volume when the volume setting is 0 (it is silenced only by
// sound.alarm_when_muted false).
inline constexpr int kDefaultAlarmVolume = 50;

// The languages every prompt is rendered in.
inline constexpr const char* kLanguages[] = {"ja", "en"};

}  // namespace uketsuke::qml::sound
