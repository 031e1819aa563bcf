#include "terminal/config.h"

#include <fstream>

#include "terminal/json_input.h"

namespace uketsuke::terminal {
namespace {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    if (value.empty())
        return {};
    std::filesystem::path p(value);
    return p.is_absolute() ? p : base / p;
}

}  // namespace

Result<Config, ConfigError> loadConfig(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail(ConfigError{"cannot open configuration file " + file.string()});
    Config config;
    config.file = file;
    auto parsed = parseJsonBounded(in);
    if (!parsed)
        return fail(ConfigError{"configuration " + file.string() +
                                " is not valid JSON: " + parsed.error()});
    config.raw = std::move(parsed).takeValue();
    if (!config.raw.is_object())
        return fail(ConfigError{"configuration " + file.string() + " must be a JSON object"});
    const auto base = file.parent_path();
    try {
        if (config.raw.contains("card")) {
            const auto& c = config.raw.at("card");
            for (const auto& [key, _] : c.items()) {
                if (key != "reader" && key != "trust_store" && key != "kenmen_cvca_public_key" &&
                    key != "reject_test_issuer") {
                    return fail(ConfigError{"unknown key card." + key});
                }
            }
            config.card.reader = c.value("reader", "");
            config.card.trustStore = resolve(base, c.value("trust_store", ""));
            config.card.kenmenCvcaPublicKey = resolve(base, c.value("kenmen_cvca_public_key", ""));
            config.card.rejectTestIssuer = c.value("reject_test_issuer", true);
        }
        if (config.raw.contains("vision")) {
            const auto& v = config.raw.at("vision");
            config.vision.modelsDir = resolve(base, v.value("models_dir", ""));
            const std::string mode = v.value("camera_mode", "live");
            if (mode == "demo-still") {
                config.vision.cameraMode = CameraMode::kDemoStill;
            } else if (mode != "live") {
                return fail(ConfigError{"vision.camera_mode must be \"live\" or \"demo-still\""});
            }
            const std::string challenge = v.value("challenge", "when-unsure");
            if (challenge != "when-unsure" && challenge != "always")
                return fail(ConfigError{"vision.challenge must be \"when-unsure\" or \"always\""});
            config.vision.challengeAlways = challenge == "always";
            config.vision.cameraMirrored = v.value("camera_mirrored", false);
        }
        // The demo camera is an attack too (issue 13 item 6): a still photo that skips liveness
        // is never allowed where the terminal serves real cards.
        if (config.vision.cameraMode == CameraMode::kDemoStill && config.card.rejectTestIssuer)
            return fail(ConfigError{
                "vision.camera_mode \"demo-still\" (a still photo as the camera, judged without "
                "liveness) is refused by a production configuration (card.reject_test_issuer is "
                "true); it is for the demo only"});
    } catch (const nlohmann::json::exception& e) {
        return fail(ConfigError{"configuration " + file.string() + ": " + e.what()});
    }
    return config;
}

}  // namespace uketsuke::terminal
