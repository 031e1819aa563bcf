#include "qml/bridge/session_model.h"

#include <openssl/crypto.h>

#include <QDate>

namespace uketsuke::qml {

SessionModel::SessionModel(QObject* parent) : QObject(parent) {}

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
    emit staffCalledChanged();
}

void SessionModel::dismissStaffCall() {
    if (!staffCalled_)
        return;
    staffCalled_ = false;
    staffCallChanged(false);
    emit staffCalledChanged();
}

bool SessionModel::cardFrontValid(const QString& birthDate, int expiryYear,
                                  const QString& securityCode) {
    const QDate birth = QDate::fromString(birthDate, Qt::ISODate);
    if (!birth.isValid() || birth.year() < 1900 || birth > QDate::currentDate())
        return false;
    if (expiryYear < 2015 || expiryYear > 2100)
        return false;
    if (securityCode.size() != 4)
        return false;
    for (const QChar c : securityCode) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

void SessionModel::setSnapshot(const SessionSnapshot& snapshot) {
    if (snapshot == snapshot_)
        return;
    const bool leftPin =
        snapshot.state != PinEntry || snapshot.pinTriesLeft != snapshot_.pinTriesLeft;
    const bool ended =
        snapshot.state == Idle && snapshot_.state != Idle && snapshot_.state != Starting;
    snapshot_ = snapshot;
    // Half-typed digits never outlive the PIN pad or a failed attempt.
    if (leftPin)
        wipePin();
    consent_.setQualificationOnly(snapshot.notice == QLatin1String("qualification-only"));
    emit changed();
    if (ended)
        emit sessionEnded();
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

void SessionModel::setDemo(bool demo, QStringList personas) {
    demoMode_ = demo;
    personas_ = std::move(personas);
    emit personaChanged();
}

void SessionModel::setPersona(const QString& persona) {
    if (persona == persona_)
        return;
    persona_ = persona;
    emit personaChanged();
}

}  // namespace uketsuke::qml
