// `uketsuke ui [ARGS...]`: starts the kiosk UI. The `uketsuke` command links no Qt (the
// dependencies point qml -> terminal), so it replaces itself with the `uketsuke-ui` binary built
// next to it (qml/CMakeLists.txt puts it in the same folder) and passes the arguments through,
// with --config when `uketsuke --config FILE ui` named one.
#include <algorithm>
#include <string>
#include <vector>

#include "terminal/cli/commands.h"

namespace uketsuke::cli {
namespace {

// --demo: the demo build of the kiosk (uketsuke-ui-demo, qml/demo/), with the panel that swaps
// the simulator's card; it is not part of a clinic's terminal (the uketsuke-sim package).
int execUi(const std::string& configPath, const std::vector<std::string>& args) {
    const bool demo = std::find(args.begin(), args.end(), "--demo") != args.end();
    if (demo)
        return execSibling("uketsuke-ui-demo", "ui",
                           "--demo needs the demo build of the kiosk (uketsuke-sim package, or a "
                           "source build with the UI: scripts/build.sh).",
                           configPath, args);
    return execSibling("uketsuke-ui", "ui",
                       "The kiosk UI is not built: build with -DUKETSUKE_BUILD_UI=ON (the "
                       "default) and the Qt 6 packages installed (scripts/setup.sh), then run "
                       "scripts/build.sh.",
                       configPath, args);
}

}  // namespace

void registerUiCommand(CLI::App& app, const std::string& configPath, int& exitCode) {
    auto* ui = app.add_subcommand(
        "ui",
        "run the kiosk UI (uketsuke-ui; --windowed, --camera SPEC, --lang ja|en; --demo: the "
        "demo build, uketsuke-ui-demo)");
    ui->allow_extras();
    ui->prefix_command();  // everything after `ui` goes to uketsuke-ui untouched
    ui->set_help_flag();   // `uketsuke ui --help` shows uketsuke-ui's own options
    ui->callback([ui, &configPath, &exitCode] { exitCode = execUi(configPath, ui->remaining()); });
}

}  // namespace uketsuke::cli
