#include "qml/sound/sound_config.h"

namespace uketsuke::qml::sound {

std::optional<SoundSettings> soundSettings(const nlohmann::json& config,
                                           const std::filesystem::path& base, std::string* error) {
    SoundSettings s;
    if (!config.is_object() || !config.contains("sound"))
        return s;
    auto bad = [&](const std::string& what) -> std::optional<SoundSettings> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    const auto& section = config.at("sound");
    if (!section.is_object())
        return bad("sound must be a JSON object");
    for (const auto& [key, value] : section.items()) {
        if (key == "volume") {
            if (!value.is_number_integer() || value.get<long long>() < 0 ||
                value.get<long long>() > 100)
                return bad("sound.volume must be a whole number from 0 to 100, got " +
                           value.dump());
            s.volume = value.get<int>();
        } else if (key == "muted" || key == "alarm_when_muted") {
            if (!value.is_boolean())
                return bad("sound." + key + " must be true or false");
            (key == "muted" ? s.muted : s.alarmWhenMuted) = value.get<bool>();
        } else if (key == "dir") {
            if (!value.is_string() || value.get<std::string>().empty())
                return bad("sound.dir must be a folder name");
            const std::filesystem::path p(value.get<std::string>());
            s.dir = p.is_absolute() ? p : base / p;
        } else {
            return bad("unknown key sound." + key);
        }
    }
    return s;
}

}  // namespace uketsuke::qml::sound
