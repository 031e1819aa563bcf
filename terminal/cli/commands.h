// Subcommand groups of the `uketsuke` command. Each group registers itself on the CLI11 app and
// reads the loaded configuration when it runs. Exit codes: 0 success, 1 the operation was refused
// or failed (a clear message says why), 2 usage or configuration error.
#pragma once

#include <functional>
#include <memory>

#include <CLI/CLI.hpp>

#include "terminal/config.h"

namespace uketsuke::cli {

// Returns the configuration, loading it on first use (subcommands that need none never load it).
using ConfigProvider = std::function<const terminal::Config&()>;

// Each register function adds its subcommands; the callback it installs sets `exitCode`.
void registerCardCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerFaceCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerLogCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerSessionCommands(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerDoctorCommand(CLI::App& app, const ConfigProvider& config, int& exitCode);
void registerUiCommand(CLI::App& app, const std::string& configPath, int& exitCode);

}  // namespace uketsuke::cli
