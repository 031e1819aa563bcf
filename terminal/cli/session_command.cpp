// `uketsuke session --script FILE [--json]`: one whole confirmation session, headless, from a
// scripted patient (terminal/session/script_runner.h), against the real pcscd + virtual card, the
// qualification service over mutual TLS and the configured confirmation log (issue 4 point 5).
// Exit 0 when the session ran, whatever its result; 1 on a harness error; 2 on usage errors.
// `uketsuke session staff-file --out F --staff ID...` writes the 目視 staff file (password on
// stdin, stored as a salted PBKDF2 hash).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/cli/commands.h"
#include "terminal/session/script_runner.h"
#include "terminal/session/staff_auth.h"

namespace uketsuke::cli {
namespace {

using nlohmann::json;

int runScript(const terminal::Config& config, const std::string& file, bool asJson) {
    std::ifstream in(file);
    if (!in) {
        std::cerr << "uketsuke session: cannot open script " << file << "\n";
        return 2;
    }
    json script;
    try {
        script = json::parse(in);
    } catch (const json::exception& e) {
        std::cerr << "uketsuke session: script " << file << " is not valid JSON: " << e.what()
                  << "\n";
        return 2;
    }
    const auto methods = script.value("methods", std::vector<std::string>{});
    terminal::SessionEnvironmentOptions options;
    options.loadFaceEngine = std::find(methods.begin(), methods.end(), "face") != methods.end();
    auto env = terminal::SessionEnvironment::create(config, options);
    if (!env) {
        std::cerr << "uketsuke session: " << env.error() << "\n";
        return 1;
    }
    auto report = env.value()->run(script);
    if (!report) {
        std::cerr << "uketsuke session: " << report.error() << "\n";
        return 1;
    }
    const json& r = report.value();
    if (asJson) {
        std::cout << r.dump(2) << "\n";
    } else {
        std::cout << "outcome: " << r.at("outcome").get<std::string>()
                  << "\nresult code: " << r.at("result_code").get<std::string>()
                  << "\nmethod: " << r.at("method").get<std::string>();
        if (!r.at("failure_reason").get<std::string>().empty())
            std::cout << "\nreason: " << r.at("failure_reason").get<std::string>();
        std::cout << "\nterminal time: " << r.at("terminal_ms").get<double>() << " ms\n";
        if (!r.at("result_file").is_null())
            std::cout << "result file: " << r.at("result_file").get<std::string>() << "\n";
    }
    if (!r.at("logged").get<bool>()) {
        std::cerr << "uketsuke session: the session was not logged: "
                  << r.value("log_error", std::string()) << "\n";
        return 1;
    }
    return 0;
}

int writeStaffFile(const std::string& out, const std::vector<std::string>& staff) {
    std::string line;
    if (!std::getline(std::cin, line)) {
        std::cerr << "uketsuke session staff-file: give the 目視 password on stdin\n";
        return 2;
    }
    SecretBytes password(line);
    std::fill(line.begin(), line.end(), '\0');
    auto file = terminal::StaffFile::create(password, staff);
    if (!file) {
        std::cerr << "uketsuke session staff-file: " << file.error() << "\n";
        return 1;
    }
    if (auto saved = file->save(out); !saved) {
        std::cerr << "uketsuke session staff-file: " << saved.error() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

void registerSessionCommands(CLI::App& app, ConfigProvider config, int& exitCode) {
    auto* session = app.add_subcommand("session", "run a scripted confirmation session headless");
    auto script = std::make_shared<std::string>();
    auto asJson = std::make_shared<bool>(false);
    session->add_option("--script", *script, "session script (JSON)");
    session->add_flag("--json", *asJson, "print the session report as JSON");

    auto* staffFile = session->add_subcommand("staff-file", "write the 目視 staff file");
    auto out = std::make_shared<std::string>();
    auto staff = std::make_shared<std::vector<std::string>>();
    staffFile->add_option("--out", *out, "staff file to write")->required();
    staffFile->add_option("--staff", *staff, "staff IDs allowed to do the 目視 check")->required();
    staffFile->callback([=, &exitCode] { exitCode = writeStaffFile(*out, *staff); });

    session->callback([=, &exitCode] {
        if (!staffFile->parsed()) {
            if (script->empty()) {
                std::cerr << "uketsuke session: --script is required\n";
                exitCode = 2;
                return;
            }
            exitCode = runScript(config(), *script, *asJson);
        }
    });
}

}  // namespace uketsuke::cli
