#include "terminal/session/script_runner.h"

#include "terminal/session/shutdown.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "card/card_service.h"
#include "card/pcsc_reader.h"
#include "card/verification_number_b.h"
#include "terminal/session/session_adapters.h"
#include "terminal/session/session_log_sink.h"
#include "vision/face_engine.h"
#include "vision/frame_source.h"
#ifdef UKETSUKE_HAVE_CARD_FRONT
#include "terminal/session/ocr_card_front.h"
#include "vision/card_front/card_front_ocr.h"
#endif

namespace uketsuke::terminal {
namespace {

using nlohmann::json;

std::filesystem::path resolve(const Config& config, const std::string& value) {
    std::filesystem::path p(value);
    return p.is_absolute() ? p : config.file.parent_path() / p;
}

// The reader of the virtual card this build's services use (scripts/services.sh).
std::string defaultReader() {
    int port = 35963;
    if (const char* env = std::getenv("UKETSUKE_VPCD_PORT"))
        port = std::atoi(env);
    return vpcdReaderName(port);
}

std::optional<std::chrono::year_month_day> personaDate(const std::string& yyyymmdd) {
    if (yyyymmdd.size() != 8)
        return std::nullopt;
    return card::parseIsoDate(yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" +
                              yyyymmdd.substr(6, 2));
}

}  // namespace

std::string vpcdReaderName(int port) {
    const int k = port - kFirstVpcdPort;
    std::string name = "Virtual PCD";
    if (k / 2 > 0)
        name += " " + std::to_string(k / 2 + 1);
    return name + " 00 0" + std::to_string(k % 2);
}

Result<VcardAnswer, std::string> vcardControl(const std::filesystem::path& socketPath,
                                              const std::string& request) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = socketPath.string();
    if (path.size() >= sizeof addr.sun_path) {
        ::close(fd);
        return fail(std::string("control socket path too long"));
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return fail("cannot connect to the virtual card's control socket " + path);
    }
    const std::string line = request + "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
        ::close(fd);
        return fail(std::string("control socket: send failed"));
    }
    std::string answer;
    char buffer[512];
    while (answer.find('\n') == std::string::npos) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (const auto nl = answer.find('\n'); nl != std::string::npos)
        answer.resize(nl);
    if (answer.rfind("ok", 0) != 0)
        return fail("virtual card refused '" + request + "': " + answer);
    return VcardAnswer{answer};
}

struct SessionEnvironment::Impl {
    Config config;
#ifdef UKETSUKE_HAVE_CARD_FRONT
    std::unique_ptr<vision::card_front::CardFrontOcr> ocr;  // created by the first OCR script
#endif
    json session;  // the "session" section
    std::filesystem::path controlSocket;
    std::filesystem::path personasDir;
    std::filesystem::path personasPkiDir;
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

SessionEnvironment::SessionEnvironment() : impl_(std::make_unique<Impl>()) {}

const ReconcileReport& SessionEnvironment::startupReconciliation() const {
    return impl_->reconciliation;
}
SessionEnvironment::~SessionEnvironment() = default;

Result<std::unique_ptr<SessionEnvironment>, std::string> SessionEnvironment::create(
    const Config& config, const SessionEnvironmentOptions& options) {
    std::unique_ptr<SessionEnvironment> env(new SessionEnvironment());
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
        m.session = raw.at("session");
        const auto& s = m.session;
        m.controlSocket = resolve(config, s.at("vcard_control_socket").get<std::string>());
        m.personasDir = resolve(config, s.at("personas_dir").get<std::string>());
        m.personasPkiDir = resolve(config, s.at("personas_pki_dir").get<std::string>());
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

        m.cardConfig.reader = config.card.reader.empty() ? defaultReader() : config.card.reader;
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

        auto consent =
            ConsentCatalog::load(resolve(config, s.at("consent_file").get<std::string>()));
        if (!consent)
            return consent.failure();
        m.consent = std::move(consent).takeValue();

        const auto staffFile = resolve(config, s.at("staff_file").get<std::string>());
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
        qc.tls.caFile = resolve(config, q.at("ca_file").get<std::string>()).string();
        qc.tls.clientCertFile = resolve(config, q.at("client_cert").get<std::string>()).string();
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
        rc.resFolder = resolve(config, raw.at("result_file").at("res_folder").get<std::string>());
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

Status<std::string> validateScript(const json& script) {
    auto bad = [](const std::string& what) -> Status<std::string> {
        return fail("script: " + what);
    };
    if (!script.is_object())
        return bad("must be a JSON object");
    auto isStringArray = [](const json& j) {
        return j.is_array() &&
               std::all_of(j.begin(), j.end(), [](const json& e) { return e.is_string(); });
    };
    for (const auto& [key, value] : script.items()) {
        if (key == "persona" || key == "card_fault" || key == "face_live" ||
            key == "remove_card_at" || key == "cancel_at" || key == "timeout_at") {
            if (!value.is_string())
                return bad(key + " must be a string");
        } else if (key == "reset_state" || key == "confirm_last_try") {
            if (!value.is_boolean())
                return bad(key + " must be true or false");
        } else if (key == "methods") {
            if (!isStringArray(value))
                return bad("methods must be an array of strings");
            for (const auto& m : value) {
                const auto& name = m.get_ref<const std::string&>();
                if (name != "face" && name != "pin" && name != "staff")
                    return bad("unknown method " + name);
            }
        } else if (key == "pins") {
            if (!isStringArray(value))
                return bad("pins must be an array of strings");
        } else if (key == "card_front") {
            if (value.is_string())
                continue;
            if (!value.is_object() || !value.value("birth_date", json()).is_string() ||
                !value.value("expiry_year", json()).is_number_integer() ||
                !value.value("security_code", json()).is_string())
                return bad(
                    "card_front must be \"ocr:<path>\" or {birth_date, expiry_year, "
                    "security_code}");
        } else if (key == "staff") {
            const json list = value.is_array() ? value : json::array({value});
            for (const auto& s : list) {
                if (!s.is_object())
                    return bad("staff entries must be objects");
                for (const auto& [k, v] : s.items()) {
                    if ((k != "id" && k != "password" && k != "decision" && k != "reason") ||
                        !v.is_string())
                        return bad(
                            "staff entries have string fields id, password, decision, "
                            "reason");
                }
            }
        } else if (key == "consent") {
            if (!value.is_object())
                return bad("consent must be an object");
            if (value.contains("comprehensive") && !value.at("comprehensive").is_boolean())
                return bad("consent.comprehensive must be true or false");
            if (value.contains("items")) {
                const auto& items = value.at("items");
                if (!items.is_object() ||
                    !std::all_of(items.begin(), items.end(),
                                 [](const json& v) { return v.is_boolean(); }))
                    return bad("consent.items must map item ids to true or false");
            }
        } else if (key == "pauses") {
            if (!value.is_object() || !std::all_of(value.begin(), value.end(), [](const json& v) {
                    return v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
                           v.get<std::int64_t>() <= 600000;
                }))
                return bad("pauses must map states to 0..600000 ms");
        } else {
            return bad("unknown key " + key);
        }
    }
    if (!script.contains("persona"))
        return bad("persona is required");
    return Unit{};
}

Result<json, std::string> SessionEnvironment::run(const json& script) {
    if (auto valid = validateScript(script); !valid)
        return valid.failure();
    Impl& m = *impl_;
    std::string persona;
    std::vector<std::string> methods, pins;
    std::vector<json> staffInputs;
    std::string faceLive, removeAt, cancelAt, timeoutAt, cardFault;
    json pauses = json::object(), consent = {{"comprehensive", true}}, cardFront;
    std::string cardFrontOcr;
    bool confirmLastTry = false, resetState = false;
    try {
        persona = script.at("persona").get<std::string>();
        methods = script.value("methods", std::vector<std::string>{});
        pins = script.value("pins", std::vector<std::string>{});
        if (script.contains("staff")) {
            const auto& s = script.at("staff");
            if (s.is_array())
                staffInputs.assign(s.begin(), s.end());
            else
                staffInputs.push_back(s);
        }
        faceLive = script.value("face_live", "persona-photo:" + persona);
        removeAt = script.value("remove_card_at", "");
        cancelAt = script.value("cancel_at", "");
        timeoutAt = script.value("timeout_at", "");
        cardFault = script.value("card_fault", "");
        pauses = script.value("pauses", json::object());
        consent = script.value("consent", consent);
        confirmLastTry = script.value("confirm_last_try", false);
        resetState = script.value("reset_state", false);
        cardFront = script.value("card_front", json());
        if (cardFront.is_string()) {
            // "ocr:<image or video of the card front>": card-front OCR first, the staff entry
            // (the persona's fields) when OCR is not confident.
            const auto spec = cardFront.get<std::string>();
            if (spec.rfind("ocr:", 0) != 0)
                return fail(std::string("script: card_front must be an object or \"ocr:<path>\""));
            cardFrontOcr = spec.substr(4);
            cardFront = json();
        }
    } catch (const json::exception& e) {
        return fail(std::string("script: ") + e.what());
    }

    // Staff-entered 照合番号B fields: the script's, or the persona file's card face.
    CardFrontFields front;
    try {
        if (cardFront.is_null()) {
            std::ifstream in(m.personasDir / (persona + ".json"));
            const auto doc = json::parse(in);
            const auto& k = doc.at("kenmen");
            const auto birth = personaDate(k.at("birthDate").get<std::string>());
            if (!birth)
                return fail("persona " + persona + ": malformed birth date");
            front.birthDate = *birth;
            front.expiryYear = std::stoi(k.at("cardExpiry").get<std::string>().substr(0, 4));
            front.securityCode = SecretBytes(k.at("securityCode").get<std::string>());
        } else {
            const auto birth = card::parseIsoDate(cardFront.at("birth_date").get<std::string>());
            if (!birth)
                return fail(std::string("script: malformed card_front.birth_date"));
            front.birthDate = *birth;
            front.expiryYear = cardFront.at("expiry_year").get<int>();
            front.securityCode = SecretBytes(cardFront.at("security_code").get<std::string>());
        }
    } catch (const std::exception& e) {
        if (std::find(methods.begin(), methods.end(), "face") != methods.end())
            return fail("card-front fields for " + persona + ": " + e.what());
    }

    ConsentChoices choices;
    choices.comprehensive = consent.value("comprehensive", false);
    if (consent.contains("items")) {
        for (const auto& [id, agreed] : consent.at("items").items())
            choices.items[id] = agreed.get<bool>();
    }

    std::filesystem::path livePath = faceLive;
    if (faceLive.rfind("persona-photo:", 0) == 0)
        livePath = m.personasPkiDir / faceLive.substr(14) / "photo-source.png";

    // Put the persona's card in the reader (the virtual card keeps it out >= 1 s first).
    if (resetState) {
        if (auto r = vcardControl(m.controlSocket, "reset-state " + persona); !r)
            return r.failure();
    }
    // Out first, and long enough for pcscd's presence poll (400 ms) to see it: otherwise the
    // session could connect to the previous card in the instant before pcscd notices the swap.
    (void)vcardControl(m.controlSocket, "remove");
    auto pcsc = card::PcscContext::establish();
    if (!pcsc)
        return fail("PC/SC: " + pcsc.error().toString());
    if (auto out = pcsc.value()->waitForRemoval(m.cardConfig.reader, 5000); !out)
        return fail("the previous card did not leave " + m.cardConfig.reader);
    if (auto r = vcardControl(m.controlSocket, "insert " + persona); !r)
        return r.failure();
    for (int i = 0; i < 100; ++i) {
        auto status = vcardControl(m.controlSocket, "status");
        if (status && status.value().line.find("inserted=1") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (auto in = pcsc.value()->waitForCard(m.cardConfig.reader, 8000); !in)
        return fail("pcscd did not see the card in " + m.cardConfig.reader);
    if (!cardFault.empty()) {
        if (auto r = vcardControl(m.controlSocket, "fault " + cardFault); !r)
            return r.failure();
    }

    CardFrontReader* frontReader = nullptr;
#ifdef UKETSUKE_HAVE_CARD_FRONT
    std::unique_ptr<vision::FrameSource> frontSource;
    std::optional<OcrCardFrontReader> ocrReader;
    if (!cardFrontOcr.empty()) {
        if (!m.ocr) {
            auto ocr = vision::card_front::CardFrontOcr::create();
            if (!ocr)
                return fail(
                    "card-front OCR: " +
                    std::string(vision::card_front::cardFrontErrorInfo(ocr.error()).description));
            m.ocr = std::move(ocr).takeValue();
        }
        auto source = vision::openFrameSource(
            vision::FrameSourceSpec::parse(cardFrontOcr, vision::Pacing::kUnpaced));
        if (!source)
            return fail("card-front image " + cardFrontOcr + " cannot be opened");
        frontSource = std::move(source).takeValue();
        ocrReader.emplace(*m.ocr, OcrCardFrontReader::fromFrameSource(*frontSource), &m.cardFront);
        frontReader = &*ocrReader;
    }
#else
    if (!cardFrontOcr.empty())
        return fail(std::string("this build has no card-front OCR"));
#endif
    SessionController controller(ports(frontReader), m.sessionConfig);

    json transcript = json::array();
    auto note = [&](const std::string& action) {
        const auto& v = controller.view();
        json entry{
            {"state", std::string(toString(v.state))}, {"action", action}, {"message", v.message}};
        if (v.pinTriesLeft)
            entry["pin_tries_left"] = *v.pinTriesLeft;
        if (v.lastTryWarning)
            entry["last_try_warning"] = true;
        transcript.push_back(entry);
    };
    auto removeCard = [&]() -> Status<std::string> {
        auto r = vcardControl(m.controlSocket, "remove");
        if (!r)
            return r.failure();
        controller.cardRemoved();
        return Unit{};
    };

    // Known before the first attempt begins (it begins as soon as the chip photo is ready).
    controller.setStillImageCapture(
        vision::FrameSourceSpec::parse(livePath.string(), vision::Pacing::kUnpaced).kind ==
        vision::FrameSourceKind::kStillImage);
    m.cardFront.enter(std::move(front));
    controller.cardInserted();
    note("card-inserted");
    std::size_t nextMethod = 0, nextPin = 0, nextStaff = 0;
    std::set<std::string> paused, removedAt;
    bool done = false;
    std::string harnessNote;
    for (int step = 0; step < 200 && !done; ++step) {
        const SessionState state = controller.state();
        const std::string name(toString(state));
        if (state == SessionState::kIdle)
            break;
        if (shutdownRequested()) {
            // SIGTERM/SIGINT: the session ends now, aborted and logged.
            controller.shutdown();
            note("shutdown");
            harnessNote = "terminal-shutdown";
            break;
        }
        if (pauses.contains(name) && paused.insert(name).second) {
            // The patient is slow here; a SIGTERM/SIGINT meanwhile ends the session at once. The
            // line on stderr lets a test signal the harness at this point without guessing a delay.
            std::fprintf(stderr, "script: pausing at %s for %d ms\n", name.c_str(),
                         pauses.at(name).get<int>());
            const auto until = std::chrono::steady_clock::now() +
                               std::chrono::milliseconds(pauses.at(name).get<int>());
            while (!shutdownRequested() && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;  // re-reads the state (and the shutdown flag) before acting
        }
        if (name == removeAt) {
            if (auto r = removeCard(); !r)
                return r.failure();
            note("card-removed");
            continue;
        }
        if (name == cancelAt) {
            controller.cancel();
            note("cancel");
            continue;
        }
        if (name == timeoutAt) {
            controller.timeout();
            note("timeout");
            continue;
        }
        switch (state) {
            case SessionState::kChoosingMethod: {
                if (nextMethod >= methods.size()) {
                    harnessNote = "script has no further method choice";
                    controller.cancel();
                    note("cancel");
                    break;
                }
                const std::string method = methods[nextMethod++];
                const IdentityMethod im = method == "face"  ? IdentityMethod::kFace
                                          : method == "pin" ? IdentityMethod::kPin
                                                            : IdentityMethod::kStaff;
                if (method != "face" && method != "pin" && method != "staff")
                    return fail("script: unknown method " + method);
                if (!controller.chooseMethod(im)) {
                    harnessNote = "method " + method + " not offered";
                    note("not-offered:" + method);
                    break;
                }
                note("choose:" + method);
                break;
            }
            case SessionState::kFaceCapture: {
                auto spec =
                    vision::FrameSourceSpec::parse(livePath.string(), vision::Pacing::kUnpaced);
                auto source = vision::openFrameSource(spec);
                if (!source)
                    return fail("face live source " + livePath.string() + " cannot be opened");
                const int attemptsBefore = controller.data().faceAttempts;
                // The first attempt began when the chip photo was ready; a new source per attempt.
                while (controller.state() == SessionState::kFaceCapture &&
                       controller.data().faceAttempts == attemptsBefore) {
                    auto frame = (*source)->next();
                    if (!frame) {
                        controller.faceStreamEnded();
                        break;
                    }
                    controller.faceFrame(*frame);
                }
                note("face-attempt");
                break;
            }
            case SessionState::kFaceChallenge: {
                // The scripted camera keeps playing: a new source, fed until the challenge ends.
                auto source = vision::openFrameSource(
                    vision::FrameSourceSpec::parse(livePath.string(), vision::Pacing::kUnpaced));
                if (!source)
                    return fail("face live source " + livePath.string() + " cannot be opened");
                while (controller.state() == SessionState::kFaceChallenge) {
                    auto frame = (*source)->next();
                    if (!frame) {
                        controller.faceStreamEnded();
                        break;
                    }
                    controller.faceFrame(*frame);
                }
                note("face-challenge");
                break;
            }
            case SessionState::kPinEntry: {
                if (nextPin >= pins.size()) {
                    harnessNote = "script has no further PIN";
                    controller.cancel();
                    note("cancel");
                    break;
                }
                note("pin-pad-shown");
                const bool warned = controller.view().lastTryWarning;
                const auto lastTry = warned && confirmLastTry ? card::LastTry::kConfirmed
                                                              : card::LastTry::kNotConfirmed;
                controller.pinEntered(SecretBytes(pins[nextPin++]), lastTry);
                note("pin-entered");
                break;
            }
            case SessionState::kStaffCheck: {
                if (nextStaff >= staffInputs.size()) {
                    harnessNote = "script has no further staff input";
                    controller.cancel();
                    note("cancel");
                    break;
                }
                const json& s = staffInputs[nextStaff++];
                StaffInput input;
                input.staffId = s.value("id", "");
                input.password = SecretBytes(s.value("password", ""));
                input.decision = s.value("decision", "approve") == "reject"
                                     ? StaffDecision::kReject
                                     : StaffDecision::kApprove;
                input.reason = s.value("reason", "");
                const auto outcome = controller.staffInput(std::move(input));
                note("staff:" + std::string(staffAuthOutcomeName(outcome)));
                break;
            }
            case SessionState::kConsent:
                if (!controller.consentGiven(choices))
                    return fail("script: consent answers refused (" + controller.view().message +
                                ")");
                note("consent");
                break;
            case SessionState::kShowingResult:
                controller.resultAcknowledged();
                note("result-acknowledged");
                break;
            case SessionState::kRemoveCard:
                if (auto r = removeCard(); !r)
                    return r.failure();
                note("card-removed");
                done = true;
                break;
            default:
                return fail("session stopped in state " + name);
        }
    }
    if (controller.state() != SessionState::kIdle) {
        // The script ran out of steps: the patient walked away.
        controller.cancel();
        if (controller.state() == SessionState::kRemoveCard)
            (void)removeCard();
    }
    const auto& summary = controller.lastSummary();
    if (!summary)
        return fail(std::string("the session did not end"));
    std::int64_t terminalUs = 0;
    for (const auto& [_, us] : summary->phaseUs)
        terminalUs += us;
    json report{
        {"session_id", summary->sessionId},
        {"persona", persona},
        {"outcome", sessionOutcomeName(summary->outcome)},
        {"result_code", summary->resultCode},
        {"failure_reason", reasonWire(summary->failureReason)},
        {"card_class", summary->cardClass},
        {"method", identityMethodName(summary->identityMethod)},
        {"attempts",
         {{"face", summary->faceAttempts},
          {"pin", summary->pinAttempts},
          {"staff", summary->staffAttempts}}},
        {"match_distance", summary->matchDistance ? json(*summary->matchDistance) : json()},
        {"staff_id", summary->staffId ? json(*summary->staffId) : json()},
        {"consent", summary->consent},
        {"phase_ms", summary->phaseMs},
        {"phase_us", summary->phaseUs},
        {"terminal_ms", static_cast<double>(terminalUs) / 1000.0},
        {"result_file",
         controller.lastResultFile() ? json(controller.lastResultFile()->string()) : json()},
        {"logged", !controller.lastLogError().has_value()},
        {"transcript", transcript}};
#ifdef UKETSUKE_HAVE_CARD_FRONT
    if (ocrReader) {
        const auto& o = ocrReader->lastOutcome();  // sources and reasons only, never a value
        report["card_front"] = {{"source", std::string(name(o.source))},
                                {"ocr_reason", o.ocrReason},
                                {"frames", o.framesRead}};
    }
#endif
    if (controller.lastLogError())
        report["log_error"] = *controller.lastLogError();
    if (!harnessNote.empty())
        report["note"] = harnessNote;
    return report;
}

SessionPorts SessionEnvironment::ports(CardFrontReader* cardFront) {
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

StaffEntryCardFront& SessionEnvironment::staffEntryCardFront() {
    return impl_->cardFront;
}
const SessionConfig& SessionEnvironment::sessionConfig() const {
    return impl_->sessionConfig;
}
const std::string& SessionEnvironment::readerName() const {
    return impl_->cardConfig.reader;
}
const std::filesystem::path& SessionEnvironment::vcardControlSocket() const {
    return impl_->controlSocket;
}
const std::filesystem::path& SessionEnvironment::personasDir() const {
    return impl_->personasDir;
}
const std::filesystem::path& SessionEnvironment::personasPkiDir() const {
    return impl_->personasPkiDir;
}
bool SessionEnvironment::faceAvailable() const {
    return impl_->face != nullptr;
}

}  // namespace uketsuke::terminal
