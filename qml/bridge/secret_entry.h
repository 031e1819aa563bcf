// SecretEntry: a secret typed on a staff screen — the staff password (sign-in, 目視) and the
// card front's security code — kept in C++ from the first key on (issue 15: secrets as
// SecretBytes from the QML boundary inward). The screens never hold the secret as a string: the
// on-screen keyboard and pad send one key at a time (type()), the bytes stay in a fixed buffer
// here, wiped on clear(), take() and destruction, and QML reads only `length` and `masked`
// ("••••"). The session model's staff and card-front inputs take the entry and move its bytes out
// as SecretBytes (take()), so the secret reaches the session core without a QString copy.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QString>
#include <array>

#include "uketsuke/bytes.h"

namespace uketsuke::qml {

class SecretEntry : public QObject {
    Q_OBJECT
    QML_ELEMENT

    Q_PROPERTY(int length READ length NOTIFY lengthChanged)
    Q_PROPERTY(QString masked READ masked NOTIFY lengthChanged)
    // At most this many characters (capped at kCapacity); a full entry refuses further keys.
    Q_PROPERTY(int maxLength READ maxLength WRITE setMaxLength NOTIFY maxLengthChanged)
    // Only 0-9 are accepted (the security code).
    Q_PROPERTY(bool digitsOnly READ digitsOnly WRITE setDigitsOnly NOTIFY digitsOnlyChanged)

  public:
    static constexpr int kCapacity = 64;

    explicit SecretEntry(QObject* parent = nullptr);
    ~SecretEntry() override;
    SecretEntry(const SecretEntry&) = delete;
    SecretEntry& operator=(const SecretEntry&) = delete;

    int length() const { return length_; }
    QString masked() const;
    int maxLength() const { return maxLength_; }
    void setMaxLength(int maxLength);
    bool digitsOnly() const { return digitsOnly_; }
    void setDigitsOnly(bool digitsOnly);

    // Appends the characters of `keys` (one key from the keyboard; several from a test or a
    // physical keyboard's text). Only printable ASCII (0-9 with digitsOnly) is accepted; false when
    // any character was refused or the entry is full.
    Q_INVOKABLE bool type(const QString& keys);
    Q_INVOKABLE void backspace();
    Q_INVOKABLE void clear();
    // Exactly `count` characters, all digits (the security code's check, without reading it out).
    Q_INVOKABLE bool isDigits(int count) const;

    // Moves the secret out and leaves the entry empty (wiped).
    SecretBytes take();

  signals:
    void lengthChanged();
    void maxLengthChanged();
    void digitsOnlyChanged();

  private:
    void wipe();

    std::array<char, kCapacity> buffer_{};
    int length_ = 0;
    int maxLength_ = kCapacity;
    bool digitsOnly_ = false;
};

}  // namespace uketsuke::qml
