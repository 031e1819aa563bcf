// Fault injection (issue 14, "one ordering, recoverable"): a confirmation session runs in a child
// process over the real result folder (ResultFolderSink) and the real SQLite confirmation log,
// and is killed with SIGKILL at each step boundary (UKETSUKE_TEST_KILL_AT), or runs out of disk
// (RLIMIT_FSIZE), or meets a log that refuses rows, or loses its PostgreSQL server mid-session
// (a private throwaway server, stopped while the session is held at a step boundary). After
// start-up reconciliation the result files and the log rows must agree: every result file has its
// row, every row whose file was staged has its file, no temp file is left, the chain verifies. The
// counts are printed.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "terminal/result_file/result_folder.h"
#include "terminal/session/session_adapters.h"
#include "terminal/session/session_controller.h"
#include "terminal/session/session_log_sink.h"
#include "tests/unit/session/log_probe.h"
#include "tests/unit/session/session_fakes.h"

namespace uketsuke::terminal {
namespace {

namespace fs = std::filesystem;
using namespace uketsuke::terminal::test;

QualificationResult fullAnswer() {
    QualificationResult q;
    q.segmentOfResult = "1";
    q.processingResultStatus = "1";
    q.processExecutionTime = "20250410093015";
    q.qualificationConfirmationDate = "20250410";
    q.medicalInstitutionCode = "1312345678";
    q.validity = QualificationValidity::kValid;
    QualificationRecord r;
    r.insuredCardClassification = "01";
    r.insurerNumber = "  138057";
    r.insuredIdentificationNumber = "00456789";
    r.name = "試験 花子";
    r.nameKana = "ｼｹﾝ ﾊﾅｺ";
    r.sex1 = "2";
    r.birthdate = "19621103";
    q.records.push_back(r);
    return q;
}

// A log that refuses every row (a full disk, a stopped PostgreSQL, a revoked privilege).
struct RefusingLog : LogSink {
    Status<std::string> append(const SessionSummary&) override {
        return fail(std::string("unavailable: the log refuses rows"));
    }
};

enum class Fault { kNone, kKillAt, kDiskFull, kLogRefuses, kServerStoppedAt };

class FaultInjectionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        cert_ = testCertificate();
        if (cert_.empty())
            GTEST_SKIP() << "test PKI not built (build/pki)";
        dir_ = fs::temp_directory_path() /
               ("uketsuke-fault-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "res");
        logSection_ = {{"backend", "sqlite"},
                       {"path", (dir_ / "log.sqlite3").string()},
                       {"terminal_id", "fault-1"}};
    }
    void TearDown() override { fs::remove_all(dir_); }

    // One PIN session in a child process; returns how the child ended (the signal, or 0/1 exit).
    int runSession(Fault fault, const std::string& step = {}) {
        std::cout.flush();
        const pid_t pid = ::fork();
        if (pid == 0)
            ::_exit(childSession(fault, step));
        int status = 0;
        ::waitpid(pid, &status, WUNTRACED);
        if (fault == Fault::kServerStoppedAt && WIFSTOPPED(status)) {
            // Held at the step: the log's server goes away, then the session goes on.
            stopServer();
            ::kill(pid, SIGCONT);
            ::waitpid(pid, &status, 0);
            startServer();
        }
        if (WIFSIGNALED(status))
            return 128 + WTERMSIG(status);
        return WEXITSTATUS(status);
    }

    int childSession(Fault fault, const std::string& step) {
        auto log = openLogSink(logSection_, dir_);
        if (!log)
            return 3;
        ResultFolderSink results(ResultFileConfig{dir_ / "res"});
        RefusingLog refusing;
        if (fault == Fault::kKillAt)
            ::setenv("UKETSUKE_TEST_KILL_AT", step.c_str(), 1);
        if (fault == Fault::kServerStoppedAt)
            ::setenv("UKETSUKE_TEST_STOP_AT", step.c_str(), 1);
        if (fault == Fault::kDiskFull) {
            // Every file may grow no further than 1 KiB: the staged XML and the log's WAL both
            // fail with EFBIG, as on a full disk.
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit limit{1024, 1024};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        }
        FakeCard card;
        card.info.cardClass = card::CardClass::kNormal;
        card.info.authCertificate = cert_;
        card.info.authPin = RetryCounter{RetryCounter::State::kTriesLeft, 3};
        card.info.verificationNumberB = RetryCounter{RetryCounter::State::kTriesLeft, 10};
        card.pinAnswers = {card::CardStatus(Unit{})};
        FakeFace face;
        FakeFront front;
        FakeQualification qualification;
        qualification.answer = fullAnswer();
        FakeClock clock;
        ConsentCatalog catalog;
        catalog.version = "test-1";
        catalog.items = {{"medical-treatment", "", "MedicalTreatmentInfo", true, ""}};
        SessionPorts p;
        p.card = &card;
        p.face = &face;
        p.cardFront = &front;
        p.qualification = &qualification;
        p.results = &results;
        p.log = fault == Fault::kLogRefuses ? static_cast<LogSink*>(&refusing) : log.value().get();
        p.clock = &clock;
        p.consent = &catalog;
        SessionController c(p, SessionConfig{});
        c.cardInserted();
        c.chooseMethod(IdentityMethod::kPin);
        c.pinEntered(SecretBytes("1234"));
        c.consentGiven(ConsentChoices{true, {}});
        const bool logged = !c.lastLogError().has_value();
        const bool confirmed =
            c.lastSummary() && c.lastSummary()->outcome == SessionOutcome::kConfirmed;
        c.resultAcknowledged();
        c.cardRemoved();
        return logged && confirmed ? 0 : 1;
    }

    ReconcileReport reconcile() {
        auto log = openLogSink(logSection_, dir_);
        EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error());
        if (!log.ok())
            return {};
        auto report = log.value()->reconcile(dir_ / "res");
        EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error());
        return report.ok() ? report.value() : ReconcileReport{};
    }

    struct Agreement {
        int files = 0, rows = 0, confirmedRows = 0, tempFiles = 0;
        int filesWithoutRow = 0, rowsWithoutFile = 0;
    };

    // Compares the res folder with the log after reconciliation.
    Agreement check() {
        Agreement a;
        const LogProbe log = probeLog(logSection_, dir_);
        EXPECT_TRUE(log.error.empty()) << log.error;
        EXPECT_TRUE(log.verified);
        a.rows = static_cast<int>(log.outcomeBySession.size());
        std::set<std::string> fileIds;
        for (const auto& f : listResultFiles(dir_ / "res")) {
            ++a.files;
            fileIds.insert(f.arbitraryFileIdentifier);
            if (!log.outcomeBySession.count(f.arbitraryFileIdentifier))
                ++a.filesWithoutRow;
        }
        for (const auto& [sid, outcome] : log.outcomeBySession) {
            if (outcome == "confirmed") {
                ++a.confirmedRows;
                if (!fileIds.count(sid))
                    ++a.rowsWithoutFile;
            }
        }
        for (const auto& p : log.journal) {
            EXPECT_NE(p.state, "pending") << p.sessionId;
            if (p.state == "published") {
                EXPECT_TRUE(fs::exists(dir_ / "res" / p.fileName)) << p.fileName;
            }
        }
        for (const auto& e : fs::directory_iterator(dir_ / "res")) {
            if (e.path().extension() == ".tmp")
                ++a.tempFiles;
        }
        return a;
    }

    // The log's server, for the PostgreSQL fixture; nothing to do for SQLite.
    virtual void stopServer() {}
    virtual void startServer() {}

    Bytes cert_;
    fs::path dir_;
    nlohmann::json logSection_;
};

TEST_F(FaultInjectionTest, KillAtEveryStepThenReconcileAgrees) {
    const std::vector<std::string> steps{"answered", "staged", "logged", "published", "marked"};
    constexpr int kRounds = 3;
    ASSERT_EQ(runSession(Fault::kNone), 0);  // a clean session first: the log exists
    std::map<std::string, ReconcileReport> repaired;
    for (int round = 0; round < kRounds; ++round) {
        for (const auto& step : steps) {
            ASSERT_EQ(runSession(Fault::kKillAt, step), 128 + SIGKILL) << step;
            const auto report = reconcile();
            auto& total = repaired[step];
            total.publishedAtStartup += report.publishedAtStartup;
            total.markedPublished += report.markedPublished;
            total.filesLost += report.filesLost;
            total.filesWithoutRow += report.filesWithoutRow;
            total.staleTempsRemoved += report.staleTempsRemoved;
            const auto a = check();
            EXPECT_EQ(a.filesWithoutRow, 0) << step;
            EXPECT_EQ(a.rowsWithoutFile, 0) << step;
            EXPECT_EQ(a.tempFiles, 0) << step;
            EXPECT_EQ(a.files, a.confirmedRows) << step;
        }
    }
    // What each kill left, and what reconciliation did about it.
    EXPECT_EQ(repaired["answered"].staleTempsRemoved, 0);
    EXPECT_EQ(repaired["staged"].staleTempsRemoved, kRounds);   // no row: the temp goes
    EXPECT_EQ(repaired["logged"].publishedAtStartup, kRounds);  // row, no file: published
    EXPECT_EQ(repaired["published"].markedPublished, kRounds);  // file, entry pending: marked
    EXPECT_EQ(repaired["marked"].publishedAtStartup + repaired["marked"].markedPublished, 0);
    for (const auto& [step, r] : repaired) {
        EXPECT_EQ(r.filesLost, 0) << step;
        EXPECT_EQ(r.filesWithoutRow, 0) << step;
    }
    const auto a = check();
    // 1 clean + (logged, published, marked) × rounds sessions reached the log; answered and
    // staged kills left nothing.
    EXPECT_EQ(a.rows, 1 + 3 * kRounds);
    EXPECT_EQ(a.files, 1 + 3 * kRounds);
    std::cout << "fault injection (kill -9 at " << steps.size() << " steps x " << kRounds
              << "): result files " << a.files << ", log rows " << a.rows << ", confirmed rows "
              << a.confirmedRows << ", files without row " << a.filesWithoutRow
              << ", rows without file " << a.rowsWithoutFile << ", temp files " << a.tempFiles
              << "; repaired: published at start-up " << repaired["logged"].publishedAtStartup
              << ", marked " << repaired["published"].markedPublished << ", stale temps removed "
              << repaired["staged"].staleTempsRemoved << "\n";
}

TEST_F(FaultInjectionTest, DiskFullNeitherConfirmsNorLeavesAFile) {
    ASSERT_EQ(runSession(Fault::kNone), 0);
    EXPECT_EQ(runSession(Fault::kDiskFull), 1);  // not confirmed and not logged
    reconcile();
    const auto a = check();
    EXPECT_EQ(a.files, 1);
    EXPECT_EQ(a.rows, 1);
    EXPECT_EQ(a.rowsWithoutFile + a.filesWithoutRow + a.tempFiles, 0);
    std::cout << "disk full: result files " << a.files << ", log rows " << a.rows << "\n";
}

TEST_F(FaultInjectionTest, LogRefusingRowsStopsConfirmation) {
    ASSERT_EQ(runSession(Fault::kNone), 0);
    EXPECT_EQ(runSession(Fault::kLogRefuses), 1);
    reconcile();
    const auto a = check();
    EXPECT_EQ(a.files, 1);  // the refused session's staged file was dropped, never published
    EXPECT_EQ(a.rows, 1);
    EXPECT_EQ(a.tempFiles, 0);
    std::cout << "log refusing rows: result files " << a.files << ", log rows " << a.rows << "\n";
}

// A terminal_id the log would refuse on every row is refused at start-up.
TEST_F(FaultInjectionTest, TerminalIdTheLogRefusesIsCaughtAtStartup) {
    logSection_["terminal_id"] = "123456789012";
    auto log = openLogSink(logSection_, dir_);
    ASSERT_FALSE(log.ok());
    EXPECT_NE(log.error().find("terminal_id"), std::string::npos) << log.error();
    logSection_["terminal_id"] = "reception 1";
    EXPECT_FALSE(openLogSink(logSection_, dir_).ok());
}

// A result file whose session has no row (written by the old ordering, or the log lost it):
// reconciliation appends a row recording it.
TEST_F(FaultInjectionTest, FileWithoutRowIsRecorded) {
    ASSERT_EQ(runSession(Fault::kNone), 0);
    ResultFileInput in;
    in.result = fullAnswer();
    in.arbitraryFileIdentifier = "0f8a4a53-6d0e-4c55-9a43-6f4bb5f2c8e1";
    ASSERT_TRUE(writeResultFile(ResultFileConfig{dir_ / "res"}, in, 0).ok());
    const auto report = reconcile();
    EXPECT_EQ(report.filesWithoutRow, 1);
    const auto a = check();
    EXPECT_EQ(a.filesWithoutRow, 0);
    EXPECT_EQ(a.rows, 2);
    EXPECT_EQ(reconcile().filesWithoutRow, 0);  // once only
}

// The same confirmation over a PostgreSQL log whose server is stopped while the session is held
// at a step boundary (a real outage: the open connection breaks), then started again. The
// server is a private throwaway cluster (scripts/postgres.sh, its own folder and port), so the
// shared test server of the postgres suite is never touched.
class PostgresFaultInjectionTest : public FaultInjectionTest {
  protected:
    // The private cluster's port; UKETSUKE_FAULT_PG_PORT moves it, so a second build's suite
    // (scripts/sanitize.sh) running at the same time never meets this one.
    static std::string port() {
        const char* env = std::getenv("UKETSUKE_FAULT_PG_PORT");
        return env != nullptr && *env != '\0' ? env : "55439";
    }

    void SetUp() override {
        FaultInjectionTest::SetUp();
        if (IsSkipped())
            return;
        ASSERT_EQ(server("start"), 0) << "cannot start the private PostgreSQL server";
        logSection_ = {{"backend", "postgresql"},
                       {"connection", "host=" + (dir_ / "run" / "pgsock").string() + " port=" +
                                          port() + " dbname=uketsuke_test user=postgres"},
                       {"terminal_id", "fault-pg-1"}};
    }
    void TearDown() override {
        server("stop");
        FaultInjectionTest::TearDown();
    }
    void stopServer() override { EXPECT_EQ(server("stop"), 0); }
    void startServer() override { EXPECT_EQ(server("start"), 0); }

    int server(const std::string& verb) {
        const std::string cmd = "UKETSUKE_PG_PORT=" + port() + " " + UKETSUKE_SOURCE_DIR +
                                "/scripts/postgres.sh " + verb + " '" + dir_.string() +
                                "' >/dev/null";
        return std::system(cmd.c_str());
    }
};

TEST_F(PostgresFaultInjectionTest, ServerStoppedMidSessionThenReconcileAgrees) {
    ASSERT_EQ(runSession(Fault::kNone), 0);
    // Before the row (answered, staged): the row cannot be committed, so the staged file is
    // dropped and the session is not confirmed. After the row (logged, published): the file is
    // published but its publication cannot be marked; start-up reconciliation marks it.
    const std::vector<std::string> steps{"answered", "staged", "logged", "published"};
    std::map<std::string, ReconcileReport> repaired;
    for (const auto& step : steps) {
        EXPECT_EQ(runSession(Fault::kServerStoppedAt, step), 1) << step;  // never a clean success
        repaired[step] = reconcile();
        const auto a = check();
        EXPECT_EQ(a.filesWithoutRow, 0) << step;
        EXPECT_EQ(a.rowsWithoutFile, 0) << step;
        EXPECT_EQ(a.tempFiles, 0) << step;
        EXPECT_EQ(a.files, a.confirmedRows) << step;
    }
    EXPECT_EQ(repaired["answered"].markedPublished + repaired["staged"].markedPublished, 0);
    EXPECT_EQ(repaired["logged"].markedPublished, 1);
    EXPECT_EQ(repaired["published"].markedPublished, 1);
    const auto a = check();
    EXPECT_EQ(a.rows, 3);  // the clean session and the two whose row was in before the outage
    EXPECT_EQ(a.files, 3);
    std::cout << "PostgreSQL stopped at " << steps.size() << " steps: result files " << a.files
              << ", log rows " << a.rows << ", confirmed rows " << a.confirmedRows
              << ", files without row " << a.filesWithoutRow << ", rows without file "
              << a.rowsWithoutFile << ", temp files " << a.tempFiles << "; marked at start-up "
              << repaired["logged"].markedPublished + repaired["published"].markedPublished << "\n";
}

}  // namespace
}  // namespace uketsuke::terminal
