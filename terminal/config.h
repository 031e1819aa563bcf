// Terminal configuration: one JSON file, one section per module. Unknown keys are rejected so
// that a typo in a clinic's configuration is an error at start-up, not a silent default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/qualification/terminal_key.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

struct CardConfig {
    std::string reader;                         // empty: first reader with a card
    std::filesystem::path trustStore;           // PEM bundle of JPKI auth roots
    std::filesystem::path kenmenCvcaPublicKey;  // 券面AP CV-CA public key (PEM)
    bool rejectTestIssuer = true;               // refuse O=JPKI-TEST certificates (production)
};

// How the terminal's camera is used (issue 13 item 6).
enum class CameraMode {
    kLive,       // a camera (or a recording standing in for one): every presentation is assessed
    kDemoStill,  // demo only: a still photo of the holder is the camera, judged without liveness;
                 // refused by a production configuration (card.reject_test_issuer true)
};

struct VisionConfig {
    std::filesystem::path modelsDir;
    // vision.embed_every_ms: the live loop embeds a motionless face again after this long (it
    // embeds sooner when the face moved or changed). 250 ms matches the calibration's sequence
    // simulation (docs/calibration.md §8); allowed kMinEmbedEveryMs..kMaxEmbedEveryMs.
    static constexpr std::int64_t kDefaultEmbedEveryMs = 250;  // = vision::kDefaultEmbedEveryMs
    static constexpr std::int64_t kMinEmbedEveryMs = 50;
    static constexpr std::int64_t kMaxEmbedEveryMs = 2000;
    std::int64_t embedEveryMs = kDefaultEmbedEveryMs;
    CameraMode cameraMode = CameraMode::kLive;  // "camera_mode": "live" | "demo-still"
    // "challenge": "when-unsure" (default) | "always": when the active challenge runs.
    bool challengeAlways = false;
    // "camera_mirrored": the camera delivers mirrored (selfie-view) frames; the challenge's
    // left/right is flipped accordingly (never guessed).
    bool cameraMirrored = false;
};

struct Config {
    CardConfig card;
    VisionConfig vision;
    nlohmann::json raw;          // the whole document, for sections owned by other modules
    std::filesystem::path file;  // where it was loaded from (relative paths resolve against it)
};

struct ConfigError {
    std::string message;
};

// The terminal key named by the "qualification" section (issue 16): `client_key` (path, or a TPM
// handle "handle:0x…"), `key_store` ("tpm2" or "file", default "file"), `tpm2_tcti`, and
// `insecure_file_key`, without which a plain file key is refused (tests and demos only).
struct TerminalKeyChoice {
    TerminalKeySpec spec;
    bool insecureFileKey = false;
};
Result<TerminalKeyChoice, ConfigError> terminalKeyChoice(const Config& config);

// Loads and validates a configuration file. Relative paths are resolved against the file's folder.
Result<Config, ConfigError> loadConfig(const std::filesystem::path& file);

}  // namespace uketsuke::terminal
