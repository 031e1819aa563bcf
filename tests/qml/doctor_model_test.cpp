// DoctorModel (issue 16): the staff status screen's full check runs `uketsuke doctor`'s checks
// off the GUI thread, one run at a time, and lists every check; each check has a name in both
// languages in the string table.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <atomic>
#include <chrono>
#include <thread>

#include "qml/bridge/doctor_model.h"
#include "qml/bridge/ui_strings.h"

namespace uketsuke::qml {
namespace {

namespace doc = terminal::doctor;

bool waitFor(const std::function<bool()>& done, int ms = 5000) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

TEST(DoctorModel, RunsTheJobOffTheGuiThreadOnceAtATime) {
    int argc = 1;
    char name[] = "doctor_model_test";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    const auto gui = std::this_thread::get_id();
    std::atomic<int> jobs{0};
    std::thread::id jobThread;
    int factories = 0;
    std::atomic<bool> release{false};
    DoctorModel model([&] {
        ++factories;
        EXPECT_EQ(std::this_thread::get_id(), gui);  // the factory runs on the GUI thread
        return [&] {
            jobThread = std::this_thread::get_id();
            while (!release)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            ++jobs;
            doc::DoctorReport r;
            r.checks.push_back(doc::evaluateDiskSpace(50ull << 20, 100ull << 30));
            r.checks.push_back(doc::evaluateCertificateExpiry(400, false));
            return r;
        };
    });
    EXPECT_FALSE(model.hasResult());
    model.run();
    EXPECT_TRUE(model.running());
    model.run();  // ignored while running
    EXPECT_EQ(factories, 1);
    // The GUI thread is free while the job waits.
    QCoreApplication::processEvents();
    EXPECT_TRUE(model.running());
    EXPECT_FALSE(model.hasResult());
    release = true;
    ASSERT_TRUE(waitFor([&] { return !model.running(); }));
    EXPECT_NE(jobThread, gui);
    EXPECT_EQ(jobs, 1);
    EXPECT_EQ(model.runs(), 1);
    ASSERT_EQ(model.checks().size(), 2);
    const auto disk = model.checks()[0].toMap();
    EXPECT_EQ(disk["name"].toString(), "disk");
    EXPECT_EQ(disk["status"].toString(), "fail");
    EXPECT_FALSE(disk["detail"].toString().isEmpty());
    EXPECT_EQ(model.checks()[1].toMap()["status"].toString(), "ok");
    EXPECT_EQ(model.failCount(), 1);
    EXPECT_EQ(model.warnCount(), 0);
    // A second run replaces the result.
    model.run();
    ASSERT_TRUE(waitFor([&] { return model.runs() == 2; }));
    EXPECT_EQ(jobs, 2);
    EXPECT_EQ(model.checks().size(), 2);
}

TEST(DoctorModel, AThrowingJobBecomesAFailedLine) {
    int argc = 1;
    char name[] = "doctor_model_test";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    DoctorModel model(
        [] { return []() -> doc::DoctorReport { throw std::runtime_error("boom"); }; });
    model.run();
    ASSERT_TRUE(waitFor([&] { return model.runs() == 1; }));
    ASSERT_EQ(model.checks().size(), 1);
    EXPECT_EQ(model.checks()[0].toMap()["status"].toString(), "fail");
    EXPECT_EQ(model.checks()[0].toMap()["detail"].toString(), "boom");
}

TEST(DoctorModel, DestroyedWhileRunningWaitsForTheJob) {
    int argc = 1;
    char name[] = "doctor_model_test";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    std::atomic<bool> finished{false};
    {
        DoctorModel model([&] {
            return [&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                finished = true;
                return doc::DoctorReport{};
            };
        });
        model.run();
    }
    EXPECT_TRUE(finished);
    QCoreApplication::processEvents();  // the queued result for the gone model is dropped
}

TEST(DoctorModel, EveryCheckHasANameInBothLanguages) {
    Strings strings;
    for (const char* lang : {"ja", "en"}) {
        const QString other = strings.code("doctor", "_default", lang);
        for (const char* check : {"pcscd", "reader", "card", "camera", "camera-exposure", "models",
                                  "terminal-key", "qualification", "client-certificate", "log",
                                  "result-folder", "staff-file", "clock", "disk", "config"}) {
            const QString text = strings.code("doctor", check, lang);
            EXPECT_FALSE(text.isEmpty()) << check << " " << lang;
            EXPECT_NE(text, other) << check << " " << lang;
            EXPECT_NE(text, QString(check)) << check << " " << lang;
        }
    }
}

}  // namespace
}  // namespace uketsuke::qml
