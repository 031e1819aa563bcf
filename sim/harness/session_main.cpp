// uketsuke-session: the scripted-patient harness as a command (`uketsuke session --script FILE...
// [--json] [--repeat-for S]` execs it; terminal/cli/session_command.cpp). Whole confirmation
// sessions, headless, from a scripted patient (sim/harness/script_runner.h), against the real
// pcscd + virtual card, the qualification service over mutual TLS and the configured confirmation
// log (issue 4 point 5). Exit 0 when the session ran, whatever its result; 1 on a harness error;
// 2 on usage or configuration errors.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sim/harness/script_runner.h"
#include "terminal/config.h"
#include "terminal/json_input.h"
#include "terminal/session/shutdown.h"
#include "uketsuke/guarded_main.h"

namespace uketsuke::sim {
namespace {

using nlohmann::json;

// Reads one script file; nullopt (after a message) when it cannot be used.
std::optional<json> loadScript(const std::string& file) {
    std::ifstream in(file);
    if (!in) {
        std::cerr << "uketsuke session: cannot open script " << file << "\n";
        return std::nullopt;
    }
    auto parsed = terminal::parseJsonBounded(in);
    if (!parsed) {
        std::cerr << "uketsuke session: script " << file << " is not valid JSON: " << parsed.error()
                  << "\n";
        return std::nullopt;
    }
    if (auto valid = validateScript(parsed.value()); !valid) {
        std::cerr << "uketsuke session: " << file << ": " << valid.error() << "\n";
        return std::nullopt;
    }
    return std::move(parsed).takeValue();
}

void printReport(const json& r, bool asJson) {
    if (asJson) {
        std::cout << r.dump(2) << "\n";
        return;
    }
    std::cout << "outcome: " << r.at("outcome").get<std::string>()
              << "\nresult code: " << r.at("result_code").get<std::string>()
              << "\nmethod: " << r.at("method").get<std::string>();
    if (!r.at("failure_reason").get<std::string>().empty())
        std::cout << "\nreason: " << r.at("failure_reason").get<std::string>();
    std::cout << "\nterminal time: " << r.at("terminal_ms").get<double>() << " ms\n";
    if (!r.at("result_file").is_null())
        std::cout << "result file: " << r.at("result_file").get<std::string>() << "\n";
}

// One session per script, in order; with `repeatForS` > 0 the scripts are run round-robin until
// that many seconds have passed (a headless terminal serving patients back to back, e.g. for the
// multi-terminal log test), and a JSON summary of every session is printed instead.
int runScripts(const terminal::Config& config, const std::vector<std::string>& files, bool asJson,
               int repeatForS) {
    std::vector<json> scripts;
    bool face = false;
    for (const auto& file : files) {
        auto script = loadScript(file);
        if (!script)
            return 2;
        const auto methods = script->value("methods", std::vector<std::string>{});
        face = face || std::find(methods.begin(), methods.end(), "face") != methods.end();
        scripts.push_back(std::move(*script));
    }
    terminal::TerminalAppOptions options;
    options.loadFaceEngine = face;
    auto env = ScriptRunner::create(config, options);
    if (!env) {
        // The terminal refuses to start (configuration, log, services): one line, exit 2.
        std::cerr << "uketsuke session: " << env.error() << "\n";
        return 2;
    }
    const auto& repaired = env.value()->app().startupReconciliation();
    if (repaired.publishedAtStartup + repaired.markedPublished + repaired.filesLost +
            repaired.filesWithoutRow + repaired.staleTempsRemoved >
        0) {
        std::cerr << "uketsuke session: start-up reconciliation repaired "
                  << repaired.toJson().dump() << "\n";
    }
    // SIGTERM/SIGINT end the open session as aborted (logged) instead of killing it mid-way.
    terminal::installShutdownHandlers();
    auto stopped = [] {
        if (!terminal::shutdownRequested())
            return false;
        std::cerr << "uketsuke session: stopped by signal " << terminal::shutdownSignal()
                  << "; the open session was logged as aborted\n";
        return true;
    };
    if (repeatForS <= 0) {
        for (const auto& script : scripts) {
            auto report = env.value()->run(script);
            if (!report) {
                std::cerr << "uketsuke session: " << report.error() << "\n";
                return 1;
            }
            printReport(report.value(), asJson);
            if (!report->at("logged").get<bool>()) {
                std::cerr << "uketsuke session: the session was not logged: "
                          << report->value("log_error", std::string()) << "\n";
                return 1;
            }
            if (stopped())
                return 1;
        }
        return 0;
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(repeatForS);
    json ids = json::array(), outcomes = json::object(), errors = json::array();
    int notLogged = 0;
    for (std::size_t i = 0; std::chrono::steady_clock::now() < until && !stopped(); ++i) {
        auto report = env.value()->run(scripts[i % scripts.size()]);
        if (!report) {
            errors.push_back(report.error());
            continue;
        }
        const json& r = report.value();
        if (!r.at("logged").get<bool>()) {
            ++notLogged;
            errors.push_back("not logged: " + r.value("log_error", std::string()));
            continue;
        }
        ids.push_back(r.at("session_id"));
        outcomes[r.at("outcome").get<std::string>()] =
            outcomes.value(r.at("outcome").get<std::string>(), 0) + 1;
    }
    const json summary{{"sessions", ids.size()},
                       {"session_ids", ids},
                       {"outcomes", outcomes},
                       {"not_logged", notLogged},
                       {"harness_errors", errors}};
    std::cout << summary.dump(asJson ? 2 : -1) << "\n";
    return notLogged == 0 ? 0 : 1;
}

int run(int argc, char** argv) {
    CLI::App app{"uketsuke session: scripted confirmation sessions, headless (simulator harness)"};
    std::string configPath = "uketsuke.json";
    if (const char* env = std::getenv("UKETSUKE_CONFIG"))
        configPath = env;
    std::vector<std::string> scripts;
    bool asJson = false;
    int repeatFor = 0;
    app.add_option("--config", configPath, "configuration file (JSON) with a \"sim\" section");
    app.add_option("--script", scripts, "session script (JSON); repeat for several sessions")
        ->required();
    app.add_flag("--json", asJson, "print the session report as JSON");
    app.add_option("--repeat-for", repeatFor,
                   "run the scripts round-robin for this many seconds, then print a summary")
        ->check(CLI::Range(0, 86400));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    auto config = terminal::loadConfig(configPath);
    if (!config) {
        std::cerr << "uketsuke session: " << config.error().message << "\n";
        return 2;
    }
    try {
        return runScripts(config.value(), scripts, asJson, repeatFor);
    } catch (const std::exception& e) {
        // Never an abort: a wrong type in a script or configuration is one clear line, exit 2.
        std::cerr << "uketsuke session: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace
}  // namespace uketsuke::sim

int main(int argc, char** argv) {
    return uketsuke::guardedMain("uketsuke session", 2,
                                 [&] { return uketsuke::sim::run(argc, argv); });
}
