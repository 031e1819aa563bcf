// The terminal configuration's vision.embed_every_ms: default, accepted values, refusals with a
// message naming the key, and the live loop's thresholds taken from it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "terminal/config.h"
#ifdef UKETSUKE_TEST_HAVE_VISION
#include "terminal/session/session_adapters.h"
#endif

namespace uketsuke::terminal {
namespace {

class ConfigFile : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("uketsuke-config-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Result<Config, ConfigError> load(const std::string& text) {
        const auto file = dir_ / "uketsuke.json";
        std::ofstream(file) << text;
        return loadConfig(file);
    }
    std::filesystem::path dir_;
};

TEST_F(ConfigFile, EmbedCadenceDefaultsTo250Ms) {
    // Arrange / Act
    auto withoutVision = load(R"({"card": {}})");
    auto withoutKey = load(R"({"vision": {"models_dir": "models"}})");
    // Assert
    ASSERT_TRUE(withoutVision.ok()) << withoutVision.error().message;
    ASSERT_TRUE(withoutKey.ok()) << withoutKey.error().message;
    EXPECT_EQ(withoutVision->vision.embedEveryMs, 250);
    EXPECT_EQ(withoutKey->vision.embedEveryMs, 250);
    EXPECT_EQ(withoutKey->vision.modelsDir, dir_ / "models");
}

TEST_F(ConfigFile, EmbedCadenceInRangeIsTaken) {
    for (int ms : {50, 100, 1000, 2000}) {
        // Act
        auto c = load(R"({"vision": {"embed_every_ms": )" + std::to_string(ms) + "}}");
        // Assert
        ASSERT_TRUE(c.ok()) << ms << ": " << c.error().message;
        EXPECT_EQ(c->vision.embedEveryMs, ms);
    }
}

TEST_F(ConfigFile, EmbedCadenceOutOfRangeOrNotWholeMsIsRefused) {
    for (const char* value :
         {"49", "0", "-250", "2001", "600000", "250.5", "\"250\"", "null", "true", "[250]"}) {
        // Act
        auto c = load(std::string(R"({"vision": {"embed_every_ms": )") + value + "}}");
        // Assert
        ASSERT_FALSE(c.ok()) << value << " was accepted";
        EXPECT_NE(c.error().message.find("vision.embed_every_ms"), std::string::npos)
            << c.error().message;
        EXPECT_NE(c.error().message.find("50 to 2000"), std::string::npos) << c.error().message;
    }
}

#ifdef UKETSUKE_TEST_HAVE_VISION
// The live loop (the session's VisionFacePort) runs the verifier with the configured cadence;
// everything else stays at the calibrated defaults.
TEST_F(ConfigFile, LiveLoopUsesConfiguredCadence) {
    // Arrange
    auto c = load(R"({"vision": {"embed_every_ms": 400}})");
    ASSERT_TRUE(c.ok()) << c.error().message;
    // Act
    const vision::VisionThresholds fromFile = liveLoopThresholds(c->vision);
    const vision::VisionThresholds byDefault = liveLoopThresholds(VisionConfig{});
    // Assert
    EXPECT_EQ(fromFile.verifier.embedEveryMs, 400);
    EXPECT_EQ(byDefault.verifier.embedEveryMs, vision::kDefaultEmbedEveryMs);
    EXPECT_EQ(vision::kDefaultEmbedEveryMs, 250);
    EXPECT_EQ(fromFile.verifier.evidenceWithArcFace.maxFusedDistance,
              vision::VisionThresholds{}.verifier.evidenceWithArcFace.maxFusedDistance);
}
#endif

}  // namespace
}  // namespace uketsuke::terminal
