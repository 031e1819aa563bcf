// Terminal configuration: one JSON file, one section per module. Unknown keys are rejected so
// that a typo in a clinic's configuration is an error at start-up, not a silent default.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

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
    kDemoStill,  // demo only: a still persona photo is the camera, judged without liveness;
                 // refused by a production configuration (card.reject_test_issuer true)
};

struct VisionConfig {
    std::filesystem::path modelsDir;
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

// Loads and validates a configuration file. Relative paths are resolved against the file's folder.
Result<Config, ConfigError> loadConfig(const std::filesystem::path& file);

}  // namespace uketsuke::terminal
