// Screenshot test (issue 5): renders every screen in both languages offscreen with the fake
// session, writes <build>/screenshots/<screen>-<lang>.png, and fails when a screen does not
// render (empty or one colour) or when a text does not fit its box: a visible Text that is
// truncated, wider or taller than its item, outside the window, or showing a missing string id
// ("[id]"). Each failure names the screen, the language and the text.
// Issue 17 item 7: every scene again in the patient's large-text / high-contrast mode
// (<screen>-<lang>-large.png), with the same checks plus: no two texts overlap, every touch target
// is at least Theme.touchTarget in both directions and inside the window, and the large-text
// button is on every patient screen (in both modes).
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <functional>
#include <iostream>

#include "qml/bridge/session_model.h"
#include "qml/bridge/ui_strings.h"
#include "tests/qml/fake_session.h"
#include "tests/qml/test_setup.h"

Q_IMPORT_QML_PLUGIN(UketsukePlugin)

namespace {

using uketsuke::qml::SessionModel;
using uketsuke::qml::testing::FakeSession;

struct Scene {
    QString name;
    std::function<void(FakeSession&)> setUp;
    QString staffPage;                         // opened in the staff panel (signed in) when set
    std::function<void(QQuickWindow&)> after;  // e.g. open the per-item consent list

    // Main.screenName of the scene: the part before '-', except for the overlays.
    QString expectedScreen() const {
        if (name == "CallStaff")
            return QStringLiteral("ChooseMethod");
        if (name == "DemoPanel")
            return QStringLiteral("PlaceCard");
        return name.section('-', 0, 0);
    }
};

// Sets `property` on the screen the loader shows (e.g. open the credential pad).
void setOnScreen(QQuickWindow& w, const char* property, const QVariant& value) {
    if (auto* loader = w.findChild<QObject*>("screenLoader")) {
        if (auto* page = loader->property("item").value<QObject*>())
            page->setProperty(property, value);
    }
}

void openOnScreen(QQuickWindow& w, const char* objectName) {
    if (auto* item = w.findChild<QObject*>(objectName))
        QMetaObject::invokeMethod(item, "open");
}

void offer(FakeSession& f) {
    f.setState(SessionModel::ChoosingMethod);
    f.set("offerFace", true);
    f.set("offerPin", true);
    f.set("offerStaff", true);
    f.set("pinTriesLeft", 3);
    f.set("timeLeftSeconds", 97);
}

QList<Scene> scenes() {
    return {
        {"PlaceCard", [](FakeSession& f) { f.setState(SessionModel::Idle); }, {}, {}},
        {"ReadingCard", [](FakeSession& f) { f.setState(SessionModel::ReadingCard); }, {}, {}},
        {"Starting", [](FakeSession& f) { f.setState(SessionModel::Starting); }, {}, {}},
        {"ChooseMethod", offer, {}, {}},
        {"ChooseMethod-notice",
         [](FakeSession& f) {
             offer(f);
             f.set("notice", "renewal-due");
             f.set("message", "chip-photo-wrong-credential");
             f.set("offerFace", false);
         },
         {},
         {}},
        // The countdown at several values: the header must not move (tst_layout checks the
        // geometry; these are for the eye).
        {"ChooseMethod-t120",
         [](FakeSession& f) {
             offer(f);
             f.set("timeLeftSeconds", 120);
         },
         {},
         {}},
        {"ChooseMethod-t9",
         [](FakeSession& f) {
             offer(f);
             f.set("timeLeftSeconds", 9);
         },
         {},
         {}},
        // A 顔認証マイナンバーカード: no PIN, and the screen says why.
        {"ChooseMethod-faceAuthCard",
         [](FakeSession& f) {
             offer(f);
             f.set("offerPin", false);
             f.set("pinUnavailableReason", "face-auth-card");
         },
         {},
         {}},
        // The longest texts together: a notice, a failed path, the locked-PIN reason.
        {"ChooseMethod-longest",
         [](FakeSession& f) {
             offer(f);
             f.set("offerPin", false);
             f.set("notice", "renewal-due");
             f.set("message", "chip-photo-wrong-credential");
             f.set("pinUnavailableReason", "pin-locked");
         },
         {},
         {}},
        // The certificate self-check, in its grace period (the longest texts).
        {"ChooseMethod-certificate",
         [](FakeSession& f) {
             offer(f);
             f.set("certExpiry", "2026-10-17");
             f.set("certState", "expired-within-grace");
             f.set("certRenewalFrom", "2026-07-17");
             f.set("certGraceEnd", "2027-01-31");
         },
         {},
         [](QQuickWindow& w) { openOnScreen(w, "certificateCheck"); }},
        {"CardFaceReading",
         [](FakeSession& f) {
             offer(f);
             f.set("cardFrontNeeded", true);
         },
         {},
         {}},
        {"FaceCapture",
         [](FakeSession& f) {
             f.setState(SessionModel::FaceCapture);
             f.set("faceGuidance", "remove_mask");
             f.set("faceCount", 1);
             f.set("faceAttempts", 1);
             f.set("message", "face-mismatch");
             f.set("timeLeftSeconds", 12);
         },
         {},
         {}},
        {"FaceCapture-nocamera",
         [](FakeSession& f) {
             f.setState(SessionModel::FaceCapture);
             f.setCamera(false);
             f.set("timeLeftSeconds", 80);
         },
         {},
         {}},
        {"PinEntry",
         [](FakeSession& f) {
             f.setState(SessionModel::PinEntry);
             f.set("pinTriesLeft", 3);
             f.set("timeLeftSeconds", 110);
             f.pinDigit(1);
             f.pinDigit(2);
         },
         {},
         {}},
        {"PinEntry-afterFace",
         [](FakeSession& f) {
             f.setState(SessionModel::PinEntry);
             f.set("pinTriesLeft", 1);
             f.set("lastTryWarning", true);
             f.set("message", "face-mismatch");
             f.set("timeLeftSeconds", 99);
         },
         {},
         {}},
        {"PinEntry-lastTry",
         [](FakeSession& f) {
             f.setState(SessionModel::PinEntry);
             f.set("pinTriesLeft", 1);
             f.set("lastTryWarning", true);
             f.set("message", "pin-wrong");
             f.set("timeLeftSeconds", 110);
         },
         {},
         {}},
        {"StaffCheck",
         [](FakeSession& f) {
             f.setState(SessionModel::StaffCheck);
             f.set("chipPhotoAvailable", true);
             f.set("chipPhotoRevision", 1);
             f.set("staffAuthMessage", "staff-wrong-password");
             f.set("timeLeftSeconds", 100);
         },
         {},
         {}},
        {"StaffCheck-why",
         [](FakeSession& f) {
             f.setState(SessionModel::StaffCheck);
             f.set("message", "pin-locked");
             f.set("timeLeftSeconds", 288);
         },
         {},
         {}},
        {"StaffCheck-pad",
         [](FakeSession& f) {
             f.setState(SessionModel::StaffCheck);
             f.set("chipPhotoAvailable", true);
             f.set("staffAuthMessage", "staff-locked-out");
             f.set("timeLeftSeconds", 240);
         },
         {},
         [](QQuickWindow& w) { setOnScreen(w, "pending", QStringLiteral("approve")); }},
        {"Consent",
         [](FakeSession& f) {
             f.setState(SessionModel::Consent);
             f.set("verifiedMethod", "face");
             f.set("timeLeftSeconds", 100);
         },
         {},
         {}},
        {"Consent-cancel",
         [](FakeSession& f) {
             f.setState(SessionModel::Consent);
             f.set("verifiedMethod", "staff");
             f.set("timeLeftSeconds", 100);
         },
         {},
         [](QQuickWindow& w) { openOnScreen(w, "confirmCancel"); }},
        {"Consent-qualificationOnly",
         [](FakeSession& f) {
             f.setState(SessionModel::Consent);
             f.set("verifiedMethod", "pin");
             f.set("notice", "qualification-only");
             f.set("timeLeftSeconds", 100);
         },
         {},
         {}},
        {"Consent-items",
         [](FakeSession& f) {
             f.setState(SessionModel::Consent);
             f.set("verifiedMethod", "pin");
             f.set("timeLeftSeconds", 100);
         },
         {},
         [](QQuickWindow& w) { setOnScreen(w, "individual", true); }},
        {"Confirming", [](FakeSession& f) { f.setState(SessionModel::Confirming); }, {}, {}},
        {"Result-confirmed",
         [](FakeSession& f) {
             f.setState(SessionModel::ShowingResult);
             f.set("resultOutcome", "confirmed");
             f.set("resultValidity", 1);
             f.set("insurerName", QString::fromUtf8("全国健康保険協会東京支部"));
             f.set("contributionRatio", "30");
             f.set("timeLeftSeconds", 30);
         },
         {},
         {}},
        {"Result-refused",
         [](FakeSession& f) {
             f.setState(SessionModel::ShowingResult);
             f.set("resultOutcome", "refused");
             f.set("message", "qualification-certificate_revoked");
         },
         {},
         {}},
        {"Result-error",
         [](FakeSession& f) {
             f.setState(SessionModel::ShowingResult);
             f.set("resultOutcome", "error");
             f.set("message", "qualification-unreachable");
         },
         {},
         {}},
        {"RemoveCard", [](FakeSession& f) { f.setState(SessionModel::RemoveCard); }, {}, {}},
        {"RemoveCard-confirmed",
         [](FakeSession& f) {
             f.setState(SessionModel::RemoveCard);
             f.set("ending", "confirmed");
         },
         {},
         {}},
        {"RemoveCard-timeout",
         [](FakeSession& f) {
             f.setState(SessionModel::RemoveCard);
             f.set("ending", "timeout");
         },
         {},
         {}},
        {"RemoveCard-error",
         [](FakeSession& f) {
             f.setState(SessionModel::RemoveCard);
             f.set("ending", "error");
         },
         {},
         {}},
        {"PlaceCard-cardPulled",
         [](FakeSession& f) {
             f.setState(SessionModel::Idle);
             f.set("ending", "card-removed");
         },
         {},
         {}},
        {"RemoveCard-alarm",
         [](FakeSession& f) {
             f.setState(SessionModel::RemoveCard);
             f.set("ending", "refused");
             f.set("cardLeftBehindAlarm", true);
         },
         {},
         {}},
        {"Unavailable",
         [](FakeSession& f) {
             f.setState(SessionModel::Unavailable);
             f.setError("face models could not be loaded from /opt/uketsuke/models");
         },
         {},
         {}},
        {"CallStaff",
         [](FakeSession& f) {
             offer(f);
             f.callStaff();
         },
         {},
         {}},
        {"StaffLogin", [](FakeSession& f) { f.setState(SessionModel::Idle); }, "login", {}},
        {"StaffMenu", [](FakeSession& f) { f.setState(SessionModel::Idle); }, "StaffMenu.qml", {}},
        {"StaffMenu-card",
         [](FakeSession& f) { f.setState(SessionModel::ChoosingMethod); },
         "StaffMenu.qml",
         {}},
        {"CardFrontEntry",
         [](FakeSession& f) { f.setState(SessionModel::Idle); },
         "CardFrontEntry.qml",
         {}},
        {"TerminalStatus",
         [](FakeSession& f) { f.setState(SessionModel::Idle); },
         "TerminalStatus.qml",
         {}},
        {"LogReview",
         [](FakeSession& f) { f.setState(SessionModel::Idle); },
         "../log/LogReview.qml",
         {}},
        {"DemoPanel",
         [](FakeSession& f) {
             f.setState(SessionModel::Idle);
             f.setDemoPersonas({"expired-cert", "expired-grace", "face-auth", "no-signing-cert",
                                "normal", "normal-2", "normal-3", "not-mynumber", "pin-locked",
                                "renewal-due", "revoked", "smartphone"},
                               "normal");
         },
         {},
         {}},
    };
}

bool isText(const QQuickItem* item) {
    return item->inherits("QQuickText");
}

bool clippedOrScrolled(const QQuickItem* item) {
    for (const QQuickItem* p = item->parentItem(); p; p = p->parentItem()) {
        if (p->clip() || p->inherits("QQuickFlickable"))
            return true;
    }
    return false;
}

void collectTexts(QQuickItem* item, QList<QQuickItem*>& out) {
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    if (isText(item))
        out << item;
    for (QQuickItem* child : item->childItems())
        collectTexts(child, out);
}

QStringList textProblems(QQuickWindow& window) {
    QStringList problems;
    QList<QQuickItem*> texts;
    collectTexts(window.contentItem(), texts);
    for (QQuickItem* t : texts) {
        const QString text = t->property("text").toString();
        if (text.isEmpty())
            continue;
        const double w = t->width(), h = t->height();
        const double cw = t->property("contentWidth").toDouble();
        const double ch = t->property("contentHeight").toDouble();
        QString why;
        if (t->property("truncated").toBool())
            why = "truncated";
        else if (cw > w + 1)
            why = QString("content width %1 > box %2").arg(cw).arg(w);
        else if (ch > h + 1)
            why = QString("content height %1 > box %2").arg(ch).arg(h);
        else if (text.startsWith('[') && text.endsWith(']'))
            why = "missing string id";
        else if (!clippedOrScrolled(t)) {
            const QRectF r = t->mapRectToScene(QRectF(0, 0, w, h));
            if (r.right() > window.width() + 1 || r.bottom() > window.height() + 1 ||
                r.left() < -1 || r.top() < -1)
                why = QString("outside the window (%1,%2 %3x%4)")
                          .arg(r.x())
                          .arg(r.y())
                          .arg(r.width())
                          .arg(r.height());
        }
        if (!why.isEmpty())
            problems << QString("\"%1\": %2").arg(text.left(60), why);
    }
    return problems;
}

bool insideDemoPanel(const QQuickItem* item) {
    for (const QQuickItem* p = item; p; p = p->parentItem()) {
        if (p->objectName() == QLatin1String("demoPanel"))
            return true;
    }
    return false;
}

// A raw code in a Japanese screen (issue 17): a lower-case ASCII token of 3+ characters, alone
// or in kebab/snake case ("card-removed", "normal", "face_mismatch"). Not codes: session UUIDs,
// capitalised words ("English", "PIN"), numbers and dates, and the few names a clinic or a
// technician knows as they are (kNotCodes). The demo panel (not on a clinic's kiosk) is skipped.
const QStringList kNotCodes = {
    QStringLiteral("pcscd"),        // the PC/SC daemon, named in the status advice for staff
    QStringLiteral("reception-1"),  // the log fixture's terminal ID: the clinic's own name
};

QStringList rawCodes(QQuickWindow& window) {
    static const QRegularExpression uuid(
        QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    static const QRegularExpression token(QStringLiteral("[A-Za-z0-9_.:-]+"));
    static const QRegularExpression code(QStringLiteral("^[a-z][a-z0-9]*([-_:][a-z0-9]+)*$"));
    QStringList problems;
    QList<QQuickItem*> texts;
    collectTexts(window.contentItem(), texts);
    for (QQuickItem* t : texts) {
        if (insideDemoPanel(t))
            continue;
        QString text = t->property("text").toString();
        text.remove(uuid);
        auto it = token.globalMatch(text);
        while (it.hasNext()) {
            QString word = it.next().captured(0);
            while (word.endsWith('.') || word.endsWith(':') || word.endsWith('-'))
                word.chop(1);
            if (word.size() >= 3 && code.match(word).hasMatch() && !kNotCodes.contains(word))
                problems << QString("raw code \"%1\" in \"%2\"").arg(word, text.left(60));
        }
    }
    return problems;
}

void collectButtons(QQuickItem* item, QList<QQuickItem*>& out) {
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    if (item->inherits("QQuickAbstractButton") && !clippedOrScrolled(item))
        out << item;
    for (QQuickItem* child : item->childItems())
        collectButtons(child, out);
}

QQuickItem* topLayer(QQuickWindow& window);

// Two touch targets on top of each other: one of them cannot be pressed.
QStringList overlappingButtons(QQuickWindow& window) {
    QStringList problems;
    // Only the top layer takes touches: the staff panel or the call-staff overlay when shown.
    QList<QQuickItem*> buttons;
    collectButtons(topLayer(window), buttons);
    for (int i = 0; i < buttons.size(); ++i) {
        const QRectF a =
            buttons[i]->mapRectToScene(QRectF(0, 0, buttons[i]->width(), buttons[i]->height()));
        for (int j = i + 1; j < buttons.size(); ++j) {
            const QRectF b =
                buttons[j]->mapRectToScene(QRectF(0, 0, buttons[j]->width(), buttons[j]->height()));
            const QRectF both = a.intersected(b);
            if (both.width() > 2 && both.height() > 2)
                problems << QString("buttons \"%1\" and \"%2\" overlap")
                                .arg(buttons[i]->property("text").toString(),
                                     buttons[j]->property("text").toString());
        }
    }
    return problems;
}

// The layer that takes touches: the topmost open overlay, else the window.
QQuickItem* topLayer(QQuickWindow& window) {
    QQuickItem* top = window.contentItem();
    for (const char* layer : {"credentialPad", "confirmCancel", "certificateCheck", "mediumChooser",
                              "callStaffOverlay", "staffPanel"}) {
        auto* item = window.findChild<QQuickItem*>(layer);
        if (item && item->isVisible())
            top = item;
    }
    return top;
}

// Where a Text's glyphs are, in scene coordinates: its box narrowed to its content, placed by its
// alignment.
QRectF inkRect(const QQuickItem* t) {
    const double w = t->width(), h = t->height();
    const double cw = std::min(w, t->property("contentWidth").toDouble());
    const double ch = std::min(h, t->property("contentHeight").toDouble());
    const int ha = t->property("effectiveHorizontalAlignment").toInt();
    const int va = t->property("verticalAlignment").toInt();
    const double x = (ha & Qt::AlignHCenter) ? (w - cw) / 2 : (ha & Qt::AlignRight) ? w - cw : 0;
    const double y = (va & Qt::AlignVCenter) ? (h - ch) / 2 : (va & Qt::AlignBottom) ? h - ch : 0;
    return t->mapRectToScene(QRectF(x, y, cw, ch));
}

// Two texts drawn over each other (a layout too small for the larger font): unreadable.
QStringList overlappingTexts(QQuickWindow& window) {
    QStringList problems;
    QList<QQuickItem*> all, texts;
    collectTexts(topLayer(window), all);
    for (QQuickItem* t : all) {
        if (!t->property("text").toString().trimmed().isEmpty() && !clippedOrScrolled(t))
            texts << t;
    }
    for (int i = 0; i < texts.size(); ++i) {
        const QRectF a = inkRect(texts[i]);
        for (int j = i + 1; j < texts.size(); ++j) {
            const QRectF both = a.intersected(inkRect(texts[j]));
            if (both.width() > 2 && both.height() > 2)
                problems << QString("\"%1\" overlaps \"%2\"")
                                .arg(texts[i]->property("text").toString().left(40),
                                     texts[j]->property("text").toString().left(40));
        }
    }
    return problems;
}

// A touch target below 15 mm (Theme.touchTarget) or not wholly on the screen.
QStringList smallTargets(QQuickWindow& window, int touchTarget) {
    QStringList problems;
    QList<QQuickItem*> buttons;
    collectButtons(topLayer(window), buttons);
    for (QQuickItem* b : buttons) {
        if (insideDemoPanel(b))
            continue;  // the demo's persona buttons: not on a clinic's kiosk
        const QRectF r = b->mapRectToScene(QRectF(0, 0, b->width(), b->height()));
        const QString name = b->property("text").toString().left(30);
        if (r.width() < touchTarget - 1 || r.height() < touchTarget - 1)
            problems << QString("button \"%1\" is %2x%3, below %4 px")
                            .arg(name)
                            .arg(r.width())
                            .arg(r.height())
                            .arg(touchTarget);
        else if (r.left() < -1 || r.top() < -1 || r.right() > window.width() + 1 ||
                 r.bottom() > window.height() + 1)
            problems << QString("button \"%1\" is off the screen").arg(name);
    }
    return problems;
}

bool rendered(const QImage& image, QString* why) {
    if (image.isNull() || image.width() < 100 || image.height() < 100) {
        *why = "no image";
        return false;
    }
    QSet<QRgb> colours;
    for (int y = 0; y < image.height() && colours.size() < 8; y += 7) {
        for (int x = 0; x < image.width() && colours.size() < 8; x += 7)
            colours.insert(image.pixel(x, y));
    }
    if (colours.size() < 3) {
        *why = QString("only %1 colour(s)").arg(colours.size());
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    uketsuke::qml::testing::registerTestTypes();
    const QString outDir = QStringLiteral(UKETSUKE_SCREENSHOT_DIR);
    QDir().mkpath(outDir);

    QQmlEngine engine;
    uketsuke::qml::testing::setUpEngine(engine);
    QQmlComponent component(&engine, QUrl(QStringLiteral("qrc:/Uketsuke/views/Main.qml")));
    if (component.isError()) {
        std::cerr << component.errorString().toStdString() << "\n";
        return 1;
    }
    auto* strings =
        engine.singletonInstance<uketsuke::qml::Strings*>(qmlTypeId("Uketsuke", 1, 0, "Str"));
    if (!strings) {
        std::cerr << "no Str singleton\n";
        return 1;
    }

    // Theme is a QML singleton: reach it through a one-line component.
    QQmlComponent themeRef(&engine);
    themeRef.setData("import QtQuick\nimport Uketsuke\nQtObject { property QtObject theme: Theme }",
                     QUrl());
    std::unique_ptr<QObject> themeHolder(themeRef.create());
    QObject* theme = themeHolder ? themeHolder->property("theme").value<QObject*>() : nullptr;
    if (!theme) {
        std::cerr << "no Theme singleton\n";
        return 1;
    }
    const int touchTarget = theme->property("touchTarget").toInt();

    int failures = 0, written = 0;
    for (const bool large : {false, true}) {
        for (const Scene& scene : scenes()) {
            for (const QString& lang : {QStringLiteral("ja"), QStringLiteral("en")}) {
                FakeSession fake;
                scene.setUp(fake);
                strings->setLanguage(lang);
                theme->setProperty("large", large);
                std::unique_ptr<QObject> root(component.createWithInitialProperties(
                    {{QStringLiteral("session"), QVariant::fromValue(&fake)},
                     {QStringLiteral("demo"), QVariant::fromValue(fake.demo())}}));
                auto* window = qobject_cast<QQuickWindow*>(root.get());
                const QString label = scene.name + "-" + lang + (large ? "-large" : "");
                if (!window) {
                    std::cerr << "FAIL " << label.toStdString() << ": Main.qml did not load\n";
                    ++failures;
                    continue;
                }
                window->show();
                if (!scene.staffPage.isEmpty()) {
                    QObject* panel = window->findChild<QObject*>("staffPanel");
                    if (scene.staffPage != "login")
                        fake.set("staffSignedIn", true);
                    QMetaObject::invokeMethod(
                        panel, "open",
                        Q_ARG(QVariant, scene.staffPage == "login"
                                            ? QVariant(QStringLiteral("StaffMenu.qml"))
                                            : QVariant(scene.staffPage)));
                }
                if (scene.after)
                    scene.after(*window);
                // Let layouts settle and images load: a first grab runs polish and sync once more.
                if (!QTest::qWaitForWindowExposed(window))
                    std::cerr << "warning: " << label.toStdString() << " not exposed\n";
                QTest::qWait(100);
                (void)window->grabWindow();
                QTest::qWait(50);
                (void)window->grabWindow();  // a layout shown late (the per-item consent list)
                QTest::qWait(50);
                // The scene shows what it claims to: the state's screen, or the staff page.
                QString shown = window->property("screenName").toString();
                if (!scene.staffPage.isEmpty()) {
                    QObject* loader = window->findChild<QObject*>("staffPageLoader");
                    shown = loader ? loader->property("source").toUrl().fileName() : QString();
                    shown.chop(4);  // ".qml"
                }
                const QString expected = scene.staffPage.isEmpty() ? scene.expectedScreen()
                                         : scene.staffPage == "login"
                                             ? QStringLiteral("StaffLogin")
                                             : QFileInfo(scene.staffPage).baseName();
                if (shown != expected) {
                    std::cerr << "FAIL " << label.toStdString() << ": shows '"
                              << shown.toStdString() << "', expected '" << expected.toStdString()
                              << "'\n";
                    ++failures;
                }
                const QImage image = window->grabWindow();
                QString why;
                if (!rendered(image, &why)) {
                    std::cerr << "FAIL " << label.toStdString() << ": did not render ("
                              << why.toStdString() << ")\n";
                    ++failures;
                }
                QStringList problems = textProblems(*window) + overlappingButtons(*window) +
                                       overlappingTexts(*window) +
                                       smallTargets(*window, touchTarget);
                if (scene.staffPage.isEmpty()) {
                    // Every patient screen offers the mode, and the mode shows (staff pages keep
                    // the normal look: Theme.staffShowing).
                    auto* button =
                        window->findChild<QQuickItem*>(QStringLiteral("largeTextButton"));
                    if (!button || !button->isVisible())
                        problems << QStringLiteral("no large-text button");
                    if (theme->property("enlarged").toBool() != large)
                        problems << QStringLiteral("large-text mode not applied");
                }
                if (lang == QLatin1String("ja"))
                    problems += rawCodes(*window);
                for (const QString& problem : problems) {
                    std::cerr << "FAIL " << label.toStdString() << ": text "
                              << problem.toStdString() << "\n";
                    ++failures;
                }
                const QString file = outDir + "/" + label + ".png";
                if (image.save(file))
                    ++written;
                else
                    ++failures;
            }
        }
    }
    theme->setProperty("large", false);
    std::cout << written << " screenshots in " << outDir.toStdString() << ", " << failures
              << " failure(s)\n";
    return failures == 0 ? 0 : 1;
}
