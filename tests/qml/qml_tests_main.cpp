// QtQuickTest runner for the screens' behaviour (tst_*.qml in this folder).
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

#include "tests/qml/test_setup.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

class Setup : public QObject {
    Q_OBJECT
  public slots:
    void applicationAvailable() { uketsuke::qml::testing::registerTestTypes(); }
    void qmlEngineAvailable(QQmlEngine* engine) { uketsuke::qml::testing::setUpEngine(*engine); }
};

QUICK_TEST_MAIN_WITH_SETUP(uketsuke_qml, Setup)

#include "qml_tests_main.moc"
