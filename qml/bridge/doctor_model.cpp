#include "qml/bridge/doctor_model.h"

#include <QMetaObject>
#include <QPointer>
#include <QVariantMap>
#include <exception>

namespace uketsuke::qml {

namespace doc = terminal::doctor;

DoctorModel::DoctorModel(JobFactory factory, QObject* parent)
    : QObject(parent), factory_(std::move(factory)) {}

DoctorModel::~DoctorModel() {
    if (thread_.joinable())
        thread_.join();
}

void DoctorModel::run() {
    if (running_ || !factory_)
        return;
    if (thread_.joinable())
        thread_.join();  // the previous run's thread has posted its result and is ending
    Job job = factory_();
    running_ = true;
    emit changed();
    QPointer<DoctorModel> self(this);
    thread_ = std::thread([self, job = std::move(job)] {
        doc::DoctorReport report;
        try {
            report = job();
        } catch (const std::exception& e) {
            report.checks.push_back({"doctor", doc::CheckStatus::kFail, e.what()});
        }
        QVariantList items = toItems(report);
        // Queued to the GUI thread; dropped if the model is gone by then.
        QMetaObject::invokeMethod(self.data(), [self, items = std::move(items)] {
            if (!self)
                return;
            self->checks_ = items;
            self->running_ = false;
            ++self->runs_;
            emit self->changed();
        });
    });
}

QVariantList DoctorModel::toItems(const doc::DoctorReport& report) {
    QVariantList items;
    for (const auto& c : report.checks) {
        QVariantMap item;
        item["name"] = QString::fromStdString(c.name);
        const std::string_view status = doc::checkStatusName(c.status);
        item["status"] = QString::fromUtf8(status.data(), qsizetype(status.size()));
        item["detail"] = QString::fromStdString(c.detail);
        items << item;
    }
    return items;
}

int DoctorModel::count(const char* status) const {
    int n = 0;
    for (const auto& v : checks_)
        n += v.toMap().value("status").toString() == QLatin1String(status) ? 1 : 0;
    return n;
}

}  // namespace uketsuke::qml
