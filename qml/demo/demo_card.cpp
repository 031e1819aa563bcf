#include "qml/demo/demo_card.h"

#include <QThreadPool>
#include <utility>

#include "sim/harness/persona_card_front.h"
#include "sim/harness/vcard_client.h"
#include "sim/persona.h"

namespace uketsuke::qml::demo {

Result<std::unique_ptr<DemoCard>, std::string> DemoCard::create(sim::SimSettings settings,
                                                                const std::string& persona) {
    auto all = sim::loadPersonaDir(settings.personasDir);
    if (!all)
        return fail("personas: " + all.error().message());
    QStringList ids;
    for (const auto& [id, _] : all.value())
        ids << QString::fromStdString(id);
    if (!all.value().contains(persona))
        return fail("no persona " + persona + " in " + settings.personasDir.string());
    return std::unique_ptr<DemoCard>(new DemoCard(std::move(settings), ids, persona));
}

DemoCard::DemoCard(sim::SimSettings settings, QStringList personas, const std::string& persona)
    : settings_(std::move(settings)), personas_(std::move(personas)), persona_(persona) {}

QString DemoCard::persona() const {
    std::lock_guard lock(mutex_);
    return QString::fromStdString(persona_);
}

std::string DemoCard::cameraSpecFor(const std::string& persona) const {
    return (settings_.personasPkiDir / persona / "photo-source.png").string();
}

std::optional<terminal::CardFrontFields> DemoCard::cardFront() const {
    std::string persona;
    {
        std::lock_guard lock(mutex_);
        persona = persona_;
    }
    auto fields = sim::personaCardFront(settings_.personasDir, persona);
    if (!fields)
        return std::nullopt;  // a card without a printed front (e.g. a smartphone): staff entry
    return std::move(fields).takeValue();
}

void DemoCard::insert(const QString& persona) {
    const std::string p = persona.toStdString();
    if (!personas_.contains(persona))
        return;
    {
        std::lock_guard lock(mutex_);
        persona_ = p;
    }
    emit personaChanged();
    if (bridge_)
        bridge_->setCameraSpec(cameraSpecFor(p));
    control("insert " + p);
}

void DemoCard::remove() {
    control("remove");
}

void DemoCard::control(const std::string& request) {
    // Off the GUI thread: the virtual card answers after its card is out and in again.
    QThreadPool::globalInstance()->start([this, request, socket = settings_.controlSocket] {
        if (auto answer = sim::vcardControl(socket, request); !answer) {
            const QString line = QString::fromStdString(answer.error());
            QMetaObject::invokeMethod(this, [this, line, request] {
                qWarning("uketsuke-ui-demo: %s", qPrintable(line));
                emit controlFailed(QString::fromStdString(request));
            });
        }
    });
}

}  // namespace uketsuke::qml::demo
