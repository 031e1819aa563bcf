#include "qml/bridge/session_model.h"

#include <openssl/crypto.h>

#include <QCoreApplication>
#include <QDate>
#include <QEvent>
#include <QWindow>
#include <algorithm>

namespace uketsuke::qml {
namespace {

// Touches closer together than this restart the countdown once (one worker post per burst).
constexpr qint64 kActivityPostMinMs = 300;
constexpr int kStaffTickMs = 250;

}  // namespace

SessionModel::SessionModel(QObject* parent) : QObject(parent) {
    // Every touch on any kiosk window counts as activity (issue 17: typing digits or tapping
    // consent items used not to restart the countdown).
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
    staffTimer_.setInterval(kStaffTickMs);
    connect(&staffTimer_, &QTimer::timeout, this, &SessionModel::staffTick);
    stuckTimer_.setInterval(kStaffTickMs);
    connect(&stuckTimer_, &QTimer::timeout, this, &SessionModel::checkStuck);
    inState_.start();
}

void SessionModel::setStaffStation(const QString& host, int port, const QString& terminalId,
                                   const StationTlsFiles& tls, int stuckAfterMs,
                                   const QString& peerName) {
    delete station_;
    station_ =
        new StaffCallClient(host, static_cast<quint16>(port), terminalId, tls, peerName, this);
    stuckAfterMs_ = stuckAfterMs > 0 ? stuckAfterMs : stuckAfterMs_;
    stuckTimer_.start();
    setStationCall(QStringLiteral("patient"), staffCalled_);
    setStationCall(QStringLiteral("card-left-behind"), snapshot_.cardLeftBehindAlarm);
}

QStringList SessionModel::staffCalls() const {
    if (!station_)
        return {};
    QStringList reasons = station_->activeReasons().values();
    reasons.sort();
    return reasons;
}

void SessionModel::setStationCall(const QString& reason, bool active) {
    if (!station_ || station_->activeReasons().contains(reason) == active)
        return;
    station_->setCall(reason, active);
    emit staffCallsChanged();
}

// A patient on one screen for longer than stuckAfterMs (still touching it or not) is stuck:
// the timeout alone would send them away without help. Screens that wait by design (place card,
// remove card with its own alarm, start-up) do not count.
void SessionModel::checkStuck() {
    const State s = state();
    const bool waitingScreen = s == Idle || s == RemoveCard || s == Starting || s == Unavailable;
    setStationCall(QStringLiteral("stuck"),
                   !waitingScreen && !staffMode_ && inState_.elapsed() >= stuckAfterMs_);
}

bool SessionModel::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
        case QEvent::MouseButtonPress:
        case QEvent::TouchBegin:
        case QEvent::KeyPress:
            if (qobject_cast<QWindow*>(watched))
                noteActivity();
            break;
        default:
            break;
    }
    return QObject::eventFilter(watched, event);
}

void SessionModel::noteActivity() {
    ++activityCount_;
    emit activityCountChanged();
    if (staffMode_) {
        staffIdle_.restart();
        staffTick();
        return;
    }
    if (lastActivityPost_.isValid() && lastActivityPost_.elapsed() < kActivityPostMinMs)
        return;
    lastActivityPost_.restart();
    userActivity();
}

int SessionModel::staffTimeLeftSeconds() const {
    if (!staffMode_)
        return -1;
    const qint64 left = staffIdleTimeoutMs_ - staffIdle_.elapsed();
    return static_cast<int>(std::max<qint64>(0, (left + 999) / 1000));
}

void SessionModel::setStaffIdleTimeoutSeconds(int seconds) {
    setStaffIdleTimeoutMs(seconds * 1000);
}

void SessionModel::setStaffIdleTimeoutMs(int ms) {
    if (ms <= 0 || ms == staffIdleTimeoutMs_)
        return;
    staffIdleTimeoutMs_ = ms;
    emit staffTimeLeftChanged();
}

void SessionModel::enterStaffMode() {
    staffIdle_.restart();
    if (staffMode_)
        return;
    staffMode_ = true;
    staffTimer_.start();
    staffModeHook(true);
    emit staffModeChanged();
    emit staffTimeLeftChanged();
}

void SessionModel::leaveStaffMode(const QString& reason) {
    if (!staffMode_)
        return;
    staffMode_ = false;
    staffTimer_.stop();
    lastStaffLeft_ = -1;
    if (staffSignedIn())
        staffSignOut();
    staffModeHook(false);
    emit staffModeChanged();
    emit staffTimeLeftChanged();
    if (reason != QLatin1String("signed-out"))
        emit staffModeEnded(reason);
}

void SessionModel::staffTick() {
    if (!staffMode_)
        return;
    if (staffIdle_.elapsed() >= staffIdleTimeoutMs_) {
        leaveStaffMode(QStringLiteral("idle-timeout"));
        return;
    }
    const int left = staffTimeLeftSeconds();
    if (left != lastStaffLeft_) {
        lastStaffLeft_ = left;
        emit staffTimeLeftChanged();
    }
}

SessionModel::~SessionModel() {
    wipePin();
}

void SessionModel::wipePin() {
    OPENSSL_cleanse(pin_.data(), pin_.size());
    if (pinLength_ != 0) {
        pinLength_ = 0;
        emit pinLengthChanged();
    }
}

void SessionModel::pinDigit(int digit) {
    if (digit < 0 || digit > 9 || pinLength_ >= kPinDigits || state() != PinEntry)
        return;
    pin_[static_cast<std::size_t>(pinLength_++)] = static_cast<char>('0' + digit);
    emit pinLengthChanged();
}

void SessionModel::pinBackspace() {
    if (pinLength_ == 0)
        return;
    pin_[static_cast<std::size_t>(--pinLength_)] = '\0';
    emit pinLengthChanged();
}

void SessionModel::pinClear() {
    wipePin();
}

void SessionModel::pinSubmit(bool confirmLastTry) {
    if (pinLength_ != kPinDigits || state() != PinEntry)
        return;
    SecretBytes pin(std::string_view(pin_.data(), pin_.size()));
    wipePin();
    submitPin(std::move(pin), confirmLastTry);
}

void SessionModel::callStaff() {
    if (staffCalled_)
        return;
    staffCalled_ = true;
    staffCallChanged(true);
    setStationCall(QStringLiteral("patient"), true);
    emit staffCalledChanged();
}

void SessionModel::dismissStaffCall() {
    if (!staffCalled_)
        return;
    staffCalled_ = false;
    staffCallChanged(false);
    setStationCall(QStringLiteral("patient"), false);
    emit staffCalledChanged();
}

bool SessionModel::cardFrontValid(const QString& birthDate, int expiryYear,
                                  SecretEntry* securityCode) {
    const QDate birth = QDate::fromString(birthDate, Qt::ISODate);
    if (!birth.isValid() || birth.year() < 1900 || birth > QDate::currentDate())
        return false;
    if (expiryYear < 2015 || expiryYear > 2100)
        return false;
    return securityCode && securityCode->isDigits(4);
}

void SessionModel::staffDecision(const QString& staffId, SecretEntry* password, bool approve,
                                 const QString& reason) {
    submitStaffDecision(staffId, password ? password->take() : SecretBytes(), approve, reason);
}

void SessionModel::staffSignIn(const QString& staffId, SecretEntry* password) {
    submitStaffSignIn(staffId, password ? password->take() : SecretBytes());
}

bool SessionModel::enterCardFront(const QString& birthDate, int expiryYear,
                                  SecretEntry* securityCode) {
    if (!cardFrontValid(birthDate, expiryYear, securityCode)) {
        emit inputRejected(QStringLiteral("card-front-invalid"));
        return false;
    }
    submitCardFront(birthDate, expiryYear, securityCode->take());
    return true;
}

void SessionModel::setSnapshot(const SessionSnapshot& snapshot) {
    if (snapshot == snapshot_)
        return;
    const bool leftPin =
        snapshot.state != PinEntry || snapshot.pinTriesLeft != snapshot_.pinTriesLeft;
    const bool ended =
        snapshot.state == Idle && snapshot_.state != Idle && snapshot_.state != Starting;
    const bool cardPlaced = snapshot_.state == Idle && snapshot.state != Idle &&
                            snapshot.state != Starting && snapshot.state != Unavailable;
    if (snapshot.state != snapshot_.state)
        inState_.restart();
    snapshot_ = snapshot;
    // Half-typed digits never outlive the PIN pad or a failed attempt.
    if (leftPin)
        wipePin();
    consent_.setQualificationOnly(snapshot.notice == QLatin1String("qualification-only"));
    emit changed();
    setStationCall(QStringLiteral("card-left-behind"), snapshot.cardLeftBehindAlarm);
    checkStuck();
    // A call the patient made stays open after the session (they may still be waiting): the
    // clerk closes it at the kiosk (CallStaffOverlay "close").
    if (ended)
        emit sessionEnded();
    // A card on the reader ends staff mode at once: the screen now belongs to a patient.
    if (cardPlaced && staffMode_)
        leaveStaffMode(QStringLiteral("card-placed"));
}

void SessionModel::setBusy(bool busy) {
    if (busy == busy_)
        return;
    busy_ = busy;
    emit busyChanged();
}

void SessionModel::setStartupError(const QString& error) {
    startupError_ = error;
    emit changed();
}

void SessionModel::bumpPreview() {
    ++previewRevision_;
    emit previewChanged();
}

void SessionModel::setCameraAvailable(bool available) {
    if (available == cameraAvailable_)
        return;
    cameraAvailable_ = available;
    emit changed();
}

}  // namespace uketsuke::qml
