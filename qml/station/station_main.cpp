// uketsuke-station: the staff station window (issue 17 "real help"). Kiosks configured with
// "ui": {"staff_station": "HOST:PORT", ...} send their calls here over mutually authenticated TLS
// (station/station_tls.h); the window lists them. --ca/--cert/--key are required.
#include <QCommandLineParser>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <iostream>

#include "qml/bridge/ui_strings.h"
#include "qml/station/staff_station_model.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("uketsuke-station"));
    QCommandLineParser cli;
    cli.setApplicationDescription(
        QStringLiteral("Uketsuke staff station: kiosks that need a clerk"));
    cli.addHelpOption();
    QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("TCP port to listen on"),
                               QStringLiteral("PORT"), QStringLiteral("7490"));
    QCommandLineOption addressOpt(QStringLiteral("address"), QStringLiteral("address to listen on"),
                                  QStringLiteral("ADDR"), QStringLiteral("0.0.0.0"));
    QCommandLineOption langOpt(QStringLiteral("lang"), QStringLiteral("language (ja|en)"),
                               QStringLiteral("LANG"), QStringLiteral("ja"));
    QCommandLineOption caOpt(
        QStringLiteral("ca"),
        QStringLiteral("PEM: the station CA that issued the kiosks' certificates"),
        QStringLiteral("FILE"));
    QCommandLineOption certOpt(QStringLiteral("cert"),
                               QStringLiteral("PEM: the station's server certificate"),
                               QStringLiteral("FILE"));
    QCommandLineOption keyOpt(QStringLiteral("key"), QStringLiteral("PEM: its private key"),
                              QStringLiteral("FILE"));
    cli.addOptions({portOpt, addressOpt, langOpt, caOpt, certOpt, keyOpt});
    cli.process(app);
    uketsuke::qml::Strings::setDefaultLanguage(cli.value(langOpt));
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP")));

    uketsuke::qml::StaffStationModel station;
    if (!station.setTls({cli.value(caOpt), cli.value(certOpt), cli.value(keyOpt)})) {
        std::cerr << "uketsuke-station: " << station.error().toStdString()
                  << " (--ca, --cert, --key)\n";
        return 1;
    }
    if (!station.listen(cli.value(portOpt).toInt(), cli.value(addressOpt))) {
        std::cerr << "uketsuke-station: cannot listen on port " << cli.value(portOpt).toStdString()
                  << "\n";
        return 1;
    }
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({{QStringLiteral("station"), QVariant::fromValue(&station)}});
    engine.load(QUrl(QStringLiteral("qrc:/Uketsuke/station/StaffStation.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
