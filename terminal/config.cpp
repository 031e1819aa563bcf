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
            if (v.contains("embed_every_ms")) {
                const auto& e = v.at("embed_every_ms");
                const std::int64_t lo = VisionConfig::kMinEmbedEveryMs;
                const std::int64_t hi = VisionConfig::kMaxEmbedEveryMs;
                if (!e.is_number_integer() || e.get<std::int64_t>() < lo ||
                    e.get<std::int64_t>() > hi) {
                    return fail(ConfigError{
                        "vision.embed_every_ms must be a whole number of "
                        "milliseconds from " +
                        std::to_string(lo) + " to " + std::to_string(hi) + ", got " + e.dump()});
                }
                config.vision.embedEveryMs = e.get<std::int64_t>();
            }
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(ConfigError{"configuration " + file.string() + ": " + e.what()});
    }
    return config;
}

}  // namespace uketsuke::terminal
