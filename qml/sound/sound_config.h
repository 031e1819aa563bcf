// The configuration's "sound" section (issue 17), checked key by key like the card and vision
// sections (terminal/config.cpp): an unknown key, a wrong type or a value out of range refuses
// the start with the key's name.
//
//   "sound": {"volume": 70, "muted": false, "alarm_when_muted": true, "dir": "/usr/share/..."}
//
// volume 0..100 (a perceptual scale), muted silences voice and chimes, alarm_when_muted keeps the
// card-left-behind alarm's beep audible while muted, dir (optional) is the folder of rendered
// prompts (default: next to the program, see SoundPlayer::defaultDir). No Qt.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace uketsuke::qml::sound {

struct SoundSettings {
    static constexpr int kDefaultVolume = 70;
    std::filesystem::path dir;  // empty: the default folder
    int volume = kDefaultVolume;
    bool muted = false;
    bool alarmWhenMuted = true;
};

// `config` is the whole configuration document; a missing section gives the defaults. Relative
// paths resolve against `base` (the configuration file's folder). nullopt and `*error` set when
// the section is not valid.
std::optional<SoundSettings> soundSettings(const nlohmann::json& config,
                                           const std::filesystem::path& base, std::string* error);

}  // namespace uketsuke::qml::sound
