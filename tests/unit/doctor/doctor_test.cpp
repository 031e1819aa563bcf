// The verdicts of `uketsuke doctor` (terminal/doctor/doctor.h): each evaluator turns a measurement
// into ok / warn / fail at its documented limits; the report's exit code and JSON.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>

#include "card/pcsc_reader.h"
#include "terminal/doctor/doctor.h"

namespace uketsuke::terminal::doctor {
namespace {

using namespace std::chrono_literals;

TEST(DoctorCertificate, ExpiredNotYetValidSoonAndFine) {
    EXPECT_EQ(evaluateCertificateExpiry(-3, false).status, CheckStatus::kFail);
    EXPECT_NE(evaluateCertificateExpiry(-3, false).detail.find("expired 3 days ago"),
              std::string::npos);
    EXPECT_EQ(evaluateCertificateExpiry(400, true).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateCertificateExpiry(0, false).status, CheckStatus::kWarn);
    EXPECT_EQ(evaluateCertificateExpiry(29, false).status, CheckStatus::kWarn);
    EXPECT_EQ(evaluateCertificateExpiry(30, false).status, CheckStatus::kOk);
    EXPECT_EQ(evaluateCertificateExpiry(364, false).detail, "364 days left");
    EXPECT_EQ(evaluateCertificateExpiry(10, false, 7).status, CheckStatus::kOk);
}

TEST(DoctorDisk, Thresholds) {
    const std::uint64_t mb = 1ull << 20, gb = 1ull << 30;
    EXPECT_EQ(evaluateDiskSpace(50 * mb, 100 * gb).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateDiskSpace(500 * mb, 100 * gb).status, CheckStatus::kWarn);
    EXPECT_EQ(evaluateDiskSpace(20 * gb, 100 * gb).status, CheckStatus::kOk);
    EXPECT_EQ(evaluateDiskSpace(20 * gb, 100 * gb).detail, "20 GB free of 100 GB");
}

TEST(DoctorCamera, FrameRate) {
    EXPECT_EQ(evaluateFrameRate(0, 1.0).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateFrameRate(5, 1.0).status, CheckStatus::kWarn);
    const auto ok = evaluateFrameRate(30, 1.0);
    EXPECT_EQ(ok.status, CheckStatus::kOk);
    EXPECT_NE(ok.detail.find("30.0 fps"), std::string::npos) << ok.detail;
}

TEST(DoctorClock, BeforeBuildUnsynchronisedSynchronised) {
    ClockState s;
    s.notBefore = std::chrono::system_clock::time_point(std::chrono::seconds(1'780'000'000));
    s.now = s.notBefore - 24h;
    s.synchronised = true;
    EXPECT_EQ(evaluateClock(s).status, CheckStatus::kFail);
    s.now = s.notBefore + 24h;
    EXPECT_EQ(evaluateClock(s).status, CheckStatus::kOk);
    s.synchronised = false;
    EXPECT_EQ(evaluateClock(s).status, CheckStatus::kWarn);
}

TEST(DoctorModels, MissingAndMismatchedFail) {
    std::vector<ModelDigest> models{{"a.dat", "aa11", std::string("aa11")},
                                    {"b.dat", "bb22", std::string("bb22")}};
    EXPECT_EQ(evaluateModels(models).status, CheckStatus::kOk);
    models[1].actualSha256 = std::nullopt;
    auto missing = evaluateModels(models);
    EXPECT_EQ(missing.status, CheckStatus::kFail);
    EXPECT_NE(missing.detail.find("b.dat missing"), std::string::npos);
    models[1].actualSha256 = "ffff";
    EXPECT_EQ(evaluateModels(models).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateModels({}).status, CheckStatus::kFail);
}

TEST(DoctorModels, Sha256OfAFileAndTheRealPins) {
    const auto file = std::filesystem::temp_directory_path() / "uketsuke-doctor-sha.txt";
    std::ofstream(file) << "abc";
    EXPECT_EQ(sha256File(file).value_or(""),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::filesystem::remove(file);
    EXPECT_FALSE(sha256File(file));
    for (const auto& m : pinnedModels())
        EXPECT_EQ(m.pinnedSha256.size(), 64u) << m.file;
#ifdef UKETSUKE_BUILD_DIR
    // The build's models match the pins doctor checks against.
    for (const auto& m : pinnedModels())
        EXPECT_EQ(
            sha256File(std::filesystem::path(UKETSUKE_BUILD_DIR) / "models" / m.file).value_or(""),
            m.pinnedSha256)
            << m.file;
#endif
}

TEST(DoctorReader, DefaultConfiguredMissing) {
    EXPECT_EQ(evaluateReader("", "Virtual PCD 00 00", {}).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateReader("", "Virtual PCD 00 00", {"Virtual PCD 00 00"}).status,
              CheckStatus::kOk);
    const auto unset = evaluateReader("", "Virtual PCD 00 00", {"SONY FeliCa RC-S380/P"});
    EXPECT_EQ(unset.status, CheckStatus::kFail);
    EXPECT_NE(unset.detail.find("card.reader is not set"), std::string::npos);
    EXPECT_NE(unset.detail.find("RC-S380"), std::string::npos);
    EXPECT_EQ(evaluateReader("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00", "x",
                             {"ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00"})
                  .status,
              CheckStatus::kOk);
    EXPECT_EQ(evaluateReader("Gone 00 00", "x", {"Other 00 00"}).status, CheckStatus::kFail);
    // Issue 16: a reader chosen by name pattern (the suffix changes with the USB port).
    const auto pattern = evaluateReader("SONY FeliCa RC-S380*", "x",
                                        {"Virtual PCD 00 00", "SONY FeliCa RC-S380/P 01 00"});
    EXPECT_EQ(pattern.status, CheckStatus::kOk);
    EXPECT_NE(pattern.detail.find("'SONY FeliCa RC-S380/P 01 00' (matches"), std::string::npos)
        << pattern.detail;
    EXPECT_EQ(evaluateReader("SONY*", "x", {"Virtual PCD 00 00"}).status, CheckStatus::kFail);
}

TEST(DoctorCamera, ExposureVerdicts) {
    EXPECT_EQ(evaluateExposure({0, 0.0, 0.0}).status, CheckStatus::kFail);
    EXPECT_EQ(evaluateExposure({30, 120.0, 0.01}).status, CheckStatus::kOk);
    EXPECT_EQ(evaluateExposure({30, 35.0, 0.02}).status, CheckStatus::kWarn);
    EXPECT_NE(evaluateExposure({30, 35.0, 0.02}).detail.find("too dark"), std::string::npos);
    EXPECT_NE(evaluateExposure({30, 230.0, 0.02}).detail.find("too bright"), std::string::npos);
    EXPECT_NE(evaluateExposure({30, 128.0, 0.30}).detail.find("clipped"), std::string::npos);
}

TEST(DoctorLog, CheckpointAgeAndLag) {
    bool lagging = true;
    auto text = describeCheckpoint({42, 42, 3600, 1}, lagging);
    EXPECT_FALSE(lagging);
    EXPECT_NE(text.find("row 42, 1.0 h old, 0 rows behind"), std::string::npos) << text;
    describeCheckpoint({45, 42, 60, 1}, lagging);  // 3 rows since: checkpoints stopped
    EXPECT_TRUE(lagging);
    describeCheckpoint({45, 42, 60, 10}, lagging);  // every 10 rows: 3 behind is normal
    EXPECT_FALSE(lagging);
    describeCheckpoint({43, 42, 8 * 86400, 10}, lagging);  // a row added, a week without one
    EXPECT_TRUE(lagging);
}

TEST(ReaderMatches, ExactNamesPatternsAndBrackets) {
    using card::readerMatches;
    EXPECT_TRUE(readerMatches("", "anything"));
    EXPECT_TRUE(readerMatches("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00",
                              "ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00"));
    EXPECT_TRUE(readerMatches("ACS ACR1252*[ACR1252 Dual Reader PICC]*",
                              "ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 01 00"));
    EXPECT_FALSE(readerMatches("ACS ACR1252*[ACR1252 Dual Reader PICC]*",
                               "ACS ACR1252 1S CL Reader [ACR1252 Dual Reader SAM] 00 00"));
    EXPECT_TRUE(readerMatches("Virtual PCD 00 0?", "Virtual PCD 00 01"));
    EXPECT_FALSE(readerMatches("Virtual PCD 00 0?", "Virtual PCD 2 00 01"));
    EXPECT_TRUE(readerMatches("*", "SONY FeliCa RC-S300/P 00 00"));
    EXPECT_FALSE(readerMatches("SONY", "SONY FeliCa RC-S300/P 00 00"));  // not a prefix match
}

TEST(DoctorReport, ExitCodeTextAndJson) {
    DoctorReport report;
    report.checks = {{"pcscd", CheckStatus::kOk, "reachable"}, {"clock", CheckStatus::kWarn, "x"}};
    EXPECT_EQ(report.exitCode(), 0);
    EXPECT_EQ(toJson(report)["ok"], true);
    report.checks.push_back({"disk", CheckStatus::kFail, "full"});
    EXPECT_EQ(report.exitCode(), 1);
    const auto json = toJson(report);
    EXPECT_EQ(json["ok"], false);
    ASSERT_EQ(json["checks"].size(), 3u);
    EXPECT_EQ(json["checks"][2]["status"], "fail");
    EXPECT_EQ(json["checks"][2]["name"], "disk");
    const auto text = formatText(report);
    EXPECT_NE(text.find("fail  disk"), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
    ASSERT_NE(report.find("clock"), nullptr);
    EXPECT_EQ(report.find("camera"), nullptr);
}

}  // namespace
}  // namespace uketsuke::terminal::doctor
