// `uketsuke card-front read IMAGE`: the card-front OCR (issue 6) from the command line.
#pragma once

#include <CLI/CLI.hpp>

namespace uketsuke::cli {

// Adds `card-front read`; the callback it installs sets `exitCode` (0 all fields confident,
// 1 refused or low confidence, 2 usage or set-up error).
void registerCardFrontCommands(CLI::App& app, int& exitCode);

}  // namespace uketsuke::cli
