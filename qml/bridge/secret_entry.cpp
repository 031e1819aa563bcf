#include "qml/bridge/secret_entry.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <string_view>

namespace uketsuke::qml {

SecretEntry::SecretEntry(QObject* parent) : QObject(parent) {}

SecretEntry::~SecretEntry() {
    wipe();
}

QString SecretEntry::masked() const {
    return QString(length_, QChar(0x2022));  // •
}

void SecretEntry::setMaxLength(int maxLength) {
    maxLength = std::clamp(maxLength, 0, kCapacity);
    if (maxLength == maxLength_)
        return;
    maxLength_ = maxLength;
    while (length_ > maxLength_)
        backspace();
    emit maxLengthChanged();
}

void SecretEntry::setDigitsOnly(bool digitsOnly) {
    if (digitsOnly == digitsOnly_)
        return;
    digitsOnly_ = digitsOnly;
    emit digitsOnlyChanged();
}

bool SecretEntry::type(const QString& keys) {
    bool all = true;
    const int before = length_;
    for (const QChar c : keys) {
        const char16_t u = c.unicode();
        const bool allowed = digitsOnly_ ? (u >= '0' && u <= '9') : (u > 0x20 && u < 0x7F);
        if (!allowed || length_ >= maxLength_) {
            all = false;
            continue;
        }
        buffer_[static_cast<std::size_t>(length_++)] = static_cast<char>(u);
    }
    if (length_ != before)
        emit lengthChanged();
    return all;
}

void SecretEntry::backspace() {
    if (length_ == 0)
        return;
    buffer_[static_cast<std::size_t>(--length_)] = 0;
    emit lengthChanged();
}

void SecretEntry::clear() {
    const bool had = length_ > 0;
    wipe();
    if (had)
        emit lengthChanged();
}

bool SecretEntry::isDigits(int count) const {
    if (length_ != count)
        return false;
    return std::all_of(buffer_.begin(), buffer_.begin() + length_,
                       [](char c) { return c >= '0' && c <= '9'; });
}

SecretBytes SecretEntry::take() {
    SecretBytes secret(std::string_view(buffer_.data(), static_cast<std::size_t>(length_)));
    clear();
    return secret;
}

void SecretEntry::wipe() {
    OPENSSL_cleanse(buffer_.data(), buffer_.size());
    length_ = 0;
}

}  // namespace uketsuke::qml
