// DoctorModel: `uketsuke doctor` on the staff status screen (issue 16). run() takes the checks
// in a background thread (never the GUI thread); `checks` then lists every check as
// {name, status ("ok"/"warn"/"fail"), detail} and stays until the next run. The job is made on
// the GUI thread (so it may capture the kiosk's own state, e.g. its camera's verdict) and run
// off it. SessionBridge gives it runDoctor() over the kiosk's configuration; tests a fake job.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QVariantList>
#include <functional>
#include <thread>

#include "terminal/doctor/doctor.h"

namespace uketsuke::qml {

class DoctorModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by the session (SessionModel.doctor)")

    Q_PROPERTY(bool running READ running NOTIFY changed)
    Q_PROPERTY(bool hasResult READ hasResult NOTIFY changed)
    Q_PROPERTY(QVariantList checks READ checks NOTIFY changed)
    // Counts of the last result per status.
    Q_PROPERTY(int failCount READ failCount NOTIFY changed)
    Q_PROPERTY(int warnCount READ warnCount NOTIFY changed)
    // How many runs finished (tests wait on it).
    Q_PROPERTY(int runs READ runs NOTIFY changed)

  public:
    using Job = std::function<terminal::doctor::DoctorReport()>;
    using JobFactory = std::function<Job()>;  // called on the GUI thread

    explicit DoctorModel(JobFactory factory, QObject* parent = nullptr);
    ~DoctorModel() override;  // waits for a running job
    Q_DISABLE_COPY_MOVE(DoctorModel)

    bool running() const { return running_; }
    bool hasResult() const { return runs_ > 0; }
    QVariantList checks() const { return checks_; }
    int failCount() const { return count("fail"); }
    int warnCount() const { return count("warn"); }
    int runs() const { return runs_; }

    // Starts the checks unless they are running already.
    Q_INVOKABLE void run();

    // The report as the screen's rows: {name, status, detail}.
    static QVariantList toItems(const terminal::doctor::DoctorReport& report);

  signals:
    void changed();

  private:
    int count(const char* status) const;

    JobFactory factory_;
    std::thread thread_;
    bool running_ = false;
    int runs_ = 0;
    QVariantList checks_;
};

}  // namespace uketsuke::qml
