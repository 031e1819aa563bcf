#include "tests/qml/fake_session.h"

#include <QMetaProperty>
#include <algorithm>
#include <chrono>
#include <string_view>
#include <thread>

#include "terminal/session/consent.h"

namespace uketsuke::qml::testing {

FakeSession::FakeSession(QObject* parent) : SessionModel(parent) {
    // The real consent data, so the screens are tested against the catalog they will show.
    auto catalog =
        terminal::ConsentCatalog::load(UKETSUKE_SOURCE_DIR "/terminal/data/consent.json");
    if (catalog)
        consentItems()->setCatalog(catalog.value());
    // The full check: every doctor line, verdicts from the real evaluators where they are pure,
    // after a short wait off the GUI thread (so the screen shows it running).
    setDoctor(new DoctorModel(
        [this] {
            record(QStringLiteral("runDoctor"));
            return [] {
                namespace doc = terminal::doctor;
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                doc::DoctorReport r;
                r.checks.push_back({"pcscd", doc::CheckStatus::kOk, "pcscd is running"});
                r.checks.push_back(doc::evaluateReader("", "Virtual PCD 00 00",
                                                       {"Virtual PCD 00 00", "Virtual PCD 00 01"}));
                r.checks.push_back(
                    {"card", doc::CheckStatus::kOk, "no card in the reader (ready)"});
                r.checks.push_back({"camera", doc::CheckStatus::kFail,
                                    "kiosk camera camera:0 delivers no frames"});
                r.checks.push_back(doc::evaluateModels({}));
                r.checks.push_back({"terminal-key", doc::CheckStatus::kWarn, "insecure file key"});
                r.checks.push_back({"qualification", doc::CheckStatus::kOk, "TLS handshake ok"});
                r.checks.push_back(doc::evaluateCertificateExpiry(10, false));
                r.checks.push_back({"log", doc::CheckStatus::kOk, "writable, verifies"});
                r.checks.push_back({"result-folder", doc::CheckStatus::kOk, "writable"});
                r.checks.push_back({"staff-file", doc::CheckStatus::kOk, "0600"});
                const auto now = std::chrono::system_clock::now();
                r.checks.push_back(
                    doc::evaluateClock({now, now - std::chrono::hours(24), true, 2000}));
                r.checks.push_back(doc::evaluateDiskSpace(50ull << 20, 100ull << 30));
                return r;
            };
        },
        this));
    reset();
}

void FakeSession::reset() {
    SessionSnapshot idle;
    idle.statusItems = QVariantList{
        QVariantMap{{"id", "reader"}, {"ok", true}, {"detail", "ok"}},
        QVariantMap{{"id", "camera"}, {"ok", false}, {"detail", "camera-down"}},
        QVariantMap{{"id", "qualification"}, {"ok", false}, {"detail", "qualification-down"}},
        QVariantMap{{"id", "log"}, {"ok", true}, {"detail", "ok"}}};
    setSnapshot(idle);
    setCameraAvailable(true);
    setBusy(false);
    dismissStaffCall();
    clearCalls();
}

void FakeSession::clearCalls() {
    calls_.clear();
    emit callsChanged();
}

void FakeSession::record(const QString& call) {
    calls_ << call;
    emit callsChanged();
}

bool FakeSession::set(const QString& field, const QVariant& value) {
    SessionSnapshot s = snapshot();
    const QMetaObject& meta = SessionSnapshot::staticMetaObject;
    const int index = meta.indexOfProperty(field.toUtf8().constData());
    if (index < 0)
        return false;
    if (!meta.property(index).writeOnGadget(&s, value))
        return false;
    setSnapshot(s);
    return true;
}

FakeDemoCard::FakeDemoCard(FakeSession& session, QStringList personas, QString persona)
    : session_(session), personas_(std::move(personas)), persona_(std::move(persona)) {}

void FakeDemoCard::insert(const QString& persona) {
    session_.record(QStringLiteral("demoInsert:") + persona);
    persona_ = persona;
    emit personaChanged();
}

void FakeDemoCard::remove() {
    session_.record(QStringLiteral("demoRemove"));
}

QObject* FakeSession::demo() const {
    return demo_.get();
}

void FakeSession::setDemoPersonas(const QStringList& personas, const QString& current) {
    // The window may still bind to the old one: it goes once the bindings have moved on.
    if (demo_)
        demo_.release()->deleteLater();
    if (!personas.isEmpty())
        demo_ = std::make_unique<FakeDemoCard>(*this, personas, current);
    emit demoChanged();
}

void FakeSession::chooseMethod(const QString& method) {
    record(QStringLiteral("chooseMethod:") + method);
}

void FakeSession::giveConsent(bool comprehensive, const QVariantMap& items) {
    QStringList answers;
    for (auto it = items.begin(); it != items.end(); ++it)
        answers << it.key() + QLatin1Char('=') + (it.value().toBool() ? "1" : "0");
    answers.sort();
    record(QStringLiteral("giveConsent:") + (comprehensive ? "comprehensive" : "items") +
           QLatin1Char(':') + answers.join(QLatin1Char(',')));
}

void FakeSession::submitStaffDecision(const QString& staffId, SecretBytes password, bool approve,
                                      const QString& reason) {
    lastSecretLength_ = static_cast<int>(password.size());
    record(QStringLiteral("staffDecision:%1:%2:%3:%4")
               .arg(staffId, password.empty() ? "no-password" : "password",
                    approve ? "approve" : "reject", reason));
}

void FakeSession::submitStaffSignIn(const QString& staffId, SecretBytes password) {
    lastSecretLength_ = static_cast<int>(password.size());
    record(QStringLiteral("staffSignIn:") + staffId);
    const std::string_view expected(kStaffPassword);
    const auto got = password.view();
    const bool ok =
        std::equal(got.begin(), got.end(), expected.begin(), expected.end(),
                   [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
    set(QStringLiteral("staffSignedIn"), ok);
    set(QStringLiteral("staffAuthMessage"), ok ? "staff-accepted" : "staff-wrong-password");
}

void FakeSession::staffSignOut() {
    record(QStringLiteral("staffSignOut"));
    set(QStringLiteral("staffSignedIn"), false);
}

void FakeSession::submitCardFront(const QString& birthDate, int expiryYear,
                                  SecretBytes securityCode) {
    // The code is recorded only as its length: a test sees it arrived, never the digits.
    lastSecretLength_ = static_cast<int>(securityCode.size());
    record(QStringLiteral("enterCardFront:%1:%2").arg(birthDate).arg(expiryYear));
}

void FakeSession::submitPin(SecretBytes pin, bool confirmLastTry) {
    const auto v = pin.view();
    record(
        QStringLiteral("pin:") +
        QString::fromLatin1(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size())) +
        (confirmLastTry ? ":confirmed" : ":not-confirmed"));
}

}  // namespace uketsuke::qml::testing
