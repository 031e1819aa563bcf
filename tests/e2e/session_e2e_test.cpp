// End-to-end confirmation sessions (issue 4 acceptance): the script runner behind
// `uketsuke session --script` (sim/harness/script_runner.h) against real pcscd + the virtual
// card + the reference qualification service over mutual TLS + SQLite; after every session the
// log's hash chain verifies.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <iterator>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <random>

#include "sim/harness/script_runner.h"
#include "terminal/config.h"
#include "terminal/qualification/https_transport.h"
#include "terminal/session/staff_auth.h"
#include "tests/e2e/log_check.h"
#include "vision/face_engine.h"
#ifdef UKETSUKE_HAVE_CARD_FRONT_SIM
#include <opencv2/imgcodecs.hpp>

#include "sim/card_front/capture_generator.h"
#include "sim/card_front/card_front_render.h"
#include "sim/persona.h"
#endif

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kBuild = UKETSUKE_BUILD_DIR;
constexpr const char* kStaffPassword = "mokushi-Pass-2025";

// The suite runs twice: on the embedded SQLite log (default) and, with
// UKETSUKE_E2E_LOG_BACKEND=postgresql, on the PostgreSQL server of the postgres_server fixture
// (scripts/postgres.sh), in a schema of its own that the run starts empty.
bool onPostgres() {
    const char* backend = std::getenv("UKETSUKE_E2E_LOG_BACKEND");
    return backend && std::string(backend) == "postgresql";
}

const fs::path kE2e = kBuild / "run" / (onPostgres() ? "e2e-pg" : "e2e");
constexpr const char* kPgSchema = "e2e";

json logSection() {
    if (onPostgres())
        return {{"backend", "postgresql"},
                {"connection", uketsuke::e2e::fixturePgConnection(kBuild, kPgSchema)}};
    return {{"backend", "sqlite"}, {"path", (kE2e / "log.sqlite3").string()}};
}

int psql(const std::string& sql) {
    return uketsuke::e2e::fixturePsql(kBuild, sql);
}

// PostgreSQL: one empty schema per run of the suite (one process).
class PostgresSchema : public ::testing::Environment {
  public:
    void SetUp() override {
        if (!onPostgres())
            return;
        ASSERT_EQ(psql(std::string("DROP SCHEMA IF EXISTS ") + kPgSchema + " CASCADE; " +
                       "CREATE SCHEMA " + kPgSchema),
                  0)
            << "the PostgreSQL server of scripts/postgres.sh is not reachable";
    }
};
[[maybe_unused]] const auto* const kPostgresSchema =
    ::testing::AddGlobalTestEnvironment(new PostgresSchema);

// The e2e configuration: the build's demo configuration with its own log, res folder and staff
// file under build/run/e2e (shared by the suite's processes, which the vpcd lock serialises).
fs::path e2eConfig() {
    fs::create_directories(kE2e / "res");
    const fs::path staff = kE2e / "staff.json";
    if (!fs::exists(staff)) {
        auto file = uketsuke::terminal::StaffFile::create(uketsuke::SecretBytes(kStaffPassword),
                                                          {"S001", "S002"});
        EXPECT_TRUE(file.ok());
        EXPECT_TRUE(file->save(staff).ok());
    }
    std::ifstream in(kBuild / "uketsuke-demo.json");
    json config = json::parse(in);
    config["session"]["staff_file"] = staff.string();
    config["log"] = logSection();
    config["log"]["terminal_id"] = "e2e-1";
    config["result_file"]["res_folder"] = (kE2e / "res").string();
    config["qualification"]["response_timeout_ms"] = 2000;
    const fs::path path = kE2e / "uketsuke-e2e.json";
    std::ofstream(path) << config.dump(2);
    return path;
}

class SessionE2e : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(kBuild / "sim" / "uketsuke-vcard") || !fs::exists(kBuild / "pki"))
            GTEST_SKIP() << "virtual card or test PKI not built";
        config_ = e2eConfig();
    }

    // Runs one scripted session (counters restored first, so tries spent by earlier sessions
    // never leak into this one) and returns its JSON report.
    json session(json script) {
        script["reset_state"] = true;
        const auto methods = script.value("methods", std::vector<std::string>{});
        uketsuke::terminal::TerminalAppOptions options;
        options.loadFaceEngine = std::find(methods.begin(), methods.end(), "face") != methods.end();
        auto config = uketsuke::terminal::loadConfig(config_);
        EXPECT_TRUE(config.ok());
        if (!config.ok())
            return json();
        auto env = uketsuke::sim::ScriptRunner::create(config.value(), options);
        EXPECT_TRUE(env.ok()) << (env.ok() ? "" : env.error());
        if (!env.ok())
            return json();
        auto report = env.value()->run(script);
        EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error());
        if (!report.ok())
            return json();
        EXPECT_TRUE(report->at("logged").get<bool>()) << report->dump();
        return report.value();
    }

    // The whole log's hash chain verifies (after every session of the suite).
    void expectLogVerifies() { EXPECT_EQ(uketsuke::e2e::verifyLog(logSection()), ""); }

    // The log row of a session.
    uketsuke::e2e::LoggedSession logRow(const std::string& sessionId) {
        auto row = uketsuke::e2e::findLoggedSession(logSection(), sessionId);
        EXPECT_TRUE(row.has_value()) << "session " << sessionId << " not in the log";
        return row.value_or(uketsuke::e2e::LoggedSession{});
    }

    bool haveModels() const { return fs::exists(kBuild / "models"); }

    // POSTs a control request to the qualification service over its mutual TLS.
    void serviceControl(const std::string& path, const json& body) {
        std::ifstream in(config_);
        const json q = json::parse(in).at("qualification");
        uketsuke::terminal::TlsClientConfig tls;
        tls.port = q.at("port").get<int>();
        tls.caFile = q.at("ca_file").get<std::string>();
        tls.clientCertFile = q.at("client_cert").get<std::string>();
        tls.clientKeyFile = q.at("client_key").get<std::string>();
        auto transport = uketsuke::terminal::HttpsTransport::create(tls);
        ASSERT_TRUE(transport.ok());
        auto answer = transport->post(path, body.dump());
        ASSERT_TRUE(answer.ok()) << answer.error().message();
        ASSERT_EQ(answer->status, 200) << answer->body;
    }

    // True once the qualification service accepts a TCP connection again (after a refusal).
    bool waitForService(std::chrono::seconds limit) const {
        std::ifstream in(config_);
        const int port = json::parse(in).at("qualification").at("port").get<int>();
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            const int s = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_port = htons(static_cast<uint16_t>(port));
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const bool up = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
            ::close(s);
            if (up)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    fs::path config_;
};

// A genuine patient's live photo matches the chip photo: confirmed by face, result file written.
TEST_F(SessionE2e, FaceSuccess) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"face"})},
                            {"face_live", "persona-photo:normal"}});
    EXPECT_EQ(r["outcome"], "confirmed") << r.dump();
    EXPECT_EQ(r["method"], "face");
    EXPECT_EQ(r["result_code"], "1");
    EXPECT_EQ(r["attempts"]["face"], 1);
    ASSERT_TRUE(r["match_distance"].is_number());
    ASSERT_TRUE(r["result_file"].is_string());
    EXPECT_TRUE(fs::exists(r["result_file"].get<std::string>()));
    EXPECT_EQ(logRow(r["session_id"]).outcome, "confirmed");
    expectLogVerifies();
}

#ifdef UKETSUKE_HAVE_CARD_FRONT_SIM
// A camera capture of the persona's rendered card front (sim/card_front), written for the OCR.
fs::path cardFrontCapture(const std::string& persona, std::uint64_t seed) {
    auto p = uketsuke::sim::loadPersona(kBuild / "sim" / "personas" / (persona + ".json"));
    if (!p)
        return {};
    const cv::Mat photo =
        cv::imread((kBuild / "pki" / "personas" / persona / "photo-source.png").string());
    uketsuke::sim::CardFrontRenderer renderer;
    const auto card = renderer.render(uketsuke::sim::cardFrontSpecFor(p.value(), photo));
    const auto capture =
        uketsuke::sim::makeCapture(card, uketsuke::sim::CaptureVariation::kClean, seed);
    const fs::path file = kE2e / ("card-front-" + persona + ".png");
    cv::imwrite(file.string(), capture.bgr);
    return file;
}

// Card-front OCR reads 照合番号B from the card front: the chip photo unlocks without staff entry
// and the face check confirms.
TEST_F(SessionE2e, FaceWithCardFrontOcr) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    const fs::path capture = cardFrontCapture("normal", 1);
    ASSERT_FALSE(capture.empty());
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"face"})},
                            {"card_front", "ocr:" + capture.string()},
                            {"face_live", "persona-photo:normal"}});
    fs::remove(capture);
    EXPECT_EQ(r["outcome"], "confirmed") << r.dump();
    EXPECT_EQ(r["method"], "face");
    EXPECT_EQ(r["card_front"]["source"], "ocr") << r.dump();
    expectLogVerifies();
}

// When OCR finds no card front (here: a face photo), staff entry takes over and the session
// still goes on by face.
TEST_F(SessionE2e, CardFrontOcrFallsBackToStaffEntry) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    const fs::path notACard = kBuild / "pki" / "personas" / "normal" / "photo-source.png";
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"face"})},
                            {"card_front", "ocr:" + notACard.string()},
                            {"face_live", "persona-photo:normal"}});
    EXPECT_EQ(r["outcome"], "confirmed") << r.dump();
    EXPECT_EQ(r["card_front"]["source"], "staff") << r.dump();
    EXPECT_FALSE(r["card_front"]["ocr_reason"].get<std::string>().empty());
    expectLogVerifies();
}
#endif

// An impostor's photo fails every face attempt; the session falls through to the PIN.
TEST_F(SessionE2e, FaceFailureThenPinSuccess) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"face"})},
                            {"face_live", "persona-photo:normal-2"},
                            {"pins", json::array({"1234"})}});
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(r["method"], "pin");
    EXPECT_EQ(r["attempts"]["face"], 3);
    EXPECT_EQ(r["attempts"]["pin"], 1);
    expectLogVerifies();
}

// A 顔認証マイナンバーカード is never offered the PIN pad; staff confirm it by 目視.
TEST_F(SessionE2e, FaceAuthCardStaffCheck) {
    const json r = session({{"persona", "face-auth"},
                            {"methods", json::array({"pin", "staff"})},
                            {"staff", {{{"id", "S001"}, {"password", kStaffPassword}}}}});
    EXPECT_EQ(r["card_class"], "face-auth-card");
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(r["method"], "staff");
    EXPECT_EQ(r["staff_id"], "S001");
    bool pinRefused = false;
    for (const auto& t : r["transcript"])
        pinRefused = pinRefused || t["action"] == "not-offered:pin";
    EXPECT_TRUE(pinRefused);
    expectLogVerifies();
}

// A wrong 目視 password is refused; the right one is accepted; a staff rejection is refused.
TEST_F(SessionE2e, StaffWrongPasswordThenReject) {
    const json r = session({{"persona", "face-auth"},
                            {"methods", json::array({"staff"})},
                            {"staff",
                             {{{"id", "S002"}, {"password", "wrong-password"}},
                              {{"id", "S002"},
                               {"password", kStaffPassword},
                               {"decision", "reject"},
                               {"reason", "face-differs"}}}}});
    EXPECT_EQ(r["outcome"], "refused");
    EXPECT_EQ(r["attempts"]["staff"], 2);
    EXPECT_EQ(r["failure_reason"], "staff-rejected:face-differs");
    expectLogVerifies();
}

// A PIN-locked card gets no PIN pad; the staff check confirms it.
TEST_F(SessionE2e, PinLockedCardGoesToStaff) {
    const json r = session({{"persona", "pin-locked"},
                            {"methods", json::array({"pin", "staff"})},
                            {"staff", {{{"id", "S001"}, {"password", kStaffPassword}}}}});
    EXPECT_EQ(r["card_class"], "pin-locked");
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(r["method"], "staff");
    EXPECT_EQ(r["attempts"]["pin"], 0);
    expectLogVerifies();
}

// Two wrong PINs then the right one: tries shown 3, 2, 1 with the last-try warning before the 3rd.
TEST_F(SessionE2e, TwoWrongPinsThenRight) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1111", "2222", "1234"})},
                            {"confirm_last_try", true}});
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(r["attempts"]["pin"], 3);
    std::vector<int> shown;
    bool warned = false;
    for (const auto& t : r["transcript"]) {
        if (t["action"] == "pin-pad-shown") {
            shown.push_back(t.value("pin_tries_left", -1));
            warned = t.value("last_try_warning", false);
        }
    }
    EXPECT_EQ(shown, (std::vector<int>{3, 2, 1}));
    EXPECT_TRUE(warned);
    expectLogVerifies();
}

// A third wrong PIN locks the card (logged as 3 PIN attempts); staff then confirm.
TEST_F(SessionE2e, ThirdWrongPinLocks) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1111", "2222", "3333"})},
                            {"confirm_last_try", true},
                            {"staff", {{{"id", "S001"}, {"password", kStaffPassword}}}}});
    EXPECT_EQ(r["attempts"]["pin"], 3);
    EXPECT_EQ(r["method"], "staff");
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(logRow(r["session_id"]).pinAttempts, 3);
    expectLogVerifies();
}

// Without the patient's confirmation the card layer refuses the last try (nothing consumed).
TEST_F(SessionE2e, LastTryNeedsConfirmation) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1111", "2222", "1234"})},
                            {"confirm_last_try", false}});
    EXPECT_EQ(r["attempts"]["pin"], 2);
    EXPECT_EQ(r["outcome"], "aborted");
    expectLogVerifies();
}

// Expired within grace: qualification only (information consent items are not asked).
TEST_F(SessionE2e, ExpiredWithinGraceQualificationOnly) {
    const json r = session({{"persona", "expired-grace"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"8642"})}});
    EXPECT_EQ(r["outcome"], "confirmed");
    EXPECT_EQ(r["result_code"], "1");
    bool noticed = false;
    for (const auto& t : r["transcript"])
        noticed = noticed || t["message"] == "qualification-only";
    EXPECT_TRUE(noticed);
    for (const auto& item : r["consent"]["items"])
        EXPECT_EQ(item["id"], "specific-diseases");
    expectLogVerifies();
}

// Expired beyond grace: refused at the card, with guidance, before any credential.
TEST_F(SessionE2e, ExpiredBeyondGraceRefused) {
    const json r = session({{"persona", "expired-cert"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"7777"})}});
    EXPECT_EQ(r["outcome"], "refused");
    EXPECT_EQ(r["failure_reason"], "card-refused:certificate-expired");
    EXPECT_EQ(r["attempts"]["pin"], 0);
    expectLogVerifies();
}

// A revoked certificate is refused by the service.
TEST_F(SessionE2e, RevokedRefused) {
    const json r = session({{"persona", "revoked"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"5555"})}});
    EXPECT_EQ(r["outcome"], "refused");
    // The service's refusal code, in the wire's kebab-case.
    EXPECT_EQ(r["failure_reason"], "qualification-refused:certificate-revoked");
    expectLogVerifies();
}

// Not insured (normal-2): 該当資格なし, a result file is still written.
TEST_F(SessionE2e, NotInsured) {
    const json r = session({{"persona", "normal-2"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"2468"})}});
    EXPECT_EQ(r["result_code"], "4");
    EXPECT_EQ(r["outcome"], "refused");
    EXPECT_TRUE(r["result_file"].is_string());
    expectLogVerifies();
}

// Several matches (normal-3): 複数該当, never a pick among candidates.
TEST_F(SessionE2e, SeveralMatches) {
    const json r = session({{"persona", "normal-3"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1357"})}});
    EXPECT_EQ(r["result_code"], "5");
    EXPECT_EQ(r["outcome"], "refused");
    expectLogVerifies();
}

// Service down (connections refused): a clear error outcome, logged.
TEST_F(SessionE2e, ServiceDown) {
    serviceControl("/v1/control/refuse", {{"duration_ms", 6000}});
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1234"})}});
    EXPECT_EQ(r["outcome"], "error");
    EXPECT_EQ(r["result_code"], "unreachable");
    EXPECT_EQ(logRow(r["session_id"]).outcome, "error");
    // The next case needs the service: wait until it accepts connections again (6 s at most).
    EXPECT_TRUE(waitForService(std::chrono::seconds(15))) << "the service never came back";
    expectLogVerifies();
}

// A slow service (answer later than the response timeout): a timeout error, logged.
TEST_F(SessionE2e, ServiceSlow) {
    serviceControl("/v1/control/faults", {{"latency_ms", 3000}});
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1234"})}});
    serviceControl("/v1/control/faults", json::object());
    EXPECT_EQ(r["outcome"], "error");
    EXPECT_EQ(r["result_code"], "timeout");
    expectLogVerifies();
}

// One dropped connection on the challenge: retried (idempotent), the session still confirms.
TEST_F(SessionE2e, ServiceDropsOnceThenConfirms) {
    serviceControl("/v1/control/faults", {{"drop", true}, {"drop_times", 1}});
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1234"})}});
    serviceControl("/v1/control/faults", json::object());
    EXPECT_EQ(r["outcome"], "confirmed");
    expectLogVerifies();
}

// SIGTERM while the patient is at the PIN pad: `uketsuke session --script` ends the open session
// as aborted / terminal-shutdown (logged) and exits 1, long before the script's pause ends.
TEST_F(SessionE2e, SigtermAtPinPadAbortsAndLogs) {
    // Arrange
    const fs::path cli = kBuild / "terminal" / "uketsuke";
    ASSERT_TRUE(fs::exists(cli));
    const fs::path script = kE2e / "sigterm-script.json";
    std::ofstream(script) << json{
        {"persona", "normal"},
        {"methods", json::array({"pin"})},
        {"pins", json::array({"1234"})},
        {"reset_state", true},
        {"pauses",
         {{"pin-entry", 20000}}}}.dump();
    const fs::path out = kE2e / "sigterm-out.json";
    const fs::path err = kE2e / "sigterm-err.txt";
    // Emptied before the fork: the child's own O_TRUNC may come after the first poll below, which
    // would then find an earlier run's "pausing at pin-entry" (the PostgreSQL pass reruns this
    // case in the same folder) and signal the child before it has installed its handlers.
    std::ofstream(out, std::ios::trunc).close();
    std::ofstream(err, std::ios::trunc).close();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o >= 0 && e >= 0) {
            ::dup2(o, 1);
            ::dup2(e, 2);
        }
        ::execl(cli.c_str(), cli.c_str(), "--config", config_.c_str(), "session", "--script",
                script.c_str(), "--json", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ASSERT_GT(pid, 0);
    // Act: SIGTERM once the harness says it pauses at the PIN pad (it would then wait 20 s).
    const auto started = std::chrono::steady_clock::now();
    bool atPinPad = false;
    while (!atPinPad && std::chrono::steady_clock::now() - started < std::chrono::seconds(30) &&
           ::waitpid(pid, nullptr, WNOHANG) == 0) {
        std::ifstream errSoFar(err);
        const std::string text((std::istreambuf_iterator<char>(errSoFar)), {});
        atPinPad = text.find("script: pausing at pin-entry") != std::string::npos;
        if (!atPinPad)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(atPinPad) << "the session never reached the PIN pad";
    ::kill(pid, SIGTERM);
    const auto signalled = std::chrono::steady_clock::now();
    int status = 0;
    pid_t waited = 0;
    while ((waited = ::waitpid(pid, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() - signalled < std::chrono::seconds(15))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - signalled);
    if (waited == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        FAIL() << "uketsuke session did not end within 15 s of SIGTERM";
    }
    std::ifstream outIn(out), errIn(err);
    const std::string stdoutText((std::istreambuf_iterator<char>(outIn)), {});
    const std::string stderrText((std::istreambuf_iterator<char>(errIn)), {});
    // Assert
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status) << "; " << stderrText;
    EXPECT_EQ(WEXITSTATUS(status), 1) << stderrText;
    EXPECT_LT(took.count(), 5000) << "the session waited for its pause instead of stopping";
    std::printf("SIGTERM at the PIN pad: exit %d after %lld ms\n", WEXITSTATUS(status),
                static_cast<long long>(took.count()));
    const json r = json::parse(stdoutText, nullptr, false);
    ASSERT_TRUE(r.is_object()) << stdoutText << stderrText;
    EXPECT_EQ(r["outcome"], "aborted") << r.dump();
    EXPECT_EQ(r.value("note", ""), "terminal-shutdown") << r.dump();
    bool shutdownStep = false;
    for (const auto& step : r.value("transcript", json::array()))
        shutdownStep = shutdownStep || step.value("action", "") == "shutdown";
    EXPECT_TRUE(shutdownStep) << r.dump();
    const auto row = logRow(r.value("session_id", ""));
    EXPECT_EQ(row.outcome, "aborted");
    EXPECT_EQ(row.failureReason, "terminal-shutdown");
    EXPECT_EQ(row.pinAttempts, 0) << "the PIN was entered: the signal came after the PIN pad";
    EXPECT_NE(stderrText.find("stopped by signal 15"), std::string::npos) << stderrText;
    expectLogVerifies();
}

// The card pulled out in each state the patient can be in: wiped, logged as aborted.
class CardPulled : public SessionE2e, public ::testing::WithParamInterface<const char*> {};

TEST_P(CardPulled, AbortedAndLogged) {
    const json r = session({{"persona", "pin-locked"},
                            {"methods", json::array({"staff"})},
                            {"staff", {{{"id", "S001"}, {"password", kStaffPassword}}}},
                            {"remove_card_at", GetParam()}});
    EXPECT_EQ(r["outcome"], "aborted");
    EXPECT_EQ(r["failure_reason"], "card-removed");
    EXPECT_EQ(logRow(r["session_id"]).outcome, "aborted");
    expectLogVerifies();
}

INSTANTIATE_TEST_SUITE_P(States, CardPulled,
                         ::testing::Values("choosing-method", "staff-check", "consent"));

// A card whose files are genuine copies but whose chip cannot prove DF24's key (a clone): the
// chip photo is refused as clone-suspected before any face is compared, the face path closes,
// the staff 目視 check is shown why, and the staff decision is logged either way.
TEST_F(SessionE2e, CloneSuspectedFallsBackToStaff) {
    auto cloneSession = [&](json staff) {
        return session({{"persona", "normal"},
                        {"methods", json::array({"face", "staff"})},
                        {"face_live", "persona-photo:normal"},
                        {"card_fault", "wrong-card-key"},
                        {"staff", std::move(staff)}});
    };
    auto toldStaff = [](const json& r) {
        bool staffSawWhy = false;
        for (const auto& t : r["transcript"]) {
            staffSawWhy = staffSawWhy || (t["action"] == "choose:staff" &&
                                          t["message"] == "chip-photo-clone-suspected");
        }
        return staffSawWhy;
    };
    const json approved = cloneSession({{{"id", "S001"}, {"password", kStaffPassword}}});
    EXPECT_EQ(approved["outcome"], "confirmed") << approved.dump();
    EXPECT_EQ(approved["method"], "staff");
    EXPECT_EQ(approved["attempts"]["face"], 0);  // no face compared with an unproven photo
    EXPECT_TRUE(toldStaff(approved)) << approved.dump();
    EXPECT_EQ(logRow(approved["session_id"]).identityMethod, "staff");

    const json rejected = cloneSession({{{"id", "S001"},
                                         {"password", kStaffPassword},
                                         {"decision", "reject"},
                                         {"reason", "card-suspect"}}});
    EXPECT_EQ(rejected["outcome"], "refused") << rejected.dump();
    EXPECT_TRUE(toldStaff(rejected));
    const auto row = logRow(rejected["session_id"]);
    EXPECT_EQ(row.outcome, "refused");
    EXPECT_EQ(row.failureReason, "staff-rejected:card-suspect");
    expectLogVerifies();
}

// The card pulled out while the chip is being read (after a few APDUs): aborted, logged.
TEST_F(SessionE2e, CardPulledWhileReading) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1234"})},
                            {"card_fault", "remove-after-apdus 3"}});
    EXPECT_EQ(r["outcome"], "aborted");
    expectLogVerifies();
}

// The card pulled out at the PIN pad: aborted, no try spent.
TEST_F(SessionE2e, CardPulledAtPinPad) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"remove_card_at", "pin-entry"}});
    EXPECT_EQ(r["outcome"], "aborted");
    EXPECT_EQ(r["attempts"]["pin"], 0);
    expectLogVerifies();
}

// No session leaves an image or embedding file behind in the build's run folder.
TEST_F(SessionE2e, NoImageOrEmbeddingFilesLeft) {
    for (const auto& entry : fs::recursive_directory_iterator(kE2e)) {
        const auto ext = entry.path().extension().string();
        EXPECT_TRUE(ext != ".png" && ext != ".jpg" && ext != ".jp2" && ext != ".bin" &&
                    ext != ".npy")
            << entry.path();
    }
}

// Altering one stored row breaks the chain: verify names it (SQLite: on a copy of the suite's
// log; PostgreSQL: in place, then the row is restored and the chain verifies again).
TEST_F(SessionE2e, AlteredRowFailsVerify) {
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"pin"})},
                            {"pins", json::array({"1234"})}});
    ASSERT_EQ(r["outcome"], "confirmed");
    if (onPostgres()) {
        const std::string table = std::string(kPgSchema) + ".confirmation_log";
        const std::string first = "sequence = (SELECT min(sequence) FROM " + table + ")";
        ASSERT_EQ(
            psql("UPDATE " + table + " SET failure_reason = failure_reason || 'x' WHERE " + first),
            0);
        EXPECT_NE(uketsuke::e2e::verifyLog(logSection()), "");
        ASSERT_EQ(psql("UPDATE " + table + " SET failure_reason = left(failure_reason, -1) WHERE " +
                       first),
                  0);
        EXPECT_EQ(uketsuke::e2e::verifyLog(logSection()), "");
        return;
    }
    if (std::system("command -v sqlite3 >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "sqlite3 command not installed";
    const fs::path copy = kE2e / "tampered.sqlite3";
    fs::remove(copy);
    const std::string backup =
        "sqlite3 " + (kE2e / "log.sqlite3").string() + " \".backup " + copy.string() + "\"";
    ASSERT_EQ(std::system(backup.c_str()), 0);
    const json copySection = {{"backend", "sqlite"}, {"path", copy.string()}};
    EXPECT_EQ(uketsuke::e2e::verifyLog(copySection), "");
    const std::string alter = "sqlite3 " + copy.string() +
                              " \"UPDATE confirmation_log SET failure_reason='x' WHERE sequence = "
                              "(SELECT min(sequence) FROM confirmation_log)\"";
    ASSERT_EQ(std::system(alter.c_str()), 0);
    EXPECT_NE(uketsuke::e2e::verifyLog(copySection), "");
    fs::remove(copy);
}

// ---- Presentation attacks (issue 13 items 3, 5, 6) ----------------------------------------------

enum class AttackKind { kStillNoise, kCardPhotoTilted, kScreenReplay };

const char* attackName(AttackKind kind) {
    switch (kind) {
        case AttackKind::kStillNoise:
            return "still-noise";
        case AttackKind::kCardPhotoTilted:
            return "card-photo-tilted";
        case AttackKind::kScreenReplay:
            return "screen-replay";
    }
    return "unknown";
}

// The picture an attacker holds up, before the per-frame camera effects.
cv::Mat attackSubject(AttackKind kind, const std::string& persona) {
    const cv::Mat photo =
        cv::imread((kBuild / "pki" / "personas" / persona / "photo-source.png").string());
    if (photo.empty())
        return {};
    // A motivated attacker holds the picture straight: the eyes level (the quality gate asks a
    // tilted head to face the camera). The roll is measured with the terminal's own landmarks.
    cv::Mat level = photo;
    if (auto engine = uketsuke::vision::FaceEngine::load(
            uketsuke::vision::FaceModelPaths::inDirectory(kBuild / "models"))) {
        uketsuke::vision::AnalyseOptions options;
        options.computeEmbeddings = false;
        auto faces = engine.value()->analyse(photo, options);
        if (faces && !faces->empty()) {
            const double roll = faces->front().quality.pose.rollDeg;
            const cv::Point2f centre(faces->front().box.x + faces->front().box.width / 2.f,
                                     faces->front().box.y + faces->front().box.height / 2.f);
            cv::warpAffine(photo, level, cv::getRotationMatrix2D(centre, roll, 1.0), photo.size(),
                           cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        }
    }
    cv::Mat subject;
    if (kind == AttackKind::kCardPhotoTilted) {
#ifdef UKETSUKE_HAVE_CARD_FRONT_SIM
        // The card's own printed photo, the card held close to the camera (a face too small is
        // stopped by the quality gate, not by presentation-attack detection): the photo area with
        // the card's background and right edge around it.
        auto p = uketsuke::sim::loadPersona(kBuild / "sim" / "personas" / (persona + ".json"));
        if (p) {
            uketsuke::sim::CardFrontRenderer renderer;
            const double s = 16.0;
            const auto card = renderer.render(uketsuke::sim::cardFrontSpecFor(p.value(), level), s);
            const cv::Rect crop(cvRound(57.0 * s), cvRound(4.0 * s),
                                card.bgr.cols - cvRound(57.0 * s), cvRound(36.0 * s));
            subject = card.bgr(crop & cv::Rect(0, 0, card.bgr.cols, card.bgr.rows)).clone();
        }
#endif
        if (subject.empty()) {  // no renderer: a small print of the photo
            cv::resize(level, subject, {}, 0.3, 0.3, cv::INTER_AREA);
            cv::resize(subject, subject, level.size(), 0, 0, cv::INTER_LINEAR);
        }
    } else {
        subject = level.clone();
    }
    cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(90, 100, 110));
    const double scale = std::min(460.0 / subject.rows, 600.0 / subject.cols);
    cv::Mat scaled;
    cv::resize(subject, scaled, {}, scale, scale, cv::INTER_AREA);
    if (kind == AttackKind::kScreenReplay) {
        // A phone held up: a black bezel around the screen, the room around the phone.
        cv::Mat phone(scaled.rows + 40, scaled.cols + 24, CV_8UC3, cv::Scalar(15, 15, 15));
        scaled.copyTo(phone(cv::Rect(12, 20, scaled.cols, scaled.rows)));
        cv::resize(phone, scaled, {}, 460.0 / phone.rows, 460.0 / phone.rows, cv::INTER_AREA);
    }
    scaled.copyTo(frame(
        cv::Rect((640 - scaled.cols) / 2, (480 - scaled.rows) / 2, scaled.cols, scaled.rows)));
    return frame;
}

// Attack footage for the e2e sessions, written with OpenCV's VideoWriter into `dir`: a still
// picture with per-frame camera noise (sigma 14) and a small hand-like drift; the card photo also
// tilted back and forth; the screen replay also with refresh banding, moire and glare. The ONE
// place the e2e tests make attack footage: swap it for the vision attack generator when it lands.
fs::path writeAttackVideo(AttackKind kind, const std::string& persona, std::uint64_t seed,
                          const fs::path& dir, double seconds = 4.0) {
    const cv::Mat subject = attackSubject(kind, persona);
    if (subject.empty())
        return {};
    const double fps = 15.0;
    const fs::path file =
        dir / (std::string(attackName(kind)) + "-" + persona + "-" + std::to_string(seed) + ".avi");
    cv::VideoWriter writer(file.string(), cv::CAP_FFMPEG,
                           cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, subject.size());
    if (!writer.isOpened())
        return {};
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> step(0.0, 0.4);
    double dx = 0, dy = 0, angle = 0;
    const int frames = static_cast<int>(seconds * fps);
    for (int i = 0; i < frames; ++i) {
        dx = std::clamp(dx + step(rng), -6.0, 6.0);
        dy = std::clamp(dy + step(rng), -6.0, 6.0);
        angle = std::clamp(angle + step(rng) * 0.25, -1.5, 1.5);
        cv::Mat m = cv::getRotationMatrix2D({320.f, 240.f}, angle, 1.0);
        m.at<double>(0, 2) += dx;
        m.at<double>(1, 2) += dy;
        cv::Mat frame;
        cv::warpAffine(subject, frame, m, subject.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        if (kind == AttackKind::kCardPhotoTilted) {
            // Tilted about the vertical axis by up to 5 degrees, as a hand turns a card (more
            // and the quality gate asks the "face" to face the camera).
            const double t = 5.0 * CV_PI / 180.0 * std::sin(2 * CV_PI * i / (2.0 * fps));
            const float w = 640.f, h = 480.f,
                        shrink = static_cast<float>(0.5 * w * (1 - std::cos(t)));
            const float lift = static_cast<float>(0.12 * h * std::sin(t));
            const cv::Point2f from[] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
            const cv::Point2f to[] = {
                {shrink, lift}, {w - shrink, -lift}, {w - shrink, h + lift}, {shrink, h - lift}};
            cv::warpPerspective(frame, frame, cv::getPerspectiveTransform(from, to), frame.size(),
                                cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        }
        cv::Mat f;
        frame.convertTo(f, CV_32FC3);
        if (kind == AttackKind::kScreenReplay) {
            for (int y = 0; y < f.rows; ++y) {
                auto* row = f.ptr<cv::Vec3f>(y);
                const double band = 1.0 + 0.06 * std::sin(2 * CV_PI * (y + 7 * i) / 14.0);
                for (int x = 0; x < f.cols; ++x) {
                    const double moire = 1.0 + 0.04 * std::sin(0.9 * x) * std::sin(0.9 * y);
                    const double gx = (x - 420.0) / 90.0, gy = (y - 140.0) / 70.0;
                    const double glare = 70.0 * std::exp(-(gx * gx + gy * gy));
                    row[x] = row[x] * static_cast<float>(band * moire) +
                             cv::Vec3f::all(static_cast<float>(glare));
                }
            }
        }
        cv::Mat noise(f.size(), CV_32FC3);
        cv::theRNG().state = rng();
        cv::randn(noise, 0.0, 14.0);
        f += noise;
        f.convertTo(frame, CV_8UC3);
        writer.write(frame);
    }
    writer.release();
    return file;
}

class PresentationAttackE2e : public SessionE2e, public ::testing::WithParamInterface<AttackKind> {
  protected:
    // The e2e configuration with the live camera mode and `challenge`.
    void useLiveCamera(const std::string& challenge) {
        std::ifstream in(config_);
        json config = json::parse(in);
        config["vision"]["camera_mode"] = "live";
        config["vision"]["challenge"] = challenge;
        config_ = kE2e / ("uketsuke-e2e-live-" + challenge + ".json");
        std::ofstream(config_) << config.dump(2);
    }
};

// Each attack kind as the camera: the face path refuses it (the active challenge cannot be
// answered by a replay), the session falls back to the PIN and confirms by PIN, and the log row
// says presentation-attack-suspected. The challenge runs for every match here ("always"): the
// passive cues of this build still call a noisy still "live" (issue 13), so only the challenge
// stands between such a video and a face confirmation.
TEST_P(PresentationAttackE2e, AttackIsRefusedAndFallsBackToPin) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    useLiveCamera("always");
    const auto seed = 1300 + static_cast<std::uint64_t>(GetParam());
    const fs::path video = writeAttackVideo(GetParam(), "normal", seed, kE2e);
    ASSERT_FALSE(video.empty()) << "attack video not written";
    const json r = session({{"persona", "normal"},
                            {"methods", json::array({"face"})},
                            {"face_live", video.string()},
                            {"pins", json::array({"1234"})}});
    fs::remove(video);
    EXPECT_EQ(r["method"], "pin") << r.dump();
    EXPECT_EQ(r["outcome"], "confirmed") << r.dump();
    EXPECT_GE(r["attempts"]["face"].get<int>(), 1);
    EXPECT_EQ(r["failure_reason"].get<std::string>().rfind("presentation-attack-suspected", 0), 0u)
        << r.dump();
    bool pinPad = false;
    for (const auto& t : r["transcript"])
        pinPad = pinPad || t["action"] == "pin-pad-shown";
    EXPECT_TRUE(pinPad);
    const auto row = logRow(r["session_id"]);
    EXPECT_EQ(row.outcome, "confirmed");
    EXPECT_EQ(row.identityMethod, "pin");
    EXPECT_EQ(row.failureReason.rfind("presentation-attack-suspected", 0), 0u)
        << row.failureReason << " " << r.dump();
    expectLogVerifies();
}

// The same attack on a 顔認証マイナンバーカード: no PIN pad ever; staff decide (here: reject).
TEST_P(PresentationAttackE2e, AttackOnFaceAuthCardGoesToStaff) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    useLiveCamera("always");
    const auto seed = 1350 + static_cast<std::uint64_t>(GetParam());
    const fs::path video = writeAttackVideo(GetParam(), "face-auth", seed, kE2e);
    ASSERT_FALSE(video.empty()) << "attack video not written";
    const json r = session({{"persona", "face-auth"},
                            {"methods", json::array({"face"})},
                            {"face_live", video.string()},
                            {"staff",
                             {{{"id", "S001"},
                               {"password", kStaffPassword},
                               {"decision", "reject"},
                               {"reason", "face-differs"}}}}});
    fs::remove(video);
    EXPECT_EQ(r["outcome"], "refused") << r.dump();
    EXPECT_EQ(r["method"], "staff");
    EXPECT_EQ(r["attempts"]["pin"], 0);
    for (const auto& t : r["transcript"])
        EXPECT_NE(t["action"], "pin-pad-shown");
    const auto row = logRow(r["session_id"]);
    EXPECT_EQ(row.failureReason.rfind("presentation-attack-suspected", 0), 0u)
        << row.failureReason << " " << r.dump();
    expectLogVerifies();
}

INSTANTIATE_TEST_SUITE_P(Kinds, PresentationAttackE2e,
                         ::testing::Values(AttackKind::kStillNoise, AttackKind::kCardPhotoTilted,
                                           AttackKind::kScreenReplay),
                         [](const auto& info) {
                             std::string n = attackName(info.param);
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

// The demo camera is an attack too (issue 13 item 6): the persona's still photo pointed at as
// the camera in the live camera mode is not a face confirmation; the same photo in the demo's
// explicit demo-still mode is, and its row says so.
TEST_F(PresentationAttackE2e, StillPhotoPassesOnlyInDemoStillMode) {
    if (!haveModels())
        GTEST_SKIP() << "face models not built";
    const json demo = session({{"persona", "normal"},
                               {"methods", json::array({"face"})},
                               {"face_live", "persona-photo:normal"}});
    EXPECT_EQ(demo["outcome"], "confirmed") << demo.dump();
    EXPECT_EQ(demo["method"], "face");
    EXPECT_TRUE(demo["phase_ms"].contains("face_demo_still")) << demo.dump();

    useLiveCamera("when-unsure");
    const json live = session({{"persona", "normal"},
                               {"methods", json::array({"face"})},
                               {"face_live", "persona-photo:normal"},
                               {"pins", json::array({"1234"})}});
    EXPECT_EQ(live["method"], "pin") << live.dump();
    EXPECT_FALSE(live["phase_ms"].contains("face_demo_still"));
    EXPECT_EQ(live["failure_reason"].get<std::string>().rfind("presentation-attack-suspected", 0),
              0u)
        << live.dump();
    expectLogVerifies();
}

}  // namespace
