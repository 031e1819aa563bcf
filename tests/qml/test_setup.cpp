#include "tests/qml/test_setup.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include <QPainter>
#include <QQuickStyle>

#include "qml/bridge/frame_store.h"
#include "qml/log/log_review_model.h"
#include "terminal/log/confirmation_log.h"
#include "terminal/log/log_config.h"
#include "tests/qml/fake_audio_sink.h"
#include "tests/qml/fake_session.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::qml::testing {
namespace {

// A drawn face, so screenshots show where the live picture and the chip photo go.
QImage drawnFace(int w, int h, QColor background) {
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(background);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(0xE0, 0xAC, 0x69));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPointF(w / 2.0, h * 0.45), w * 0.18, h * 0.28);
    p.setBrush(Qt::black);
    p.drawEllipse(QPointF(w * 0.45, h * 0.4), w * 0.02, h * 0.02);
    p.drawEllipse(QPointF(w * 0.55, h * 0.4), w * 0.02, h * 0.02);
    return image;
}

}  // namespace

namespace {

// A small SQLite confirmation log of today's sessions for the log-review screen: a fresh folder
// per process under the build tree, named by the terminal configuration that LogReviewModel
// opens by default.
void setUpLogFixture() {
    namespace fs = std::filesystem;
    std::string name = "qml-log-";  // (not "a" + to_string(): GCC 12's false -Wrestrict at -O3)
    name += std::to_string(::getpid());
    const fs::path dir = fs::path(UKETSUKE_BUILD_DIR) / "run" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path config = dir / "terminal.json";
    std::ofstream(config) << R"({"log": {"backend": "sqlite", "path": "log.sqlite3",
                                         "terminal_id": "reception-1"}})";
    auto cfg = terminal::LogConfig::fromJson({{"backend", "sqlite"},
                                              {"path", (dir / "log.sqlite3").string()},
                                              {"terminal_id", "reception-1"}});
    if (!cfg)
        return;
    auto log = terminal::openConfirmationLog(cfg.value());
    if (!log)
        return;
    using terminal::IdentityMethod;
    using terminal::SessionOutcome;
    const std::pair<IdentityMethod, SessionOutcome> kinds[] = {
        {IdentityMethod::kFace, SessionOutcome::kConfirmed},
        {IdentityMethod::kPin, SessionOutcome::kConfirmed},
        {IdentityMethod::kStaff, SessionOutcome::kConfirmed},
        {IdentityMethod::kNone, SessionOutcome::kAborted},
        {IdentityMethod::kFace, SessionOutcome::kRefused}};
    const auto now = terminal::nowUtc();
    int minutes = static_cast<int>(std::size(kinds));
    for (const auto& [method, outcome] : kinds) {
        auto r = terminal::testing::makeRecord(method, outcome);
        r.startedAt = now - std::chrono::minutes(minutes--);
        r.endedAt = r.startedAt + std::chrono::milliseconds(1800);
        (void)log.value()->append(r);
    }
    LogReviewModel::setDefaultConfigFile(QString::fromStdString(config.string()));
}

}  // namespace

void registerTestTypes() {
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    qmlRegisterType<FakeSession>("Uketsuke.Testing", 1, 0, "FakeSession");
    qmlRegisterType<FakeAudioSink>("Uketsuke.Testing", 1, 0, "FakeAudioSink");
    setUpLogFixture();
}

void setUpEngine(QQmlEngine& engine) {
    // Qt 6.4 does not search the resource root: the module's qmldir is at qrc:/Uketsuke/.
    engine.addImportPath(QStringLiteral("qrc:/"));
    auto store = std::make_shared<FrameStore>();
    store->setLive(drawnFace(640, 480, QColor(0x60, 0x70, 0x80)));
    store->setChip(drawnFace(180, 220, QColor(0xC0, 0xC8, 0xD0)));
    engine.addImageProvider(QStringLiteral("uketsuke"), new FrameImageProvider(store));
}

}  // namespace uketsuke::qml::testing
