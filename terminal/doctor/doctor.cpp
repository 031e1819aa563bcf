#include "terminal/doctor/doctor.h"

#include "card/pcsc_reader.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace uketsuke::terminal::doctor {
namespace {

CheckResult result(std::string name, CheckStatus status, std::string detail) {
    return CheckResult{std::move(name), status, std::move(detail)};
}

std::string megabytes(std::uint64_t bytes) {
    char buf[64];
    if (bytes >= (10ull << 30))
        std::snprintf(buf, sizeof buf, "%.0f GB", static_cast<double>(bytes) / (1ull << 30));
    else if (bytes >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / (1ull << 30));
    else
        std::snprintf(buf, sizeof buf, "%.0f MB", static_cast<double>(bytes) / (1ull << 20));
    return buf;
}

}  // namespace

std::string_view checkStatusName(CheckStatus status) {
    switch (status) {
        case CheckStatus::kOk:
            return "ok";
        case CheckStatus::kWarn:
            return "warn";
        case CheckStatus::kFail:
            return "fail";
    }
    return "fail";
}

int DoctorReport::exitCode() const {
    return std::any_of(checks.begin(), checks.end(),
                       [](const CheckResult& c) { return c.status == CheckStatus::kFail; })
               ? 1
               : 0;
}

const CheckResult* DoctorReport::find(std::string_view name) const {
    for (const auto& c : checks)
        if (c.name == name)
            return &c;
    return nullptr;
}

std::string formatText(const DoctorReport& report) {
    std::ostringstream out;
    for (const auto& c : report.checks) {
        char head[64];
        std::snprintf(head, sizeof head, "%-5s %-19s ",
                      std::string(checkStatusName(c.status)).c_str(), c.name.c_str());
        out << head << c.detail << "\n";
    }
    return out.str();
}

nlohmann::json toJson(const DoctorReport& report) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : report.checks)
        checks.push_back({{"name", c.name},
                          {"status", std::string(checkStatusName(c.status))},
                          {"detail", c.detail}});
    return {{"ok", report.exitCode() == 0}, {"checks", checks}};
}

CheckResult evaluateCertificateExpiry(int daysLeft, bool notYetValid, int warnDays) {
    const std::string name = "client-certificate";
    if (notYetValid)
        return result(name, CheckStatus::kFail, "not yet valid (check the clock)");
    if (daysLeft < 0)
        return result(name, CheckStatus::kFail,
                      "expired " + std::to_string(-daysLeft) + " days ago: renew it");
    const std::string left =
        std::to_string(daysLeft) + (daysLeft == 1 ? " day" : " days") + " left";
    if (daysLeft < warnDays)
        return result(name, CheckStatus::kWarn, left + ": renew it soon");
    return result(name, CheckStatus::kOk, left);
}

CheckResult evaluateDiskSpace(std::uint64_t availableBytes, std::uint64_t totalBytes,
                              std::uint64_t failBelowBytes, std::uint64_t warnBelowBytes) {
    const std::string detail = megabytes(availableBytes) + " free of " + megabytes(totalBytes);
    if (availableBytes < failBelowBytes)
        return result("disk", CheckStatus::kFail,
                      detail + " (needs " + megabytes(failBelowBytes) + ")");
    if (availableBytes < warnBelowBytes)
        return result("disk", CheckStatus::kWarn, detail + " (low)");
    return result("disk", CheckStatus::kOk, detail);
}

CheckResult evaluateFrameRate(int frames, double seconds, double minFps) {
    if (frames <= 0)
        return result("camera", CheckStatus::kFail, "opened but delivered no frame");
    const double fps = seconds > 0 ? frames / seconds : 0.0;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%d frames in %.2f s (%.1f fps)", frames, seconds, fps);
    if (fps < minFps)
        return result(
            "camera", CheckStatus::kWarn,
            std::string(buf) + ", below " + std::to_string(static_cast<int>(minFps)) + " fps");
    return result("camera", CheckStatus::kOk, buf);
}

std::string describeCheckpoint(const CheckpointState& s, bool& lagging) {
    const std::int64_t behind = s.logSequence - s.checkpointSequence;
    lagging = behind > s.checkpointEvery || (behind > 0 && s.ageSeconds > std::int64_t{7} * 86400);
    char buf[160];
    const double hours = static_cast<double>(s.ageSeconds) / 3600.0;
    std::snprintf(buf, sizeof buf, "checkpoint at row %lld, %.1f h old, %lld row%s behind",
                  static_cast<long long>(s.checkpointSequence), hours,
                  static_cast<long long>(behind), behind == 1 ? "" : "s");
    return std::string(buf) +
           (lagging ? ": checkpoints are not being written (audit medium?)" : "");
}

CheckResult evaluateExposure(const Exposure& e) {
    if (e.frames <= 0)
        return result("camera-exposure", CheckStatus::kFail, "no frame to measure");
    char buf[128];
    std::snprintf(buf, sizeof buf, "mean luma %.0f of 255, %.1f %% of pixels clipped", e.meanLuma,
                  100.0 * e.clippedShare);
    std::string detail = buf;
    if (e.meanLuma < 50.0)
        return result("camera-exposure", CheckStatus::kWarn, detail + ": too dark");
    if (e.meanLuma > 205.0)
        return result("camera-exposure", CheckStatus::kWarn, detail + ": too bright");
    if (e.clippedShare > 0.15)
        return result("camera-exposure", CheckStatus::kWarn,
                      detail + ": too much clipped (backlight or exposure)");
    return result("camera-exposure", CheckStatus::kOk, detail);
}

CheckResult evaluateClock(const ClockState& s) {
    if (s.now < s.notBefore)
        return result("clock", CheckStatus::kFail,
                      "the clock is before this build's date: set the time (certificates, log and "
                      "result files depend on it)");
    if (!s.synchronised)
        return result("clock", CheckStatus::kWarn,
                      "not synchronised (no NTP): enable systemd-timesyncd or chrony");
    return result(
        "clock", CheckStatus::kOk,
        "synchronised, estimated error " + std::to_string(s.estimatedErrorUs / 1000) + " ms");
}

CheckResult evaluateModels(const std::vector<ModelDigest>& models) {
    if (models.empty())
        return result("models", CheckStatus::kFail, "no model is pinned in this build");
    std::string bad;
    for (const auto& m : models) {
        if (!m.actualSha256)
            bad += (bad.empty() ? "" : "; ") + m.file + " missing";
        else if (*m.actualSha256 != m.pinnedSha256)
            bad += (bad.empty() ? "" : "; ") + m.file + " SHA-256 " +
                   m.actualSha256->substr(0, 12) + "… is not the pinned " +
                   m.pinnedSha256.substr(0, 12) + "…";
    }
    if (!bad.empty())
        return result("models", CheckStatus::kFail, bad);
    return result("models", CheckStatus::kOk,
                  std::to_string(models.size()) + " files match their pinned SHA-256");
}

CheckResult evaluateReader(const std::string& configured, const std::string& sessionDefault,
                           const std::vector<std::string>& present) {
    const std::string wanted = configured.empty() ? sessionDefault : configured;
    std::string list;
    for (const auto& r : present)
        list += (list.empty() ? "" : ", ") + ("'" + r + "'");
    if (present.empty())
        return result("reader", CheckStatus::kFail,
                      "pcscd lists no reader: plug in the card reader");
    const auto match = std::find_if(present.begin(), present.end(), [&](const std::string& r) {
        return card::readerMatches(wanted, r);
    });
    if (match == present.end()) {
        std::string why = configured.empty()
                              ? "card.reader is not set, so the terminal uses '" + wanted + "'"
                              : "the configured reader '" + wanted + "' is not connected";
        return result("reader", CheckStatus::kFail, why + "; readers present: " + list);
    }
    const std::string chosen =
        *match == wanted ? "'" + wanted + "'" : "'" + *match + "' (matches '" + wanted + "')";
    return result("reader", CheckStatus::kOk,
                  chosen + (configured.empty() ? " (card.reader unset: default)" : "") +
                      (present.size() > 1 ? "; also present: " + list : ""));
}

}  // namespace uketsuke::terminal::doctor
