#include "sim/harness/script_runner.h"

#include "terminal/session/shutdown.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "card/pcsc_reader.h"
#include "card/verification_number_b.h"
#include "sim/harness/persona_card_front.h"
#include "sim/harness/vcard_client.h"
#include "terminal/session/session_controller.h"
#include "vision/frame_source.h"
#ifdef UKETSUKE_HAVE_CARD_FRONT
#include "terminal/session/ocr_card_front.h"
#include "vision/card_front/card_front_ocr.h"
#endif

namespace uketsuke::sim {
namespace {

using nlohmann::json;
using terminal::CardFrontFields;
using terminal::CardFrontReader;
using terminal::ConsentChoices;
using terminal::IdentityMethod;
#ifdef UKETSUKE_HAVE_CARD_FRONT
using terminal::OcrCardFrontReader;
#endif
using terminal::SessionController;
using terminal::SessionState;
using terminal::shutdownRequested;
using terminal::StaffDecision;
using terminal::StaffInput;

// Plays the scripted live camera into the controller from its first frame (a new source each
// time: the camera kept running) while `more()` holds; the controller hears when it runs dry.
Status<std::string> playLive(SessionController& controller, const std::filesystem::path& live,
                             const std::function<bool()>& more) {
    auto source = vision::openFrameSource(
        vision::FrameSourceSpec::parse(live.string(), vision::Pacing::kUnpaced));
    if (!source)
        return fail("face live source " + live.string() + " cannot be opened");
    while (more()) {
        auto frame = (*source)->next();
        if (!frame) {
            controller.faceStreamEnded();
            break;
        }
        controller.faceFrame(*frame);
    }
    return Unit{};
}

}  // namespace

Result<SimSettings, std::string> SimSettings::fromConfig(const terminal::Config& config) {
    const auto& raw = config.raw;
    if (!raw.contains("sim") || !raw.at("sim").is_object())
        return fail(std::string(
            "configuration has no \"sim\" section (the virtual card's control socket and "
            "personas: a demo or test configuration such as build/uketsuke-demo.json)"));
    const auto& s = raw.at("sim");
    SimSettings out;
    for (const auto& [key, target] : {std::pair{"vcard_control_socket", &out.controlSocket},
                                      std::pair{"personas_dir", &out.personasDir},
                                      std::pair{"personas_pki_dir", &out.personasPkiDir}}) {
        if (!s.contains(key) || !s.at(key).is_string())
            return fail("configuration: sim." + std::string(key) + " must be a path");
        *target = terminal::resolveConfigPath(config, s.at(key).get<std::string>());
    }
    return out;
}

struct ScriptRunner::Impl {
    std::unique_ptr<terminal::TerminalApp> app;
    SimSettings sim;
#ifdef UKETSUKE_HAVE_CARD_FRONT
    std::unique_ptr<vision::card_front::CardFrontOcr> ocr;  // created by the first OCR script
#endif
};

ScriptRunner::ScriptRunner() : impl_(std::make_unique<Impl>()) {}
ScriptRunner::~ScriptRunner() = default;

Result<std::unique_ptr<ScriptRunner>, std::string> ScriptRunner::create(
    const terminal::Config& config, const terminal::TerminalAppOptions& options) {
    auto sim = SimSettings::fromConfig(config);
    if (!sim)
        return sim.failure();
    auto app = terminal::TerminalApp::create(config, options);
    if (!app)
        return app.failure();
    std::unique_ptr<ScriptRunner> runner(new ScriptRunner());
    runner->impl_->app = std::move(app).takeValue();
    runner->impl_->sim = std::move(sim).takeValue();
    return runner;
}

terminal::TerminalApp& ScriptRunner::app() {
    return *impl_->app;
}
const SimSettings& ScriptRunner::settings() const {
    return impl_->sim;
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

Result<json, std::string> ScriptRunner::run(const json& script) {
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
            auto fields = personaCardFront(m.sim.personasDir, persona);
            if (!fields)
                throw std::runtime_error(fields.error());
            front = std::move(fields).takeValue();
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
        livePath = m.sim.personasPkiDir / faceLive.substr(14) / "photo-source.png";

    // Put the persona's card in the reader (the virtual card keeps it out >= 1 s first).
    if (resetState) {
        if (auto r = vcardControl(m.sim.controlSocket, "reset-state " + persona); !r)
            return r.failure();
    }
    // Out first, and long enough for pcscd's presence poll (400 ms) to see it: otherwise the
    // session could connect to the previous card in the instant before pcscd notices the swap.
    (void)vcardControl(m.sim.controlSocket, "remove");
    auto pcsc = card::PcscContext::establish();
    if (!pcsc)
        return fail("PC/SC: " + pcsc.error().toString());
    if (auto out = pcsc.value()->waitForRemoval(m.app->readerName(), 5000); !out)
        return fail("the previous card did not leave " + m.app->readerName());
    if (auto r = vcardControl(m.sim.controlSocket, "insert " + persona); !r)
        return r.failure();
    for (int i = 0; i < 100; ++i) {
        auto status = vcardControl(m.sim.controlSocket, "status");
        if (status && status.value().line.find("inserted=1") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (auto in = pcsc.value()->waitForCard(m.app->readerName(), 8000); !in)
        return fail("pcscd did not see the card in " + m.app->readerName());
    if (!cardFault.empty()) {
        if (auto r = vcardControl(m.sim.controlSocket, "fault " + cardFault); !r)
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
        ocrReader.emplace(*m.ocr, OcrCardFrontReader::fromFrameSource(*frontSource),
                          &m.app->staffEntryCardFront());
        frontReader = &*ocrReader;
    }
#else
    if (!cardFrontOcr.empty())
        return fail(std::string("this build has no card-front OCR"));
#endif
    SessionController controller(m.app->ports(frontReader), m.app->sessionConfig());

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
        auto r = vcardControl(m.sim.controlSocket, "remove");
        if (!r)
            return r.failure();
        controller.cardRemoved();
        return Unit{};
    };

    // Known before the first attempt begins (it begins as soon as the chip photo is ready).
    controller.setStillImageCapture(
        vision::FrameSourceSpec::parse(livePath.string(), vision::Pacing::kUnpaced).kind ==
        vision::FrameSourceKind::kStillImage);
    m.app->staffEntryCardFront().enter(std::move(front));
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
                const int attemptsBefore = controller.data().faceAttempts;
                // The first attempt began when the chip photo was ready; a new source per attempt.
                if (auto r = playLive(controller, livePath,
                                      [&] {
                                          return controller.state() == SessionState::kFaceCapture &&
                                                 controller.data().faceAttempts == attemptsBefore;
                                      });
                    !r)
                    return r.failure();
                note("face-attempt");
                break;
            }
            case SessionState::kFaceChallenge: {
                // The scripted camera keeps playing: a new source, fed until the challenge ends.
                if (auto r = playLive(
                        controller, livePath,
                        [&] { return controller.state() == SessionState::kFaceChallenge; });
                    !r)
                    return r.failure();
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

}  // namespace uketsuke::sim
