// execSibling (commands.h): `uketsuke ui` and `uketsuke session --script` run programs built and
// installed next to `uketsuke` (the Qt kiosk; the simulator harness of a demo or test build),
// which keeps their dependencies out of the terminal's command.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "terminal/cli/commands.h"

namespace uketsuke::cli {

int execSibling(const std::string& program, const std::string& command,
                const std::string& missingHint, const std::string& configPath,
                const std::vector<std::string>& args) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto binary = ec ? std::filesystem::path() : self.parent_path() / program;
    if (binary.empty() || !std::filesystem::exists(binary, ec)) {
        std::cerr << "uketsuke " << command << ": " << binary.string() << " is missing.\n"
                  << missingHint << "\n";
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
    std::cerr << "uketsuke " << command << ": cannot start " << binary.string() << ": "
              << std::strerror(errno) << "\n";
    return 1;
}

}  // namespace uketsuke::cli
