// `uketsuke ui [ARGS...]`: starts the kiosk UI. The `uketsuke` command links no Qt (the
// dependencies point qml -> terminal), so it replaces itself with the `uketsuke-ui` binary built
// next to it (qml/CMakeLists.txt puts it in the same folder) and passes the arguments through,
// with --config when `uketsuke --config FILE ui` named one.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "terminal/cli/commands.h"

namespace uketsuke::cli {
namespace {

std::filesystem::path uiBinary() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
    return self.parent_path() / "uketsuke-ui";
}

int execUi(const std::string& configPath, const std::vector<std::string>& args) {
    const auto binary = uiBinary();
    std::error_code ec;
    if (binary.empty() || !std::filesystem::exists(binary, ec)) {
        std::cerr << "uketsuke ui: the kiosk UI is not built (" << binary.string()
                  << " is missing).\nBuild with -DUKETSUKE_BUILD_UI=ON (the default) and the Qt 6 "
                     "packages installed (scripts/setup.sh), then run scripts/build.sh.\n";
        return 2;
    }
    std::vector<std::string> argv{binary.string()};
    bool hasConfig = false;
    for (const auto& a : args)
        hasConfig = hasConfig || a == "--config" || a.rfind("--config=", 0) == 0;
    if (!hasConfig && !configPath.empty()) {
        argv.push_back("--config");
        argv.push_back(configPath);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    raw.reserve(argv.size() + 1);
    for (auto& a : argv)
        raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(binary.c_str(), raw.data());
    std::cerr << "uketsuke ui: cannot start " << binary.string() << ": " << std::strerror(errno)
              << "\n";
    return 1;
}

}  // namespace

void registerUiCommand(CLI::App& app, const std::string& configPath, int& exitCode) {
    auto* ui = app.add_subcommand(
        "ui",
        "run the kiosk UI (uketsuke-ui; --windowed, --demo, --persona P, --camera SPEC, "
        "--lang ja|en)");
    ui->allow_extras();
    ui->prefix_command();  // everything after `ui` goes to uketsuke-ui untouched
    ui->set_help_flag();   // `uketsuke ui --help` shows uketsuke-ui's own options
    ui->callback([ui, &configPath, &exitCode] { exitCode = execUi(configPath, ui->remaining()); });
}

}  // namespace uketsuke::cli
