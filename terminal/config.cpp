#include "terminal/config.h"

#include <fstream>
#include <optional>
#include <string_view>
#include <utility>

#include "terminal/json_input.h"

namespace uketsuke::terminal {
namespace {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    if (value.empty())
        return {};
    std::filesystem::path p(value);
    return p.is_absolute() ? p : base / p;
}

constexpr std::size_t kMaxReaderNameBytes = 256;  // PC/SC names are far shorter

bool hasControlCharacter(const std::string& s) {
    for (unsigned char ch : s) {
        if (ch < 0x20 || ch == 0x7f)
            return true;
    }
    return false;
}

// The camera: "camera:N", "camera:/dev/…", "camera:by-id:TEXT", "images:PATH" or a file path
// (checked for shape here; whether it opens is the camera check of `uketsuke doctor`).
bool validCameraSpec(const std::string& spec) {
    if (spec.empty() || hasControlCharacter(spec))
        return false;
    constexpr std::string_view kCamera = "camera:";
    if (spec.rfind(kCamera, 0) == 0) {
        const std::string index = spec.substr(kCamera.size());
        // A device path (/dev/v4l/by-id/…, stable across reboots) or "by-id:TEXT" (issue 16).
        if (index.rfind("/dev/", 0) == 0)
            return index.size() > 5;
        if (index.rfind("by-id:", 0) == 0)
            return index.size() > 6 && index.find('/') == std::string::npos;
        if (index.empty() || index.size() > 2)
            return false;
        for (char ch : index) {
            if (ch < '0' || ch > '9')
                return false;
        }
        return std::stoi(index) <= 63;
    }
    constexpr std::string_view kImages = "images:";
    if (spec.rfind(kImages, 0) == 0)
        return spec.size() > kImages.size();
    return true;
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
    // The card and vision sections are checked key by key at start-up (issue 14): an unknown key,
    // a wrong type or a malformed value refuses the start with the key's name. Whether the files
    // named are there is checked where they are used (session start-up, `uketsuke doctor`).
    auto bad = [&](const std::string& key, const std::string& what) {
        return fail(ConfigError{"configuration " + file.string() + ": " + key + " " + what});
    };
    if (config.raw.contains("card")) {
        const auto& c = config.raw.at("card");
        if (!c.is_object())
            return bad("card", "must be a JSON object");
        for (const auto& [key, v] : c.items()) {
            if (key == "reject_test_issuer") {
                if (!v.is_boolean())
                    return bad("card." + key, "must be true or false");
                continue;
            }
            if (key != "reader" && key != "trust_store" && key != "kenmen_cvca_public_key")
                return fail(ConfigError{"unknown key card." + key});
            if (!v.is_string())
                return bad("card." + key, "must be a string");
        }
        config.card.reader = c.value("reader", "");
        if (config.card.reader.size() > kMaxReaderNameBytes ||
            hasControlCharacter(config.card.reader))
            return bad("card.reader", "must be a reader name of at most " +
                                          std::to_string(kMaxReaderNameBytes) +
                                          " bytes without control characters");
        config.card.trustStore = resolve(base, c.value("trust_store", ""));
        config.card.kenmenCvcaPublicKey = resolve(base, c.value("kenmen_cvca_public_key", ""));
        config.card.rejectTestIssuer = c.value("reject_test_issuer", true);
    }
    if (config.raw.contains("vision")) {
        const auto& v = config.raw.at("vision");
        if (!v.is_object())
            return bad("vision", "must be a JSON object");
        for (const auto& [key, value] : v.items()) {
            if (key == "embed_every_ms") {
                // The live loop's embed cadence (terminal/config.h), whole milliseconds.
                const std::int64_t lo = VisionConfig::kMinEmbedEveryMs;
                const std::int64_t hi = VisionConfig::kMaxEmbedEveryMs;
                if (!value.is_number_integer() || value.get<std::int64_t>() < lo ||
                    value.get<std::int64_t>() > hi)
                    return bad("vision.embed_every_ms",
                               "must be a whole number of milliseconds from " + std::to_string(lo) +
                                   " to " + std::to_string(hi) + ", got " + value.dump());
                config.vision.embedEveryMs = value.get<std::int64_t>();
                continue;
            }
            if (key == "camera_mirrored") {
                if (!value.is_boolean())
                    return bad("vision.camera_mirrored", "must be true or false");
                continue;
            }
            if (key != "models_dir" && key != "camera" && key != "camera_mode" &&
                key != "challenge")
                return fail(ConfigError{"unknown key vision." + key});
            if (!value.is_string())
                return bad("vision." + key, "must be a string");
        }
        config.vision.modelsDir = resolve(base, v.value("models_dir", ""));
        const std::string camera = v.value("camera", "");
        if (v.contains("camera") && !validCameraSpec(camera))
            return bad("vision.camera",
                       "must be \"camera:N\" (N 0..63), \"camera:/dev/v4l/by-id/...\", "
                       "\"camera:by-id:TEXT\", \"images:PATH\" or a file path");
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
    return config;
}

Result<TerminalKeyChoice, ConfigError> terminalKeyChoice(const Config& config) {
    if (!config.raw.contains("qualification") || !config.raw.at("qualification").is_object())
        return fail(ConfigError{"configuration has no \"qualification\" section"});
    const auto& q = config.raw.at("qualification");
    auto text = [&](const char* key) -> std::optional<std::string> {
        if (!q.contains(key))
            return std::string();
        if (!q.at(key).is_string())
            return std::nullopt;
        return q.at(key).get<std::string>();
    };
    const auto location = text("client_key");
    const auto store = text("key_store");
    const auto tcti = text("tpm2_tcti");
    if (!location || location->empty())
        return fail(ConfigError{"qualification.client_key must name the terminal key"});
    if (!store || !tcti)
        return fail(ConfigError{"qualification.key_store and tpm2_tcti must be strings"});
    if (q.contains("insecure_file_key") && !q.at("insecure_file_key").is_boolean())
        return fail(ConfigError{"qualification.insecure_file_key must be true or false"});
    TerminalKeyChoice choice;
    choice.insecureFileKey = q.value("insecure_file_key", false);
    if (store->empty() || *store == "file") {
        choice.spec.store = KeyStore::kFile;
    } else if (*store == "tpm2") {
        choice.spec.store = KeyStore::kTpm2;
    } else {
        return fail(ConfigError{"qualification.key_store must be \"tpm2\" or \"file\""});
    }
    const bool handle = location->rfind("handle:", 0) == 0;
    choice.spec.location =
        handle ? *location : resolve(config.file.parent_path(), *location).string();
    choice.spec.tpm2Tcti = *tcti;
    if (choice.spec.store == KeyStore::kFile && !choice.insecureFileKey)
        return fail(ConfigError{
            "qualification.client_key is a plain key file that anyone who copies it can use: keep "
            "the terminal key in the TPM (key_store \"tpm2\"), or set insecure_file_key: true "
            "(tests and demonstrations only)"});
    return choice;
}

}  // namespace uketsuke::terminal
