#include "terminal/app/terminal_app.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <utility>

#include "card/card_service.h"
#include "terminal/session/consent.h"
#include "terminal/session/session_log_sink.h"
#include "terminal/session/staff_auth.h"
#include "vision/face_engine.h"

namespace uketsuke::terminal {
namespace {

using nlohmann::json;

}  // namespace

std::filesystem::path resolveConfigPath(const Config& config, const std::string& value) {
    std::filesystem::path p(value);
    return p.is_absolute() ? p : config.file.parent_path() / p;
}

std::string vpcdReaderName(int port) {
    const int k = port - kFirstVpcdPort;
    std::string name = "Virtual PCD";
    if (k / 2 > 0) {
        name += ' ';
        name += std::to_string(k / 2 + 1);
    }
    name += " 00 0";
    name += std::to_string(k % 2);
    return name;
}

std::string defaultReaderName() {
    int port = kFirstVpcdPort;
    if (const char* env = std::getenv("UKETSUKE_VPCD_PORT"))
        port = std::atoi(env);
    return vpcdReaderName(port);
}

struct TerminalApp::Impl {
    Config config;
    card::CardServiceConfig cardConfig;
    std::unique_ptr<CardServicePort> card;
    std::unique_ptr<vision::FaceEngine> engine;
    std::unique_ptr<VisionFacePort> face;
    StaffEntryCardFront cardFront;
    std::unique_ptr<ClientQualificationPort> qualification;
    std::unique_ptr<ResultFolderSink> results;
    std::unique_ptr<LogSink> log;
    std::optional<StaffAuthenticator> staff;
    ConsentCatalog consent;
    SystemClock clock;
    SessionConfig sessionConfig;
    ReconcileReport reconciliation;
};

TerminalApp::TerminalApp() : impl_(std::make_unique<Impl>()) {}
TerminalApp::~TerminalApp() = default;

Result<std::unique_ptr<TerminalApp>, std::string> TerminalApp::create(
    const Config& config, const TerminalAppOptions& options) {
    std::unique_ptr<TerminalApp> env(new TerminalApp());
    Impl& m = *env->impl_;
    m.config = config;
    const auto& raw = config.raw;
    for (const char* section : {"qualification", "result_file", "log", "session"}) {
        if (!raw.contains(section))
            return fail("configuration has no \"" + std::string(section) + "\" section");
    }
    // Every number is range-checked at start-up (issue 14): a negative timeout or a zero port
    // refuses the start with the key's name, instead of misbehaving in a patient's session.
    std::string rangeError;
    auto ranged = [&](const json& section, const std::string& where, const char* key,
                      std::int64_t fallback, std::int64_t lo, std::int64_t hi) -> std::int64_t {
        if (!section.contains(key))
            return fallback;
        const auto& v = section.at(key);
        if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
            if (rangeError.empty())
                rangeError = where + "." + key + " must be an integer in " + std::to_string(lo) +
                             ".." + std::to_string(hi);
            return fallback;
        }
        return v.get<std::int64_t>();
    };
    try {
        const json& s = raw.at("session");
        m.sessionConfig.policy.maxFaceAttempts =
            static_cast<int>(ranged(s, "session", "max_face_attempts", 3, 1, 10));
        m.sessionConfig.policy.pinFallbackAfterFace = s.value("pin_fallback_after_face", true);
        m.sessionConfig.inactivityTimeout = std::chrono::milliseconds(
            ranged(s, "session", "inactivity_timeout_ms", 120000, 1000, 3600000));
        m.sessionConfig.staffCheckTimeout = std::chrono::milliseconds(
            ranged(s, "session", "staff_check_timeout_ms", 300000, 1000, 3600000));
        m.sessionConfig.demoStillCamera = config.vision.cameraMode == CameraMode::kDemoStill;
        m.sessionConfig.challenge.mode =
            config.vision.challengeAlways ? ChallengeMode::kAlways : ChallengeMode::kWhenUnsure;
        m.sessionConfig.cardLeftBehindAlarmAfter = std::chrono::milliseconds(
            ranged(s, "session", "card_left_behind_alarm_ms", 10000, 0, 600000));

        m.cardConfig.reader = config.card.reader.empty() ? defaultReaderName() : config.card.reader;
        m.cardConfig.trustStore = config.card.trustStore;
        m.cardConfig.kenmenCvcaPublicKey = config.card.kenmenCvcaPublicKey;
        m.cardConfig.rejectTestIssuer = config.card.rejectTestIssuer;
        // A trust anchor that is not there would fail every card: refuse the start instead.
        for (const auto& [key, path] :
             {std::pair{"card.trust_store", config.card.trustStore},
              std::pair{"card.kenmen_cvca_public_key", config.card.kenmenCvcaPublicKey}}) {
            std::error_code ec;
            if (!path.empty() && !std::filesystem::is_regular_file(path, ec))
                return fail(std::string(key) + " names no file: " + path.string());
        }
        m.cardConfig.waitForCardMs =
            static_cast<unsigned>(ranged(s, "session", "card_wait_ms", 8000, 0, 120000));
        m.card = std::make_unique<CardServicePort>(m.cardConfig);

        auto consent = ConsentCatalog::load(
            resolveConfigPath(config, s.at("consent_file").get<std::string>()));
        if (!consent)
            return consent.failure();
        m.consent = std::move(consent).takeValue();

        const auto staffFile = resolveConfigPath(config, s.at("staff_file").get<std::string>());
        if (std::filesystem::exists(staffFile)) {
            auto file = StaffFile::load(staffFile);
            if (!file)
                return file.failure();
            StaffAuthPolicy policy;
            policy.maxFailures =
                static_cast<int>(ranged(s, "session", "staff_max_failures", 5, 1, 100));
            policy.lockout = std::chrono::milliseconds(
                ranged(s, "session", "staff_lockout_ms", 60000, 0, 86400000));
            m.staff.emplace(std::move(file).takeValue(), policy);
        }

        const auto& q = raw.at("qualification");
        QualificationClientConfig qc;
        qc.tls.host = q.value("host", "127.0.0.1");
        if (!q.contains("port"))
            return fail(std::string("qualification.port is required"));
        qc.tls.port = static_cast<int>(ranged(q, "qualification", "port", 0, 1, 65535));
        qc.tls.caFile = resolveConfigPath(config, q.at("ca_file").get<std::string>()).string();
        qc.tls.clientCertFile =
            resolveConfigPath(config, q.at("client_cert").get<std::string>()).string();
        auto key = terminalKeyChoice(config);
        if (!key)
            return fail("configuration: " + key.error().message);
        qc.tls.clientKeyFile = key->spec.location;
        qc.tls.clientKeyStore = key->spec.store;
        qc.tls.tpm2Tcti = key->spec.tpm2Tcti;
        qc.tls.connectTimeoutMs =
            static_cast<int>(ranged(q, "qualification", "connect_timeout_ms", 3000, 100, 60000));
        qc.tls.responseTimeoutMs =
            static_cast<int>(ranged(q, "qualification", "response_timeout_ms", 10000, 100, 120000));
        qc.challengeAttempts =
            static_cast<int>(ranged(q, "qualification", "challenge_attempts", 3, 1, 10));
        if (!rangeError.empty())
            return fail("configuration: " + rangeError);
        qc.expectedInstitutionCode = q.value("medical_institution_code", "");
        if (!qc.expectedInstitutionCode.empty() &&
            (qc.expectedInstitutionCode.size() != 10 ||
             qc.expectedInstitutionCode.find_first_not_of("0123456789") != std::string::npos))
            return fail(
                std::string("configuration: qualification.medical_institution_code must "
                            "be 10 digits"));
        if (q.contains("require_answer_binding")) {
            if (!q.at("require_answer_binding").is_boolean())
                return fail(std::string(
                    "configuration: qualification.require_answer_binding must be true or false"));
            qc.requireAnswerBinding = q.at("require_answer_binding").get<bool>();
        }
        auto client = QualificationClient::create(qc);
        if (!client)
            return fail("qualification client: " + client.error().message());
        auto signer = AttestationSigner::fromKey(clientKeySpec(qc.tls));
        if (!signer)
            return fail("attestation key: " + signer.error().message());
        m.qualification = std::make_unique<ClientQualificationPort>(std::move(client).takeValue(),
                                                                    std::move(signer).takeValue());

        ResultFileConfig rc;
        rc.resFolder =
            resolveConfigPath(config, raw.at("result_file").at("res_folder").get<std::string>());
        std::error_code ec;
        std::filesystem::create_directories(rc.resFolder, ec);
        m.results = std::make_unique<ResultFolderSink>(rc);

        auto log = openLogSink(raw.at("log"), config.file.parent_path());
        if (!log)
            return log.failure();
        m.log = std::move(log).takeValue();
        // Start-up reconciliation (issue 14): finish or record what a crash left between the
        // log and the res folder, and remove temp files of sessions that never reached the log.
        auto reconciled = m.log->reconcile(rc.resFolder);
        if (!reconciled)
            return reconciled.failure();
        m.reconciliation = reconciled.value();
    } catch (const json::exception& e) {
        return fail(std::string("configuration: ") + e.what());
    }
    if (options.loadFaceEngine) {
        auto engine =
            vision::FaceEngine::load(vision::FaceModelPaths::inDirectory(config.vision.modelsDir));
        if (!engine)
            return fail(std::string("face models could not be loaded from ") +
                        config.vision.modelsDir.string());
        m.engine = std::move(engine).takeValue();
        vision::ChallengeOptions challenge;
        challenge.mirrored = config.vision.cameraMirrored;
        m.face = std::make_unique<VisionFacePort>(*m.engine, liveLoopThresholds(config.vision),
                                                  challenge);
    }
    return env;
}

SessionPorts TerminalApp::ports(CardFrontReader* cardFront) {
    Impl& m = *impl_;
    SessionPorts p;
    p.card = m.card.get();
    p.face = m.face.get();
    p.cardFront = cardFront ? cardFront : &m.cardFront;
    p.qualification = m.qualification.get();
    p.results = m.results.get();
    p.log = m.log.get();
    p.staff = m.staff ? &*m.staff : nullptr;
    p.clock = &m.clock;
    p.consent = &m.consent;
    return p;
}

StaffEntryCardFront& TerminalApp::staffEntryCardFront() {
    return impl_->cardFront;
}
const Config& TerminalApp::config() const {
    return impl_->config;
}
const SessionConfig& TerminalApp::sessionConfig() const {
    return impl_->sessionConfig;
}
const std::string& TerminalApp::readerName() const {
    return impl_->cardConfig.reader;
}
bool TerminalApp::faceAvailable() const {
    return impl_->face != nullptr;
}
const ReconcileReport& TerminalApp::startupReconciliation() const {
    return impl_->reconciliation;
}

}  // namespace uketsuke::terminal
