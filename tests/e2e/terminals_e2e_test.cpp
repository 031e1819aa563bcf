// Several headless terminals on one PostgreSQL confirmation log (issue 4 acceptance: "8 concurrent
// headless terminals against one PostgreSQL log for 2 minutes: no lost or duplicated rows, and the
// chain verifies").
//
// Each terminal is what a reception machine runs: its own pcscd (in a private mount namespace, so
// each has its own /run/pcscd socket, as on separate machines) with a vpcd reader, its own virtual
// card, and a real `uketsuke session --script ... --repeat-for S` process; all of them share the
// qualification service (mutual TLS) and one PostgreSQL log. (One pcscd for all 8 would serialise
// every reader behind the vpcd driver's single lock: not what a clinic runs.) Each terminal serves
// a round-robin of patients (PIN, wrong PIN then right, face, face-auth card + 目視, not insured,
// expired certificate) and reports the session ids it logged; the log must hold exactly those rows,
// once each, under the right terminal, and its hash chain must verify.
//
// UKETSUKE_TERMINALS (default 8) and UKETSUKE_TERMINALS_SECONDS (default 120) scale the run.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "terminal/app/terminal_app.h"
#include "terminal/session/staff_auth.h"
#include "tests/e2e/log_check.h"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kBuild = UKETSUKE_BUILD_DIR;
const fs::path kDir = kBuild / "run" / "terminals";
constexpr const char* kSchema = "terminals";
constexpr const char* kStaffPassword = "mokushi-Pass-2025";
// vpcd ports of the terminals' readers: clear of scripts/services.sh's 35963/35964.
constexpr int kFirstPort = 36100;
using uketsuke::terminal::kFirstVpcdPort;

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

// Starts `argv` with stdout/stderr to `log`; its PID (stopped by PID at the end).
pid_t spawn(const std::vector<std::string>& argv, const fs::path& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::close(fd);
        }
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

// The exit code, or -1 when the process had not ended by `deadline` (it is then killed).
int waitExit(pid_t pid, std::chrono::steady_clock::time_point deadline) {
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0)
            return -1;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void stop(pid_t pid) {
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid, nullptr, WNOHANG) == pid)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

// The patients a terminal serves, round-robin (each restores the card's counters first).
std::vector<json> patientScripts(bool withFace) {
    std::vector<json> s{
        {{"persona", "normal"}, {"methods", {"pin"}}, {"pins", {"1234"}}},
        {{"persona", "normal"}, {"methods", {"pin"}}, {"pins", {"1111", "1234"}}},
        {{"persona", "face-auth"},
         {"methods", {"staff"}},
         {"staff", {{{"id", "S001"}, {"password", kStaffPassword}, {"decision", "approve"}}}}},
        {{"persona", "normal-2"}, {"methods", {"pin"}}, {"pins", {"2468"}}},  // 該当資格なし
        {{"persona", "expired-cert"}, {"methods", {"pin"}}, {"pins", {"1234"}}},
    };
    if (withFace)
        s.insert(s.begin() + 1,
                 json{{"persona", "normal"}, {"methods", {"face", "pin"}}, {"pins", {"1234"}}});
    for (auto& script : s)
        script["reset_state"] = true;
    return s;
}

class Terminals : public ::testing::Test {
  protected:
    void TearDown() override {
        for (pid_t pid : vcards_)
            stop(pid);
    }
    std::vector<pid_t> vcards_;
};

TEST_F(Terminals, ConcurrentTerminalsShareOnePostgresLog) {
    const int terminals = envInt("UKETSUKE_TERMINALS", 8);
    const int seconds = envInt("UKETSUKE_TERMINALS_SECONDS", 120);
    const fs::path cli = kBuild / "terminal" / "uketsuke";
    const fs::path vcard = kBuild / "sim" / "uketsuke-vcard";
    if (!fs::exists(cli) || !fs::exists(vcard) || !fs::exists(kBuild / "pki"))
        GTEST_SKIP() << "uketsuke, the virtual card or the test PKI is not built";

    // A private /run/pcscd per terminal needs mount namespaces (root, as in CI).
    if (std::system("unshare --mount --propagation private true >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "unshare --mount is not permitted here (needs root): cannot give each "
                        "terminal its own pcscd";

    fs::remove_all(kDir);
    fs::create_directories(kDir);
    ASSERT_EQ(uketsuke::e2e::fixturePsql(kBuild, std::string("DROP SCHEMA IF EXISTS ") + kSchema +
                                                     " CASCADE; CREATE SCHEMA " + kSchema),
              0)
        << "the PostgreSQL server of scripts/postgres.sh is not reachable";
    {
        auto file = uketsuke::terminal::StaffFile::create(
            uketsuke::SecretBytes(std::string(kStaffPassword)), {"S001"});
        ASSERT_TRUE(file.ok());
        ASSERT_TRUE(file->save(kDir / "staff.json").ok());
    }
    json base;
    {
        std::ifstream in(kBuild / "uketsuke-demo.json");
        base = json::parse(in);
    }
    const json logSection{{"backend", "postgresql"},
                          {"connection", uketsuke::e2e::fixturePgConnection(kBuild, kSchema)}};

    const bool withFace = fs::exists(kBuild / "models");
    std::vector<pid_t> sessions;
    for (int t = 0; t < terminals; ++t) {
        const std::string n = std::to_string(t + 1);
        const int port = kFirstPort + 2 * t;  // the driver's slot 0; slot 1 (port + 1) stays empty
        const fs::path socket = kDir / ("vcard-" + n + ".sock");
        vcards_.push_back(
            spawn({vcard.string(), "--personas", (kBuild / "sim" / "personas"), "--pki",
                   (kBuild / "pki"), "--control", socket.string(), "--port", std::to_string(port)},
                  kDir / ("vcard-" + n + ".log")));
        const fs::path readerConf = kDir / ("reader.conf.d-" + n);
        fs::create_directories(readerConf);
        std::ofstream(readerConf / "vpcd")
            << "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:" << port
            << "\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    " << port
            << "\n";
        json config = base;
        config["card"]["reader"] = uketsuke::terminal::vpcdReaderName(kFirstVpcdPort);
        config["sim"]["vcard_control_socket"] = socket.string();
        config["session"]["staff_file"] = (kDir / "staff.json").string();
        config["log"] = logSection;
        config["log"]["terminal_id"] = "reception-" + std::to_string(t + 1);
        config["result_file"]["res_folder"] = (kDir / ("res-" + std::to_string(t + 1))).string();
        const fs::path configFile = kDir / ("terminal-" + std::to_string(t + 1) + ".json");
        std::ofstream(configFile) << config.dump(2);

        std::string command = cli.string() + " --config " + configFile.string() + " session";
        auto scripts = patientScripts(withFace);
        for (std::size_t i = 0; i < scripts.size(); ++i) {
            // Each terminal starts with a different patient, so all paths overlap in time.
            const json& script = scripts[(i + static_cast<std::size_t>(t)) % scripts.size()];
            const fs::path file =
                kDir / ("terminal-" + std::to_string(t + 1) + "-" + std::to_string(i) + ".json");
            std::ofstream(file) << script.dump(2);
            command += " --script " + file.string();
        }
        command += " --repeat-for " + std::to_string(seconds) + " --json";
        // The terminal's own pcscd, in its mount namespace, stopped by PID when the terminal ends.
        const std::string machine =
            "mkdir -p /run/pcscd && mount -t tmpfs tmpfs /run/pcscd && "
            "{ pcscd --foreground --error -c " +
            readerConf.string() + " >" + (kDir / ("pcscd-" + n + ".log")).string() +
            " 2>&1 & pc=$!; }; " +
            "for i in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done; " +
            command + "; rc=$?; kill $pc; wait $pc; exit $rc";
        sessions.push_back(spawn(
            {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", machine},
            kDir / ("terminal-" + n + ".out")));
    }

    // What each terminal says it logged.
    std::map<std::string, std::string> reported;  // session id -> terminal id
    int total = 0;
    // A terminal finishes its last session after the run time; none may hang.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds + 120);
    for (int t = 0; t < terminals; ++t) {
        const std::string terminalId = "reception-" + std::to_string(t + 1);
        const fs::path out = kDir / ("terminal-" + std::to_string(t + 1) + ".out");
        EXPECT_EQ(waitExit(sessions[static_cast<std::size_t>(t)], deadline), 0)
            << terminalId << " failed or hung: see " << out;
        std::ifstream in(out);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto brace = text.rfind("\n{");
        const json summary =
            json::parse(text.substr(brace == std::string::npos ? 0 : brace + 1), nullptr, false);
        ASSERT_FALSE(summary.is_discarded()) << terminalId << " printed no summary: " << text;
        EXPECT_EQ(summary.at("not_logged").get<int>(), 0) << terminalId;
        EXPECT_TRUE(summary.at("harness_errors").empty())
            << terminalId << ": " << summary.at("harness_errors").dump();
        EXPECT_GT(summary.at("sessions").get<int>(), 0) << terminalId;
        // Every patient of the round-robin ends as designed (confirmed, or refused for the
        // uninsured and the expired certificate): no session aborted or failed under load.
        EXPECT_FALSE(summary.at("outcomes").contains("aborted")) << terminalId;
        EXPECT_FALSE(summary.at("outcomes").contains("error")) << terminalId;
        for (const auto& id : summary.at("session_ids")) {
            EXPECT_TRUE(reported.emplace(id.get<std::string>(), terminalId).second)
                << "session id reported twice: " << id;
        }
        total += summary.at("sessions").get<int>();
        std::cout << terminalId << ": " << summary.at("sessions") << " sessions "
                  << summary.at("outcomes").dump() << "\n";
    }
    std::cout << terminals << " terminals, " << seconds << " s: " << total << " sessions\n";

    // The log holds exactly those sessions, once each, under the terminal that ran them.
    auto rows = uketsuke::e2e::loggedSessionTerminals(logSection);
    ASSERT_TRUE(rows.has_value()) << "cannot read the PostgreSQL log";
    std::map<std::string, int> seen;
    for (const auto& [sessionId, terminalId] : *rows) {
        if (++seen[sessionId] > 1)
            ADD_FAILURE() << "duplicated row for session " << sessionId;
        const auto it = reported.find(sessionId);
        if (it == reported.end())
            ADD_FAILURE() << "row of session " << sessionId << " that no terminal reported";
        else
            EXPECT_EQ(terminalId, it->second) << sessionId;
    }
    for (const auto& [sessionId, terminalId] : reported) {
        if (!seen.count(sessionId))
            ADD_FAILURE() << "session " << sessionId << " of " << terminalId << " was lost";
    }
    EXPECT_EQ(rows->size(), reported.size());
    EXPECT_EQ(uketsuke::e2e::verifyLog(logSection), "");
}

}  // namespace
