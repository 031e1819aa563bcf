// Subcommand groups of the `uketsuke` command. Each group registers itself on the CLI11 app and
// reads the loaded configuration when it runs. Exit codes: 0 success, 1 the operation was refused
// or failed (a clear message says why), 2 usage or configuration error.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "terminal/config.h"

namespace uketsuke::cli {

// Returns the configuration, loading it on first use (subcommands that need none never load it).
using ConfigProvider = std::function<const terminal::Config&()>;

// Each register function adds its subcommands; the callback it installs sets `exitCode`.
void registerCardCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerFaceCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerLogCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerSessionCommands(CLI::App& app, const std::string& configPath, int& exitCode);
void registerDoctorCommand(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerUiCommand(CLI::App& app, const std::string& configPath, int& exitCode);

// Replaces this process with `program` from the folder of the running `uketsuke`, passing `args`
// and --config when `uketsuke --config FILE` named one; returns only on failure (exit code 2 with
// `missingHint` when the program is not there, 1 when it cannot start).
int execSibling(const std::string& program, const std::string& command,
                const std::string& missingHint, const std::string& configPath,
                const std::vector<std::string>& args);

}  // namespace uketsuke::cli
