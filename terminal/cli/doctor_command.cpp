// `uketsuke doctor [--json] [--camera SPEC]`: is this reception PC ready? One line per check
// (ok / warn / fail and a detail), exit code 0 when no check failed, 1 otherwise
// (terminal/doctor/doctor.h lists the checks).
#include <iostream>

#include "terminal/cli/commands.h"
#include "terminal/doctor/doctor.h"

namespace uketsuke::cli {

void registerDoctorCommand(CLI::App& app, const ConfigProvider& config, int& exitCode) {
    struct Options {
        bool json = false;
        terminal::doctor::DoctorOptions doctor;
    };
    auto options = std::make_shared<Options>();
    auto* doctor = app.add_subcommand(
        "doctor", "check the reader, camera, models, qualification service, log, clock and disk");
    doctor->add_flag("--json", options->json, "print the checks as JSON");
    doctor->add_option("--camera", options->doctor.cameraSpec,
                       "frame source to check (default: vision.camera, else camera:0)");
    doctor
        ->add_option("--camera-seconds", options->doctor.cameraSeconds,
                     "how long to measure the frame rate")
        ->check(CLI::Range(0.1, 30.0));
    doctor->callback([options, config, &exitCode] {
        const auto report = terminal::doctor::runDoctor(config(), options->doctor);
        if (options->json)
            std::cout << terminal::doctor::toJson(report).dump(2) << "\n";
        else
            std::cout << terminal::doctor::formatText(report);
        exitCode = report.exitCode();
    });
}

}  // namespace uketsuke::cli
