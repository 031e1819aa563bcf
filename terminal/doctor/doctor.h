// `uketsuke doctor` (issue 16): is this reception PC ready? One check per line — card reader,
// camera, models, qualification service, client certificate, log, result folder, staff file,
// clock, disk — each ok / warn / fail with a detail. The evaluators that turn a measurement into a
// verdict are pure functions (unit-tested); runDoctor() takes the measurements on this machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/config.h"

namespace uketsuke::terminal::doctor {

enum class CheckStatus { kOk, kWarn, kFail };
std::string_view checkStatusName(CheckStatus status);  // "ok", "warn", "fail"

struct CheckResult {
    std::string name;  // "pcscd", "reader", "card", "camera", "models", ...
    CheckStatus status = CheckStatus::kFail;
    std::string detail;
};

struct DoctorReport {
    std::vector<CheckResult> checks;
    // 0 when no check failed (warnings allowed), else 1.
    int exitCode() const;
    const CheckResult* find(std::string_view name) const;
};

// "ok    reader        Virtual PCD 00 00: card present" lines, one per check.
std::string formatText(const DoctorReport& report);
// {"ok": bool, "checks": [{"name", "status", "detail"}...]}
nlohmann::json toJson(const DoctorReport& report);

// --- evaluators (pure) ---

// Client certificate: fail when expired or not yet valid, warn when fewer than warnDays are left.
CheckResult evaluateCertificateExpiry(int daysLeft, bool notYetValid, int warnDays = 30);
// Free space where the log and result files are written.
CheckResult evaluateDiskSpace(std::uint64_t availableBytes, std::uint64_t totalBytes,
                              std::uint64_t failBelowBytes = 100ull << 20,
                              std::uint64_t warnBelowBytes = 1ull << 30);
// Camera: frames read in a measuring window. A live camera below minFps warns (the face check
// needs a steady stream); no frame at all fails.
CheckResult evaluateFrameRate(int frames, double seconds, double minFps = 10.0);
// Camera exposure over the measured frames: mean luma (0-255) and the share of pixels clipped
// at black (< 8) or white (> 247). Too dark or too bright a picture, or much clipping, warns (the
// face check then fails on quality; fix the lighting or the camera's exposure); no frame fails.
struct Exposure {
    int frames = 0;
    double meanLuma = 0.0;
    double clippedShare = 0.0;
};
CheckResult evaluateExposure(const Exposure& e);
// Clock: `now` before the build fails (certificates, log timestamps and result files would be
// wrong); an unsynchronised clock (no NTP) warns; otherwise ok with the estimated error.
struct ClockState {
    std::chrono::system_clock::time_point now;
    std::chrono::system_clock::time_point notBefore;  // the build's date
    bool synchronised = false;
    std::int64_t estimatedErrorUs = 0;
};
CheckResult evaluateClock(const ClockState& state);
// The log's signed checkpoint (log.checkpoint_dir, issue 14): rows written since it and its age.
// More rows behind than `checkpointEvery` means checkpoints stopped being written (the audit
// medium is gone or full): warn, as after a week without any checkpoint while rows were added.
struct CheckpointState {
    std::int64_t logSequence = 0;         // the log's last row
    std::int64_t checkpointSequence = 0;  // the row the checkpoint anchors
    std::int64_t ageSeconds = 0;          // now - written_at
    int checkpointEvery = 1;
};
std::string describeCheckpoint(const CheckpointState& s, bool& lagging);
// Models: each expected file with its pinned SHA-256 against what was measured (empty: missing).
struct ModelDigest {
    std::string file;
    std::string pinnedSha256;
    std::optional<std::string> actualSha256;  // nullopt: missing or unreadable
};
CheckResult evaluateModels(const std::vector<ModelDigest>& models);
// Reader: the configured reader (empty: the session's default, the virtual card's reader) among
// the readers pcscd lists.
CheckResult evaluateReader(const std::string& configured, const std::string& sessionDefault,
                           const std::vector<std::string>& present);

// --- the checks on this machine ---

struct DoctorOptions {
    std::string cameraSpec;  // empty: vision.camera from the configuration, else "camera:0"
    double cameraSeconds = 1.0;
    int certificateWarnDays = 30;
    // The kiosk (staff status screen) owns the camera: it passes its own camera's verdict here
    // and the device is not opened a second time (no "camera-exposure" line then).
    std::optional<CheckResult> cameraFromKiosk;
};

DoctorReport runDoctor(const Config& config, const DoctorOptions& options);

// The models the face engine loads and their pins (models/CMakeLists.txt).
std::vector<ModelDigest> pinnedModels();
// SHA-256 of a file as lowercase hex, nullopt when unreadable.
std::optional<std::string> sha256File(const std::filesystem::path& file);

}  // namespace uketsuke::terminal::doctor
