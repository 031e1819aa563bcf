// uketsuke-qualification-service: the reference qualification service over mutual TLS
// (sim/qualification/README.md). Thin main: options, loading, serve until SIGINT/SIGTERM.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "sim/qualification/qualification_server.h"
#include "uketsuke/guarded_main.h"

namespace {

int run(int argc, char** argv) {
    using namespace uketsuke::sim;
    CLI::App app{"Reference qualification service (mutual TLS) for Uketsuke tests and demo"};
    int port = 0;
    std::string host = "127.0.0.1";
    std::string pkiDir;
    std::string personasDir;
    std::string tlsDir;
    std::string insuredFile;
    std::string pidFile;
    Faults faults;
    ServiceConfig config;
    bool control = false;
    int workers = ServerOptions{}.workers;
    int ioTimeoutMs = ServerOptions{}.ioTimeoutMs;
    app.add_option("--port", port, "TCP port (0: any free port, printed on stdout)");
    app.add_option("--host", host, "listening address (loopback by default)");
    app.add_option("--pki", pkiDir, "the build's pki/ dir (JPKI test root, issuer, CRL)")
        ->required();
    app.add_option("--personas-pki", personasDir, "persona certificates (default PKI/personas)");
    app.add_option("--tls-pki", tlsDir, "service TLS material (default PKI/qualification)");
    app.add_option("--insured", insuredFile, "insured-persons database (insured.json)")->required();
    std::string staffRegistryFile;
    app.add_option("--staff-registry", staffRegistryFile,
                   "staff registered per medical institution (refuse 目視 by anyone else)");
    app.add_option("--latency-ms", faults.latencyMs, "delay every API answer");
    app.add_option("--fail-status", faults.failStatus, "answer every API call with this status");
    app.add_flag("--drop", faults.dropConnection, "drop every API answer mid-body");
    app.add_option("--challenge-lifetime-s", config.challengeLifetimeS, "challenge lifetime");
    app.add_option("--max-face-threshold", config.maxFaceThreshold,
                   "laxest face threshold accepted in an attestation");
    std::string cardPresence = "face";
    app.add_option("--card-presence", cardPresence,
                   "attestations that must carry the card's answer to the challenge: off, face "
                   "(default) or all (face and 目視)")
        ->check(CLI::IsMember({"off", "face", "all"}));
    std::string kenmenCvca;
    app.add_option("--kenmen-cvca", kenmenCvca,
                   "券面AP CV-CA public key, PEM (default PKI/kenmen-cvca.pub.pem)");
    app.add_flag("--require-hardware-key", config.requireHardwareKey,
                 "serve only terminals whose certificate certifies a hardware-held key");
    app.add_flag("--control", control,
                 "enable the /v1/control endpoints (suspend, faults, refuse): tests and demo only");
    app.add_option("--challenges-per-client", config.maxChallengesPerClient,
                   "outstanding challenges allowed per client certificate")
        ->check(CLI::Range(1, 100000));
    app.add_option("--workers", workers, "connection worker threads")->check(CLI::Range(1, 1024));
    app.add_option("--io-timeout-ms", ioTimeoutMs,
                   "TLS handshake / read timeout per connection, in milliseconds")
        ->check(CLI::Range(100, 600000));
    app.add_option("--pid-file", pidFile, "write the process id here");
    CLI11_PARSE(app, argc, argv);
    if (personasDir.empty())
        personasDir = pkiDir + "/personas";
    if (tlsDir.empty())
        tlsDir = pkiDir + "/qualification";

    auto checker =
        CertificateChecker::load(pkiDir + "/jpki-auth-root.pem", pkiDir + "/jpki-auth-ca.pem",
                                 pkiDir + "/jpki-auth-ca.crl.pem");
    auto personas = PersonaDirectory::scan(personasDir);
    auto insured = InsuredDatabase::load(insuredFile);
    for (const std::string* err :
         {checker ? nullptr : &checker.error(), personas ? nullptr : &personas.error(),
          insured ? nullptr : &insured.error()}) {
        if (err != nullptr) {
            std::cerr << "uketsuke-qualification-service: " << *err << "\n";
            return 1;
        }
    }
    if (!staffRegistryFile.empty()) {
        auto registry = loadStaffRegistry(staffRegistryFile);
        if (!registry) {
            std::cerr << "uketsuke-qualification-service: " << registry.error() << "\n";
            return 1;
        }
        config.staffRegistry = std::move(registry).takeValue();
    }
    config.cardPresence = cardPresence == "off"   ? CardPresencePolicy::kOff
                          : cardPresence == "all" ? CardPresencePolicy::kAll
                                                  : CardPresencePolicy::kFace;
    if (config.cardPresence != CardPresencePolicy::kOff) {
        if (kenmenCvca.empty())
            kenmenCvca = pkiDir + "/kenmen-cvca.pub.pem";
        auto key = loadPublicKeyPem(kenmenCvca);
        if (!key) {
            std::cerr << "uketsuke-qualification-service: cannot read the 券面AP CV-CA key "
                      << kenmenCvca << " (--kenmen-cvca; or --card-presence off)\n";
            return 1;
        }
        config.kenmenCvcaKey = std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
    }
    QualificationService service(std::move(checker).takeValue(), std::move(personas).takeValue(),
                                 std::move(insured).takeValue(), config);

    // Block the signals before any thread starts, so that only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    ServerOptions options;
    options.host = host;
    options.port = port;
    options.serverCertFile = tlsDir + "/server.pem";
    options.serverKeyFile = tlsDir + "/server.key";
    options.clientCaFile = tlsDir + "/institution-ca.pem";
    options.controlEnabled = control;
    options.workers = workers;
    options.ioTimeoutMs = ioTimeoutMs;
    options.faults = faults;
    auto server = QualificationServer::start(service, options);
    if (!server) {
        std::cerr << "uketsuke-qualification-service: " << server.error() << "\n";
        return 1;
    }
    if (!pidFile.empty())
        std::ofstream(pidFile) << getpid() << "\n";
    std::cout << "listening on " << host << ":" << server.value()->port() << std::endl;

    int sig = 0;
    sigwait(&signals, &sig);
    server.value()->stop();
    if (!pidFile.empty())
        std::remove(pidFile.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return uketsuke::guardedMain("uketsuke-qualification-service", 1,
                                 [&] { return run(argc, argv); });
}
