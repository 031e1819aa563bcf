// bench_session (issue 4 acceptance): runs N scripted sessions and reports the median and p95
// terminal time per session, with a breakdown by phase. Terminal time is the time spent inside
// the session controller's handlers (card I/O, face decision, service round trip, result file,
// log append); the scripted patient's pauses and the virtual card's insertion are excluded.
// Needs the services running: scripts/services.sh start BUILD and
// scripts/qualification-service.sh start BUILD.
//   bench_session --config BUILD/uketsuke-demo.json [-n 20] [--script FILE]...
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sim/harness/script_runner.h"
#include "terminal/config.h"

namespace {

using nlohmann::json;

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_session: terminal time per scripted confirmation session"};
    std::string configPath;
    int n = 20;
    std::vector<std::string> scriptFiles;
    app.add_option("--config", configPath, "terminal configuration (uketsuke-demo.json)")
        ->required();
    app.add_option("-n", n, "sessions per script");
    app.add_option("--script", scriptFiles,
                   "session scripts (default: PIN (normal) and face (normal))");
    CLI11_PARSE(app, argc, argv);

    auto config = uketsuke::terminal::loadConfig(configPath);
    if (!config) {
        std::cerr << "bench_session: " << config.error().message << "\n";
        return 2;
    }
    std::vector<std::pair<std::string, json>> scripts;
    for (const auto& f : scriptFiles) {
        std::ifstream in(f);
        scripts.emplace_back(f, json::parse(in));
    }
    if (scripts.empty()) {
        scripts.emplace_back("pin", json{{"persona", "normal"},
                                         {"methods", json::array({"pin"})},
                                         {"pins", json::array({"1234"})},
                                         {"pauses", {{"pin-entry", 200}}}});
        scripts.emplace_back("face", json{{"persona", "normal"},
                                          {"methods", json::array({"face"})},
                                          {"face_live", "persona-photo:normal"}});
    }
    auto env = uketsuke::sim::ScriptRunner::create(config.value());
    if (!env) {
        std::cerr << "bench_session: " << env.error() << "\n";
        return 1;
    }
    std::cout << "script   n   median_ms   p95_ms   outcome   phases(median ms)\n";
    for (auto& [name, script] : scripts) {
        std::vector<double> totals;
        std::map<std::string, std::vector<double>> phases;
        std::string outcome;
        for (int i = 0; i < n; ++i) {
            auto report = env.value()->run(script);
            if (!report) {
                std::cerr << "bench_session: " << report.error() << "\n";
                return 1;
            }
            outcome = report->at("outcome").get<std::string>();
            if (outcome != "confirmed")
                outcome += "(" + report->at("failure_reason").get<std::string>() + ")";
            totals.push_back(report->at("terminal_ms").get<double>());
            for (const auto& [phase, us] : report->at("phase_us").items())
                phases[phase].push_back(us.get<double>() / 1000.0);
        }
        std::cout << name << "   " << n << "   " << percentile(totals, 0.5) << "   "
                  << percentile(totals, 0.95) << "   " << outcome << "  ";
        for (const auto& [phase, values] : phases)
            std::cout << " " << phase << "=" << percentile(values, 0.5);
        std::cout << "\n";
    }
    return 0;
}
