// The staff station, scripted (issue 17 acceptance "patient calls staff -> the staff station shows
// the call within 1 s"): a kiosk's SessionModel (the test double, same base class as the real
// bridge) connected over mutually authenticated TLS (the test PKI of sim/pki/make-station-pki.sh)
// to a StaffStationModel; strangers (plain TCP, no certificate, another CA's certificate, a kiosk
// speaking for another, a look-alike station) are refused with a log line and show nothing; the
// card-left-behind alarm and a patient stuck on one screen raise the same call; a kiosk that
// disconnects leaves no stale call. The station window is rendered in both languages into
// <build>/screenshots.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include "qml/bridge/ui_strings.h"
#include "qml/station/staff_station_model.h"
#include "tests/qml/fake_session.h"
#include "tests/qml/test_setup.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

using uketsuke::qml::SessionModel;
using uketsuke::qml::StaffStationModel;
using uketsuke::qml::StationTlsFiles;
using uketsuke::qml::testing::FakeSession;

namespace {

QString pki(const QString& file) {
    return QStringLiteral(UKETSUKE_STATION_PKI_DIR "/") + file;
}
// A kiosk's files: the station CA, and the kiosk certificate `name` (kiosk-<id> or rogue-kiosk).
StationTlsFiles kioskTls(const QString& name) {
    return {pki(QStringLiteral("station-ca.pem")), pki(name + ".pem"), pki(name + ".key")};
}
StationTlsFiles stationTls(const QString& name = QStringLiteral("station")) {
    return {pki(QStringLiteral("station-ca.pem")), pki(name + ".pem"), pki(name + ".key")};
}
bool startStation(StaffStationModel& station, int port = 0,
                  const QString& cert = QStringLiteral("station")) {
    return station.setTls(stationTls(cert)) && station.listen(port, QStringLiteral("127.0.0.1"));
}
const QByteArray kCallLine = R"({"v":1,"terminal":"reception-1","reason":"patient","active":true})"
                             "\n";

}  // namespace

class StaffStationTest : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        uketsuke::qml::testing::registerTestTypes();
        if (!QSslSocket::supportsSsl())
            QFAIL("Qt has no TLS backend (qt6 OpenSSL plugin)");
        if (!QFile::exists(pki(QStringLiteral("station.pem"))))
            QFAIL("no station test PKI: build the station_pki target");
    }

    // The walk-through: the patient presses 職員を呼ぶ; the station lists it within 1 s.
    void patientCallReachesStationWithinOneSecond() {
        StaffStationModel station;
        QAbstractItemModelTester tester(&station);
        QVERIFY(startStation(station));
        QSignalSpy arrived(&station, &StaffStationModel::callArrived);
        FakeSession kiosk;
        kiosk.setState(SessionModel::ChoosingMethod);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                              QStringLiteral("reception-2"), kioskTls("kiosk-reception-2"));
        QTest::qWait(100);  // connected before the patient's press, as on a running kiosk
        QElapsedTimer t;
        t.start();
        kiosk.callStaff();
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 1000));
        const qint64 ms = t.elapsed();
        qInfo("call shown at the station after %lld ms", ms);
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
        QCOMPARE(station.key(0), QStringLiteral("reception-2:patient"));
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(kiosk.staffCalls(), QStringList{QStringLiteral("patient")});
        // Staff closes the call at the kiosk: it leaves the station's list.
        kiosk.dismissStaffCall();
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 0; }, 1000));
    }

    // A call made while the station was down arrives once the station is up.
    void callMadeBeforeTheStationStartsArrives() {
        StaffStationModel probe;
        QVERIFY(startStation(probe));
        const int port = probe.port();
        probe.listen(0, QStringLiteral("127.0.0.1"));  // frees `port` (another free one now)
        FakeSession kiosk;
        kiosk.setState(SessionModel::PinEntry);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), port, QStringLiteral("reception-3"),
                              kioskTls("kiosk-reception-3"));
        kiosk.callStaff();
        QTest::qWait(200);
        StaffStationModel station;
        QVERIFY(startStation(station, port));
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 5000));
        QCOMPARE(station.key(0), QStringLiteral("reception-3:patient"));
    }

    // The card-left-behind alarm and a patient stuck on one screen raise the same kind of call;
    // a kiosk that goes away leaves nothing behind.
    void leftBehindAndStuckRaiseCalls() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        auto kiosk = std::make_unique<FakeSession>();
        kiosk->setState(SessionModel::RemoveCard);
        kiosk->setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                               QStringLiteral("reception-1"), kioskTls("kiosk-reception-1"),
                               /*stuckAfterMs=*/600);
        kiosk->set(QStringLiteral("cardLeftBehindAlarm"), true);
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 1000));
        QCOMPARE(station.key(0), QStringLiteral("reception-1:card-left-behind"));
        kiosk->setState(SessionModel::Idle);
        kiosk->set(QStringLiteral("cardLeftBehindAlarm"), false);
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 0; }, 1000));
        // Stuck: the same patient screen for longer than stuckAfterMs.
        kiosk->setState(SessionModel::Consent);
        QTest::qWait(300);
        QCOMPARE(station.count(), 0);
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 2000));
        QCOMPARE(station.key(0), QStringLiteral("reception-1:stuck"));
        kiosk->setState(SessionModel::Confirming);  // moved on: no longer stuck
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 0; }, 1000));
        kiosk->callStaff();
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 1000));
        kiosk.reset();  // the kiosk process ends: its connection drops
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 0; }, 2000));
    }

    // A stranger on the LAN speaking the old plain-TCP protocol: refused at the handshake, with
    // a log line; nothing reaches the list.
    void plainTcpPeerIsRefused() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        QSignalSpy refused(&station, &StaffStationModel::peerRefused);
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("^uketsuke-station: refused 127.0.0.1:")));
        QTcpSocket stranger;
        connect(&stranger, &QTcpSocket::connected, &stranger, [&] { stranger.write(kCallLine); });
        stranger.connectToHost(QStringLiteral("127.0.0.1"), static_cast<quint16>(station.port()));
        QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, 6000));
        QTest::qWait(200);
        QCOMPARE(station.count(), 0);
        QCOMPARE(station.refusedCount(), 1);
    }

    // A peer that connects and never starts TLS is dropped after the handshake timeout (5 s).
    void silentPeerIsDroppedAfterTheHandshakeTimeout() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        QSignalSpy refused(&station, &StaffStationModel::peerRefused);
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("^uketsuke-station: refused 127.0.0.1:[0-9]+: no TLS "
                                              "handshake within 5 s")));
        QTcpSocket silent;
        silent.connectToHost(QStringLiteral("127.0.0.1"), static_cast<quint16>(station.port()));
        QTest::qWait(4000);
        QCOMPARE(refused.count(), 0);
        QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, 3000));
        QVERIFY(QTest::qWaitFor([&] { return silent.state() == QAbstractSocket::UnconnectedState; },
                                2000));
    }

    // TLS with the right CA but no client certificate: the station asks for one and refuses.
    void tlsPeerWithoutCertificateIsRefused() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        QSignalSpy refused(&station, &StaffStationModel::peerRefused);
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("^uketsuke-station: refused 127.0.0.1:")));
        QSslSocket stranger;
        auto config = stranger.sslConfiguration();
        config.setCaCertificates(QSslCertificate::fromPath(pki(QStringLiteral("station-ca.pem"))));
        stranger.setSslConfiguration(config);
        stranger.connectToHostEncrypted(QStringLiteral("localhost"),
                                        static_cast<quint16>(station.port()));
        // TLS 1.3: the client may think it is through before the station checked it.
        if (stranger.waitForEncrypted(2000))
            stranger.write(kCallLine);
        QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, 6000));
        QTest::qWait(200);
        QCOMPARE(station.count(), 0);
    }

    // A kiosk certificate from another CA (same CN as a real kiosk): refused, nothing shown.
    void kioskWithAnotherCasCertificateIsRefused() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        QSignalSpy refused(&station, &StaffStationModel::peerRefused);
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("^uketsuke-station: refused 127.0.0.1:")));
        FakeSession kiosk;
        kiosk.setState(SessionModel::ChoosingMethod);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                              QStringLiteral("reception-1"), kioskTls("rogue-kiosk"));
        kiosk.callStaff();
        QVERIFY(QTest::qWaitFor([&] { return refused.count() >= 1; }, 6000));
        QTest::qWait(300);
        QCOMPARE(station.count(), 0);
    }

    // A genuine kiosk may not raise calls in another kiosk's name (the CN is the name).
    void kioskCannotSpeakForAnother() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                               "dropped a call from .*names kiosk \"reception-2\", "
                                               "its certificate \"reception-1\"")));
        FakeSession kiosk;
        kiosk.setState(SessionModel::ChoosingMethod);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                              QStringLiteral("reception-2"), kioskTls("kiosk-reception-1"));
        kiosk.callStaff();
        QVERIFY(QTest::qWaitFor([&] { return station.refusedCount() == 1; }, 3000));
        QCOMPARE(station.count(), 0);
    }

    // A look-alike station (its certificate from another CA, trusting the public station CA):
    // the kiosk refuses it, logs why, and sends it nothing.
    void kioskRefusesALookAlikeStation() {
        StaffStationModel rogue;
        QVERIFY(startStation(rogue, 0, QStringLiteral("rogue-station")));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral(
                "^uketsuke-ui: staff station 127.0.0.1:[0-9]+: refused the station: ")));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("^uketsuke-station: refused")));
        FakeSession kiosk;
        kiosk.setState(SessionModel::ChoosingMethod);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), rogue.port(),
                              QStringLiteral("reception-1"), kioskTls("kiosk-reception-1"));
        kiosk.callStaff();
        QTest::qWait(1500);
        QCOMPARE(rogue.count(), 0);
    }

    // Without TLS files the station does not start, and the kiosk does not send.
    void noTlsNoLink() {
        StaffStationModel station;
        QVERIFY(!station.listen(0, QStringLiteral("127.0.0.1")));
        QVERIFY(station.error().contains(QStringLiteral("TLS is required")));
        QVERIFY(!station.setTls(StationTlsFiles{pki(QStringLiteral("station-ca.pem")),
                                                pki(QStringLiteral("station.pem")),
                                                pki(QStringLiteral("missing.key"))}));
        QVERIFY(station.error().contains(QStringLiteral("missing.key")));
        QVERIFY(!station.listen(0, QStringLiteral("127.0.0.1")));
        StaffStationModel plain;
        QVERIFY(startStation(plain));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("staff station .*: not used: TLS is required")));
        FakeSession kiosk;
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), plain.port(),
                              QStringLiteral("reception-1"), StationTlsFiles{});
        kiosk.callStaff();
        QTest::qWait(500);
        QCOMPARE(plain.count(), 0);
        QCOMPARE(plain.refusedCount(), 0);  // it never even connected
    }

    // The station window, with two calls, in both languages.
    void stationWindowRenders() {
        StaffStationModel station;
        QVERIFY(startStation(station));
        FakeSession a, b;
        a.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                          QStringLiteral("reception-1"), kioskTls("kiosk-reception-1"));
        b.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                          QStringLiteral("reception-2"), kioskTls("kiosk-reception-2"));
        a.callStaff();
        b.setState(SessionModel::RemoveCard);
        b.set(QStringLiteral("cardLeftBehindAlarm"), true);
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 2; }, 2000));
        QQmlEngine engine;
        uketsuke::qml::testing::setUpEngine(engine);
        QQmlComponent component(&engine,
                                QUrl(QStringLiteral("qrc:/Uketsuke/station/StaffStation.qml")));
        QVERIFY2(!component.isError(), qPrintable(component.errorString()));
        auto* strings =
            engine.singletonInstance<uketsuke::qml::Strings*>(qmlTypeId("Uketsuke", 1, 0, "Str"));
        QVERIFY(strings);
        const QString outDir = QStringLiteral(UKETSUKE_SCREENSHOT_DIR);
        QDir().mkpath(outDir);
        for (const QString& lang : {QStringLiteral("ja"), QStringLiteral("en")}) {
            strings->setLanguage(lang);
            std::unique_ptr<QObject> root(component.createWithInitialProperties(
                {{QStringLiteral("station"), QVariant::fromValue(&station)}}));
            auto* window = qobject_cast<QQuickWindow*>(root.get());
            QVERIFY(window);
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window));
            QTest::qWait(100);
            auto* title = window->findChild<QObject*>(QStringLiteral("stationTitle"));
            QVERIFY(title);
            QCOMPARE(title->property("text").toString(),
                     lang == QLatin1String("ja") ? QStringLiteral("2 件の呼び出しがあります")
                                                 : QStringLiteral("2 kiosks need a clerk"));
            auto* list = window->findChild<QObject*>(QStringLiteral("stationCalls"));
            QVERIFY(list);
            QCOMPARE(list->property("count").toInt(), 2);
            QVERIFY(window->grabWindow().save(outDir + "/Station-" + lang + ".png"));
        }
    }
};

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    StaffStationTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "staff_station_test.moc"
