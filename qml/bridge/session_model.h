// SessionModel: the one object every screen binds to (issue 5, style.md §8 "pages emit intents to
// one SessionController"). Read-only properties mirror a SessionSnapshot; Q_INVOKABLE inputs are
// the patient's and staff's intents. SessionBridge implements the inputs over the real session
// core on a worker thread; tests/qml's FakeSession records them. The PIN never becomes a QML
// string: the pad sends digits, this class keeps them in a fixed buffer that is wiped on submit,
// clear and destruction.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QQmlEngine>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>
#include <array>

#include "qml/bridge/consent_items_model.h"
#include "qml/bridge/doctor_model.h"
#include "qml/bridge/secret_entry.h"
#include "qml/bridge/session_snapshot.h"
#include "qml/bridge/staff_call_client.h"
#include "terminal/session/session_state.h"
#include "uketsuke/bytes.h"

namespace uketsuke::qml {

class SessionModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by the application (SessionBridge) or a test (FakeSession)")

    Q_PROPERTY(State state READ state NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString startupError READ startupError NOTIFY changed)
    Q_PROPERTY(bool offerFace READ offerFace NOTIFY changed)
    Q_PROPERTY(bool offerPin READ offerPin NOTIFY changed)
    Q_PROPERTY(bool offerStaff READ offerStaff NOTIFY changed)
    Q_PROPERTY(int pinTriesLeft READ pinTriesLeft NOTIFY changed)
    Q_PROPERTY(bool lastTryWarning READ lastTryWarning NOTIFY changed)
    Q_PROPERTY(int pinLength READ pinLength NOTIFY pinLengthChanged)
    Q_PROPERTY(int pinMaxLength READ pinMaxLength CONSTANT)
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
    Q_PROPERTY(QString refusal READ refusal NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)
    Q_PROPERTY(QString faceGuidance READ faceGuidance NOTIFY changed)
    Q_PROPERTY(int faceCount READ faceCount NOTIFY changed)
    Q_PROPERTY(int faceAttempts READ faceAttempts NOTIFY changed)
    Q_PROPERTY(int timeLeftSeconds READ timeLeftSeconds NOTIFY changed)
    Q_PROPERTY(int timeoutSeconds READ timeoutSeconds NOTIFY changed)
    Q_PROPERTY(bool cardLeftBehindAlarm READ cardLeftBehindAlarm NOTIFY changed)
    Q_PROPERTY(QString resultOutcome READ resultOutcome NOTIFY changed)
    Q_PROPERTY(int resultValidity READ resultValidity NOTIFY changed)
    Q_PROPERTY(QString insurerName READ insurerName NOTIFY changed)
    Q_PROPERTY(QString contributionRatio READ contributionRatio NOTIFY changed)
    Q_PROPERTY(bool qualificationOnly READ qualificationOnly NOTIFY changed)
    Q_PROPERTY(bool cardFrontNeeded READ cardFrontNeeded NOTIFY changed)
    Q_PROPERTY(bool chipPhotoAvailable READ chipPhotoAvailable NOTIFY changed)
    Q_PROPERTY(int chipPhotoRevision READ chipPhotoRevision NOTIFY changed)
    Q_PROPERTY(int previewRevision READ previewRevision NOTIFY previewChanged)
    Q_PROPERTY(bool cameraAvailable READ cameraAvailable NOTIFY changed)
    Q_PROPERTY(QString staffAuthMessage READ staffAuthMessage NOTIFY changed)
    Q_PROPERTY(bool staffSignedIn READ staffSignedIn NOTIFY changed)
    Q_PROPERTY(bool staffCalled READ staffCalled NOTIFY staffCalledChanged)
    Q_PROPERTY(QVariantList statusItems READ statusItems NOTIFY changed)
    Q_PROPERTY(ConsentItemsModel* consentItems READ consentItems CONSTANT)
    Q_PROPERTY(QString ending READ ending NOTIFY changed)
    Q_PROPERTY(QString verifiedMethod READ verifiedMethod NOTIFY changed)
    Q_PROPERTY(QString pinUnavailableReason READ pinUnavailableReason NOTIFY changed)
    Q_PROPERTY(QString certExpiry READ certExpiry NOTIFY changed)
    Q_PROPERTY(QString certState READ certState NOTIFY changed)
    Q_PROPERTY(QString certRenewalFrom READ certRenewalFrom NOTIFY changed)
    Q_PROPERTY(QString certGraceEnd READ certGraceEnd NOTIFY changed)
    Q_PROPERTY(QString challengeAction READ challengeAction NOTIFY changed)
    Q_PROPERTY(bool challengePrompted READ challengePrompted NOTIFY changed)
    Q_PROPERTY(int challengeSecondsLeft READ challengeSecondsLeft NOTIFY changed)
    Q_PROPERTY(bool demoCamera READ demoCamera NOTIFY changed)
    // Staff mode (issue 17): the staff screens are open. It ends after staffIdleTimeoutSeconds
    // without a touch, when a card is placed, or when staff leave; the sign-in ends with it.
    Q_PROPERTY(bool staffMode READ staffMode NOTIFY staffModeChanged)
    Q_PROPERTY(int staffTimeLeftSeconds READ staffTimeLeftSeconds NOTIFY staffTimeLeftChanged)
    Q_PROPERTY(int staffIdleTimeoutSeconds READ staffIdleTimeoutSeconds WRITE
                   setStaffIdleTimeoutSeconds NOTIFY staffTimeLeftChanged)
    // Touches seen on the kiosk's windows (each restarts the running countdown).
    Q_PROPERTY(int activityCount READ activityCount NOTIFY activityCountChanged)
    // The reasons this kiosk currently calls the staff station for ("patient", "card-left-behind",
    // "stuck"), sorted; empty when no station is configured or nothing is open.
    Q_PROPERTY(QStringList staffCalls READ staffCalls NOTIFY staffCallsChanged)
    // `uketsuke doctor` for the status screen (issue 16); null when the session has none.
    Q_PROPERTY(DoctorModel* doctor READ doctor CONSTANT)

  public:
    // terminal::SessionState, same names and values (checked at compile time below and by name in
    // qml.session_state_enum), then the bridge's own start-up states.
    enum State {
        Idle,
        ReadingCard,
        ChoosingMethod,
        ReadingCardFace,
        FaceCapture,
        FaceChallenge,
        PinEntry,
        StaffCheck,
        Consent,
        Confirming,
        ShowingResult,
        RemoveCard,
        Starting,     // loading models, opening the log and the TLS context
        Unavailable,  // start-up failed: startupError says why; staff must act
    };
    Q_ENUM(State)
    // The screen state of a session state: one case per enumerator (-Wswitch names a new one).
    static constexpr State stateOf(terminal::SessionState state);

    explicit SessionModel(QObject* parent = nullptr);
    ~SessionModel() override;
    Q_DISABLE_COPY_MOVE(SessionModel)

    State state() const { return static_cast<State>(snapshot_.state); }
    bool busy() const { return busy_; }
    QString startupError() const { return startupError_; }
    bool offerFace() const { return snapshot_.offerFace; }
    bool offerPin() const { return snapshot_.offerPin; }
    bool offerStaff() const { return snapshot_.offerStaff; }
    int pinTriesLeft() const { return snapshot_.pinTriesLeft; }
    bool lastTryWarning() const { return snapshot_.lastTryWarning; }
    int pinLength() const { return pinLength_; }
    static constexpr int pinMaxLength() { return kPinDigits; }
    QString notice() const { return snapshot_.notice; }
    QString refusal() const { return snapshot_.refusal; }
    QString message() const { return snapshot_.message; }
    QString faceGuidance() const { return snapshot_.faceGuidance; }
    int faceCount() const { return snapshot_.faceCount; }
    int faceAttempts() const { return snapshot_.faceAttempts; }
    int timeLeftSeconds() const { return snapshot_.timeLeftSeconds; }
    int timeoutSeconds() const { return snapshot_.timeoutSeconds; }
    bool cardLeftBehindAlarm() const { return snapshot_.cardLeftBehindAlarm; }
    QString resultOutcome() const { return snapshot_.resultOutcome; }
    int resultValidity() const { return snapshot_.resultValidity; }
    QString insurerName() const { return snapshot_.insurerName; }
    QString contributionRatio() const { return snapshot_.contributionRatio; }
    bool qualificationOnly() const { return snapshot_.qualificationOnly; }
    bool cardFrontNeeded() const { return snapshot_.cardFrontNeeded; }
    bool chipPhotoAvailable() const { return snapshot_.chipPhotoAvailable; }
    int chipPhotoRevision() const { return snapshot_.chipPhotoRevision; }
    int previewRevision() const { return previewRevision_; }
    bool cameraAvailable() const { return cameraAvailable_; }
    QString staffAuthMessage() const { return snapshot_.staffAuthMessage; }
    bool staffSignedIn() const { return snapshot_.staffSignedIn; }
    bool staffCalled() const { return staffCalled_; }
    QVariantList statusItems() const { return snapshot_.statusItems; }
    ConsentItemsModel* consentItems() { return &consent_; }
    QString ending() const { return snapshot_.ending; }
    QString verifiedMethod() const { return snapshot_.verifiedMethod; }
    QString pinUnavailableReason() const { return snapshot_.pinUnavailableReason; }
    QString certExpiry() const { return snapshot_.certExpiry; }
    QString certState() const { return snapshot_.certState; }
    QString certRenewalFrom() const { return snapshot_.certRenewalFrom; }
    QString certGraceEnd() const { return snapshot_.certGraceEnd; }
    QString challengeAction() const { return snapshot_.challengeAction; }
    bool challengePrompted() const { return snapshot_.challengePrompted; }
    int challengeSecondsLeft() const { return snapshot_.challengeSecondsLeft; }
    bool demoCamera() const { return snapshot_.demoCamera; }
    bool staffMode() const { return staffMode_; }
    int staffTimeLeftSeconds() const;
    int staffIdleTimeoutSeconds() const { return staffIdleTimeoutMs_ / 1000; }
    void setStaffIdleTimeoutSeconds(int seconds);
    // Milliseconds, for tests that cannot wait a minute.
    Q_INVOKABLE void setStaffIdleTimeoutMs(int ms);
    int activityCount() const { return activityCount_; }
    QStringList staffCalls() const;
    DoctorModel* doctor() const { return doctor_; }
    // Connects this kiosk to the staff station at host:port as `terminalId` over mutually
    // authenticated TLS (`tls`: the station CA, this kiosk's certificate and key; `peerName`: the
    // name in the station's certificate when not `host`); a patient left on one screen for
    // `stuckAfterMs` raises a "stuck" call.
    void setStaffStation(const QString& host, int port, const QString& terminalId,
                         const StationTlsFiles& tls, int stuckAfterMs = 90000,
                         const QString& peerName = {});

    // Patient intents.
    Q_INVOKABLE virtual void chooseMethod(const QString& method) = 0;  // "face" | "pin" | "staff"
    Q_INVOKABLE void pinDigit(int digit);
    Q_INVOKABLE void pinBackspace();
    Q_INVOKABLE void pinClear();
    // Sends the entered digits (wiped here); `confirmLastTry` is the patient's answer to the
    // last-try warning (card::LastTry::kConfirmed).
    Q_INVOKABLE void pinSubmit(bool confirmLastTry);
    // `items`: {itemId: bool}; ignored when `comprehensive`.
    Q_INVOKABLE virtual void giveConsent(bool comprehensive, const QVariantMap& items) = 0;
    Q_INVOKABLE virtual void acknowledgeResult() = 0;
    Q_INVOKABLE virtual void cancel() = 0;
    // 「別の方法を選ぶ」 on the face and PIN screens: back to the method choice.
    Q_INVOKABLE virtual void chooseAnotherMethod() = 0;
    // A touch anywhere (the application event filter calls it; screens may too): restarts the
    // patient's countdown, or the staff idle timer in staff mode.
    Q_INVOKABLE void noteActivity();
    Q_INVOKABLE void callStaff();
    Q_INVOKABLE void dismissStaffCall();

    // Staff intents. The password and the security code are SecretEntry objects (typed key by key
    // into C++; QML sees dots only): their bytes are taken here — the entry is wiped — and passed
    // on as SecretBytes (issue 15). A null entry counts as empty.
    Q_INVOKABLE void staffDecision(const QString& staffId, uketsuke::qml::SecretEntry* password,
                                   bool approve, const QString& reason);
    Q_INVOKABLE void staffSignIn(const QString& staffId, uketsuke::qml::SecretEntry* password);
    Q_INVOKABLE virtual void staffSignOut() = 0;
    // 照合番号B fields from the card front ("YYYY-MM-DD", yyyy, 4 digits); false (and
    // inputRejected("card-front-invalid")) when malformed, the code entry then kept.
    Q_INVOKABLE bool enterCardFront(const QString& birthDate, int expiryYear,
                                    uketsuke::qml::SecretEntry* securityCode);
    Q_INVOKABLE virtual void cancelCardFront() = 0;
    Q_INVOKABLE virtual void refreshStatus() = 0;
    // Opens staff mode (the patient's countdown waits) / leaves it: signs out, `reason` is one
    // of "signed-out", "idle-timeout", "card-placed".
    Q_INVOKABLE void enterStaffMode();
    Q_INVOKABLE void leaveStaffMode(const QString& reason = QStringLiteral("signed-out"));

    // Field-by-field validation of the card-front entry, shared by the bridge and the screens
    // (the screen enables its button on it; the bridge refuses what it rejects).
    Q_INVOKABLE static bool cardFrontValid(const QString& birthDate, int expiryYear,
                                           uketsuke::qml::SecretEntry* securityCode);

  signals:
    void changed();
    void busyChanged();
    void pinLengthChanged();
    void previewChanged();
    void staffCalledChanged();
    // A rejected staff or card-front input, for the screen to show next to the fields.
    void inputRejected(const QString& code);
    // The terminal is back at "place your card": the next patient starts in the default language.
    void sessionEnded();
    void staffModeChanged();
    void staffTimeLeftChanged();
    void activityCountChanged();
    void staffCallsChanged();
    // Staff mode ended without staff asking (idle timeout, a card placed): close the staff pages.
    void staffModeEnded(const QString& reason);

  protected:
    static constexpr int kPinDigits = 4;
    virtual void submitPin(SecretBytes pin, bool confirmLastTry) = 0;
    virtual void submitStaffDecision(const QString& staffId, SecretBytes password, bool approve,
                                     const QString& reason) = 0;
    virtual void submitStaffSignIn(const QString& staffId, SecretBytes password) = 0;
    // Called with fields that passed cardFrontValid().
    virtual void submitCardFront(const QString& birthDate, int expiryYear,
                                 SecretBytes securityCode) = 0;
    virtual void staffCallChanged(bool /*called*/) {}
    virtual void staffModeHook(bool /*on*/) {}
    virtual void userActivity() {}
    bool eventFilter(QObject* watched, QEvent* event) override;
    void setSnapshot(const SessionSnapshot& snapshot);
    const SessionSnapshot& snapshot() const { return snapshot_; }
    void setBusy(bool busy);
    void setStartupError(const QString& error);
    void bumpPreview();
    void setCameraAvailable(bool available);
    // Set once, in the subclass's constructor (the property is CONSTANT).
    void setDoctor(DoctorModel* doctor) { doctor_ = doctor; }

  private:
    DoctorModel* doctor_ = nullptr;  // a child of this object
    void wipePin();
    void staffTick();
    void setStationCall(const QString& reason, bool active);
    void checkStuck();

    SessionSnapshot snapshot_;
    bool busy_ = false;
    QString startupError_;
    std::array<char, kPinDigits> pin_{};
    int pinLength_ = 0;
    int previewRevision_ = 0;
    bool cameraAvailable_ = false;
    bool staffCalled_ = false;
    ConsentItemsModel consent_;
    bool staffMode_ = false;
    int staffIdleTimeoutMs_ = 60000;
    QElapsedTimer staffIdle_;
    QTimer staffTimer_;
    int lastStaffLeft_ = -1;
    int activityCount_ = 0;
    QElapsedTimer lastActivityPost_;
    StaffCallClient* station_ = nullptr;
    int stuckAfterMs_ = 90000;
    QElapsedTimer inState_;  // since the current state began
    QTimer stuckTimer_;
};

constexpr SessionModel::State SessionModel::stateOf(terminal::SessionState state) {
    using S = terminal::SessionState;
    switch (state) {
        case S::kIdle:
            return Idle;
        case S::kReadingCard:
            return ReadingCard;
        case S::kChoosingMethod:
            return ChoosingMethod;
        case S::kReadingCardFace:
            return ReadingCardFace;
        case S::kFaceCapture:
            return FaceCapture;
        case S::kFaceChallenge:
            return FaceChallenge;
        case S::kPinEntry:
            return PinEntry;
        case S::kStaffCheck:
            return StaffCheck;
        case S::kConsent:
            return Consent;
        case S::kConfirming:
            return Confirming;
        case S::kShowingResult:
            return ShowingResult;
        case S::kRemoveCard:
            return RemoveCard;
    }
    return Unavailable;  // not reached for a valid SessionState
}

namespace detail {
// Each session state keeps its value in the QML enum (QML compares with SessionModel.X), and the
// bridge's own states come after the last one.
constexpr bool stateEnumMirrorsSession() {
    using S = terminal::SessionState;
    for (int i = 0; i <= static_cast<int>(S::kRemoveCard); ++i) {
        if (SessionModel::stateOf(static_cast<S>(i)) != i)
            return false;
    }
    return SessionModel::Starting == static_cast<int>(S::kRemoveCard) + 1 &&
           SessionModel::Unavailable == SessionModel::Starting + 1;
}
static_assert(stateEnumMirrorsSession(),
              "SessionModel::State must list terminal::SessionState in order, then its own states");
}  // namespace detail

}  // namespace uketsuke::qml
