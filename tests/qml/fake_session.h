// FakeSession: a SessionModel whose view the test sets field by field and whose inputs are
// recorded as "name:arg:..." strings, so each screen is tested alone (tests/qml, issue 5). The
// PIN pad's digit buffer is SessionModel's own code, not faked.
#pragma once

#include <QQmlEngine>
#include <memory>

#include "qml/bridge/session_model.h"

namespace uketsuke::qml::testing {

class FakeSession;

// A fake of the demo build's adapter (qml/demo/demo_card.h): the same properties and calls, the
// calls recorded on the FakeSession as "demoInsert:<persona>" and "demoRemove".
class FakeDemoCard : public QObject {
    Q_OBJECT
    Q_PROPERTY(QStringList personas READ personas CONSTANT)
    Q_PROPERTY(QString persona READ persona NOTIFY personaChanged)

  public:
    FakeDemoCard(FakeSession& session, QStringList personas, QString persona);
    QStringList personas() const { return personas_; }
    QString persona() const { return persona_; }
    Q_INVOKABLE void insert(const QString& persona);
    Q_INVOKABLE void remove();

  signals:
    void personaChanged();

  private:
    FakeSession& session_;
    QStringList personas_;
    QString persona_;
};

class FakeSession : public SessionModel {
    Q_OBJECT
    Q_PROPERTY(QStringList calls READ calls NOTIFY callsChanged)
    Q_PROPERTY(QString lastCall READ lastCall NOTIFY callsChanged)
    // Bytes of the last secret (password, security code) that reached the fake as SecretBytes.
    Q_PROPERTY(int lastSecretLength MEMBER lastSecretLength_ NOTIFY callsChanged)
    // Touches handed on to the session core (SessionModel throttles bursts to one).
    Q_PROPERTY(int activityPosts READ activityPosts NOTIFY callsChanged)
    // The demo build's adapter (qml/demo/demo_card.h) as Main.qml's `demo`: null until
    // setDemoPersonas() names personas.
    Q_PROPERTY(QObject* demo READ demo NOTIFY demoChanged)

  public:
    explicit FakeSession(QObject* parent = nullptr);

    QStringList calls() const { return calls_; }
    QString lastCall() const { return calls_.isEmpty() ? QString() : calls_.last(); }
    int activityPosts() const { return activityPosts_; }
    QObject* demo() const;
    Q_INVOKABLE void clearCalls();

    // Sets a SessionSnapshot field by its name (session_snapshot.h); false for an unknown name.
    Q_INVOKABLE bool set(const QString& field, const QVariant& value);
    Q_INVOKABLE void setState(int state) { set(QStringLiteral("state"), state); }
    Q_INVOKABLE void setCamera(bool available) { setCameraAvailable(available); }
    Q_INVOKABLE void setDemoPersonas(const QStringList& personas, const QString& current);
    Q_INVOKABLE void setError(const QString& error) { setStartupError(error); }
    Q_INVOKABLE void setBusyFlag(bool busy) { setBusy(busy); }
    // Back to the start: idle, no offers, no calls.
    Q_INVOKABLE void reset();

    void chooseMethod(const QString& method) override;
    void giveConsent(bool comprehensive, const QVariantMap& items) override;
    void acknowledgeResult() override { record(QStringLiteral("acknowledgeResult")); }
    void cancel() override { record(QStringLiteral("cancel")); }
    void chooseAnotherMethod() override { record(QStringLiteral("chooseAnotherMethod")); }
    void staffSignOut() override;
    void cancelCardFront() override { record(QStringLiteral("cancelCardFront")); }
    void refreshStatus() override { record(QStringLiteral("refreshStatus")); }

    // The password the fake accepts for staff sign-in.
    static constexpr const char* kStaffPassword = "demo-password";

  signals:
    void callsChanged();
    void demoChanged();

  protected:
    void submitPin(SecretBytes pin, bool confirmLastTry) override;
    void submitStaffDecision(const QString& staffId, SecretBytes password, bool approve,
                             const QString& reason) override;
    void submitStaffSignIn(const QString& staffId, SecretBytes password) override;
    void submitCardFront(const QString& birthDate, int expiryYear,
                         SecretBytes securityCode) override;
    void userActivity() override {
        ++activityPosts_;
        emit callsChanged();
    }

  private:
    friend class FakeDemoCard;
    int lastSecretLength_ = -1;
    void record(const QString& call);
    QStringList calls_;
    int activityPosts_ = 0;
    std::unique_ptr<FakeDemoCard> demo_;
};

}  // namespace uketsuke::qml::testing
