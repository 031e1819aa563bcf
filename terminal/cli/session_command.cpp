// `uketsuke session staff-file --out F --staff ID...` writes the 目視 staff file (password on
// stdin, stored as a salted PBKDF2 hash).
// `uketsuke session --script FILE... [--json] [--repeat-for S]`: scripted headless sessions, run
// by the simulator's harness (uketsuke-session, sim/harness/session_main.cpp) built next to
// `uketsuke` in a source build and shipped in the uketsuke-sim package: the terminal itself has
// no scripted patient. Exit codes are the harness's (0 ran, 1 harness error, 2 usage).
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "terminal/cli/commands.h"
#include "terminal/session/staff_auth.h"

namespace uketsuke::cli {
namespace {

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

void registerSessionCommands(CLI::App& app, const std::string& configPath, int& exitCode) {
    auto* session = app.add_subcommand("session", "run a scripted confirmation session headless");
    auto scripts = std::make_shared<std::vector<std::string>>();
    auto asJson = std::make_shared<bool>(false);
    auto repeatFor = std::make_shared<int>(0);
    session->add_option("--script", *scripts, "session script (JSON); repeat for several sessions");
    session->add_flag("--json", *asJson, "print the session report as JSON");
    session
        ->add_option("--repeat-for", *repeatFor,
                     "run the scripts round-robin for this many seconds, then print a summary")
        ->check(CLI::Range(0, 86400));

    auto* staffFile = session->add_subcommand("staff-file", "write the 目視 staff file");
    auto out = std::make_shared<std::string>();
    auto staff = std::make_shared<std::vector<std::string>>();
    staffFile->add_option("--out", *out, "staff file to write")->required();
    staffFile->add_option("--staff", *staff, "staff IDs allowed to do the 目視 check")->required();
    staffFile->callback([=, &exitCode] { exitCode = writeStaffFile(*out, *staff); });

    session->callback([=, &configPath, &exitCode] {
        if (!staffFile->parsed()) {
            if (scripts->empty()) {
                std::cerr << "uketsuke session: --script is required\n";
                exitCode = 2;
                return;
            }
            std::vector<std::string> args;
            for (const auto& script : *scripts) {
                args.push_back("--script");
                args.push_back(script);
            }
            if (*asJson)
                args.push_back("--json");
            if (*repeatFor > 0) {
                args.push_back("--repeat-for");
                args.push_back(std::to_string(*repeatFor));
            }
            exitCode = execSibling("uketsuke-session", "session",
                                   "Scripted sessions need the simulator harness (uketsuke-sim "
                                   "package, or a source build: scripts/build.sh).",
                                   configPath, args);
        }
    });
}

}  // namespace uketsuke::cli
