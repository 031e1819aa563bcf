// The kiosk's main (issue 5), shared by uketsuke-ui (main.cpp) and the demo build
// uketsuke-ui-demo (qml/demo/demo_main.cpp). Full screen by default; --windowed for development.
#include "qml/kiosk_main.h"

#include <sys/socket.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSocketNotifier>
#include <QTimer>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>

#include "qml/bridge/frame_store.h"
#include "qml/bridge/ui_strings.h"
#include "qml/log/log_review_model.h"
#include "qml/sound/sound_player.h"
#include "terminal/service/systemd_notify.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

namespace {

// SIGTERM/SIGINT end the event loop normally (self-pipe: a signal handler may only write()), so
// the bridge's destructor runs and a session still open is logged as aborted, the card reset.
int signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &byte, 1);
}

// -h/--help/--help-all/-v/--version need no display: answered by a QCoreApplication before any
// window-system connection (issue 17: `uketsuke ui --help` used to need a display).
bool onlyHelp(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-?" || a == "-v" ||
            a == "--version")
            return true;
    }
    return false;
}

}  // namespace

namespace uketsuke::qml {

int runKiosk(int argc, char** argv, KioskExtension* extension) {
    std::unique_ptr<QCoreApplication> app;
    if (onlyHelp(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QGuiApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("uketsuke-ui"));
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Uketsuke (受付) reception kiosk"));
    cli.addHelpOption();
    QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("configuration file"),
                                 QStringLiteral("FILE"),
                                 qEnvironmentVariable("UKETSUKE_CONFIG", "uketsuke.json"));
    QCommandLineOption windowedOpt(QStringLiteral("windowed"),
                                   QStringLiteral("run in a window (development)"));
    QCommandLineOption cameraOpt(
        QStringLiteral("camera"),
        QStringLiteral("frame source: camera:0, a video, images:DIR or an image"),
        QStringLiteral("SPEC"));
    QCommandLineOption langOpt(QStringLiteral("lang"), QStringLiteral("start language (ja|en)"),
                               QStringLiteral("LANG"), QStringLiteral("ja"));
    cli.addOptions({configOpt, windowedOpt, cameraOpt, langOpt});
    if (extension)
        extension->addOptions(cli);
    cli.process(*app);  // exits here for --help

    const QString lang = cli.value(langOpt);
    if (lang != QLatin1String("ja") && lang != QLatin1String("en")) {
        std::cerr << "uketsuke-ui: --lang must be ja or en\n";
        return 2;
    }
    uketsuke::qml::Strings::setDefaultLanguage(lang);
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP")));

    uketsuke::qml::BridgeOptions options;
    options.configPath = cli.value(configOpt).toStdString();
    uketsuke::qml::LogReviewModel::setDefaultConfigFile(cli.value(configOpt));
    options.cameraSpec = cli.value(cameraOpt).toStdString();
    if (extension) {
        if (const std::string error = extension->configure(cli, options); !error.empty()) {
            std::cerr << "uketsuke-ui: " << error << "\n";
            return 2;
        }
    }

    auto frames = std::make_shared<uketsuke::qml::FrameStore>();
    uketsuke::qml::SessionBridge bridge(options, frames);
    QObject::connect(&bridge, &uketsuke::qml::SessionBridge::started, [](const QString& error) {
        if (!error.isEmpty())
            std::cerr << "uketsuke-ui: " << error.toStdString() << "\n";
    });

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the resource root: the module's qmldir is at qrc:/Uketsuke/.
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.addImageProvider(QStringLiteral("uketsuke"),
                            new uketsuke::qml::FrameImageProvider(frames));
    QVariantMap initial{{QStringLiteral("session"), QVariant::fromValue(&bridge)}};
    if (extension) {
        if (QObject* demo = extension->attach(bridge))
            initial.insert(QStringLiteral("demo"), QVariant::fromValue(demo));
    }
    engine.setInitialProperties(initial);
    engine.load(QUrl(QStringLiteral("qrc:/Uketsuke/views/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    if (!window)
        return 1;
    if (cli.isSet(windowedOpt)) {
        window->show();
    } else {
        window->showFullScreen();
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto* notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, app.get());
        QObject::connect(notifier, &QSocketNotifier::activated, app.get(), &QCoreApplication::quit);
        std::signal(SIGTERM, onSignal);
        std::signal(SIGINT, onSignal);
    }
    // The "sound" section (volume, mute, prompts folder) applies once the bridge has read it.
    auto* sound =
        engine.singletonInstance<uketsuke::qml::SoundPlayer*>(qmlTypeId("Uketsuke", 1, 0, "Sound"));
    QObject::connect(
        &bridge, &uketsuke::qml::SessionBridge::started, [&bridge, sound](const QString& error) {
            if (!error.isEmpty() || !sound)
                return;
            const auto& s = bridge.soundSettings();
            if (!s.dir.empty())
                sound->setDir(QString::fromStdString(s.dir.string()));
            sound->setVolume(s.volume);
            sound->setMuted(s.muted);
            sound->setAlarmWhenMuted(s.alarmWhenMuted);
            if (!sound->available())
                std::cerr << "uketsuke-ui: no voice guidance: " << sound->problem().toStdString()
                          << "\n";
        });
    bridge.start();
    // Under systemd (packaging/systemd/uketsuke-kiosk.service): ready once the window is up, then
    // watchdog pings from this event loop, so a hung UI is restarted.
    if (const auto notifier = uketsuke::terminal::SystemdNotifier::fromEnvironment()) {
        notifier->notify("READY=1");
        if (const auto interval = notifier->watchdogInterval()) {
            auto* ping = new QTimer(app.get());
            QObject::connect(ping, &QTimer::timeout, [n = *notifier] { n.notify("WATCHDOG=1"); });
            ping->start(static_cast<int>(std::max<long long>(1, interval->count() / 2000)));
        }
    }
    return app->exec();
}

}  // namespace uketsuke::qml
