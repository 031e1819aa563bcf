// `uketsuke`: the terminal's command line (card, face, session, log, ui subcommands).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

#include "terminal/cli/card_front_command.h"
#include "terminal/cli/commands.h"
#include "uketsuke/guarded_main.h"

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Uketsuke (受付): qualification-confirmation terminal"};
    app.require_subcommand(1);
    std::string configPath = "uketsuke.json";
    if (const char* env = std::getenv("UKETSUKE_CONFIG"))
        configPath = env;
    app.add_option("--config", configPath, "configuration file (JSON)");

    std::optional<uketsuke::terminal::Config> config;
    uketsuke::cli::ConfigProvider provider = [&]() -> const uketsuke::terminal::Config& {
        if (!config) {
            auto loaded = uketsuke::terminal::loadConfig(configPath);
            if (!loaded) {
                std::cerr << "uketsuke: " << loaded.error().message << "\n";
                std::exit(2);
            }
            config = std::move(loaded).takeValue();
        }
        return *config;
    };

    int exitCode = 0;
    uketsuke::cli::registerCardCommands(app, provider, exitCode);
    uketsuke::cli::registerLogCommands(app, provider, exitCode);
    uketsuke::cli::registerUiCommand(app, configPath, exitCode);
#ifdef UKETSUKE_HAVE_VISION
    uketsuke::cli::registerFaceCommands(app, provider, exitCode);
    uketsuke::cli::registerSessionCommands(app, configPath, exitCode);
    uketsuke::cli::registerDoctorCommand(app, provider, exitCode);
#endif
#ifdef UKETSUKE_HAVE_CARD_FRONT
    uketsuke::cli::registerCardFrontCommands(app, exitCode);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Usage errors exit 2 (commands.h); --help exits 0.
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        // Never an abort: a wrong type in a script or configuration, or anything else a
        // command did not expect, is one clear line and exit 2 (issue 14).
        std::cerr << "uketsuke: " << e.what() << "\n";
        return 2;
    } catch (...) {
        std::cerr << "uketsuke: unexpected error\n";
        return 2;
    }
    return exitCode;
}

}  // namespace

int main(int argc, char** argv) {
    return uketsuke::guardedMain("uketsuke", 2, [&] { return run(argc, argv); });
}
