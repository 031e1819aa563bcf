// The staff station, scripted (issue 17 acceptance "patient calls staff -> the staff station shows
// the call within 1 s"): a kiosk's SessionModel (the test double, same base class as the real
// bridge) connected over TCP to a StaffStationModel; the card-left-behind alarm and a patient
// stuck on one screen raise the same call; a kiosk that disconnects leaves no stale call. The
// station window is rendered in both languages into <build>/screenshots.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include "qml/bridge/ui_strings.h"
#include "qml/station/staff_station_model.h"
#include "tests/qml/fake_session.h"
#include "tests/qml/test_setup.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

using uketsuke::qml::SessionModel;
using uketsuke::qml::StaffStationModel;
using uketsuke::qml::testing::FakeSession;

class StaffStationTest : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { uketsuke::qml::testing::registerTestTypes(); }

    // The walk-through: the patient presses 職員を呼ぶ; the station lists it within 1 s.
    void patientCallReachesStationWithinOneSecond() {
        StaffStationModel station;
        QAbstractItemModelTester tester(&station);
        QVERIFY(station.listen(0, QStringLiteral("127.0.0.1")));
        QSignalSpy arrived(&station, &StaffStationModel::callArrived);
        FakeSession kiosk;
        kiosk.setState(SessionModel::ChoosingMethod);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                              QStringLiteral("reception-2"));
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
        QVERIFY(probe.listen(0, QStringLiteral("127.0.0.1")));
        const int port = probe.port();
        probe.listen(0, QStringLiteral("127.0.0.1"));  // frees `port` (another free one now)
        FakeSession kiosk;
        kiosk.setState(SessionModel::PinEntry);
        kiosk.setStaffStation(QStringLiteral("127.0.0.1"), port, QStringLiteral("reception-3"));
        kiosk.callStaff();
        QTest::qWait(200);
        StaffStationModel station;
        QVERIFY(station.listen(port, QStringLiteral("127.0.0.1")));
        QVERIFY(QTest::qWaitFor([&] { return station.count() == 1; }, 5000));
        QCOMPARE(station.key(0), QStringLiteral("reception-3:patient"));
    }

    // The card-left-behind alarm and a patient stuck on one screen raise the same kind of call;
    // a kiosk that goes away leaves nothing behind.
    void leftBehindAndStuckRaiseCalls() {
        StaffStationModel station;
        QVERIFY(station.listen(0, QStringLiteral("127.0.0.1")));
        auto kiosk = std::make_unique<FakeSession>();
        kiosk->setState(SessionModel::RemoveCard);
        kiosk->setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                               QStringLiteral("reception-1"), /*stuckAfterMs=*/600);
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

    // The station window, with two calls, in both languages.
    void stationWindowRenders() {
        StaffStationModel station;
        QVERIFY(station.listen(0, QStringLiteral("127.0.0.1")));
        FakeSession a, b;
        a.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                          QStringLiteral("reception-1"));
        b.setStaffStation(QStringLiteral("127.0.0.1"), station.port(),
                          QStringLiteral("reception-2"));
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
