#include "qml/bridge/photo_keeping_card_port.h"

#include <openssl/crypto.h>

namespace uketsuke::qml {

card::CardResult<card::VerifiedPhoto> PhotoKeepingCardPort::readVerifiedPhoto(
    SecretBytes verificationNumberB, card::LastTry lastTry) {
    auto photo = inner_.readVerifiedPhoto(std::move(verificationNumberB), lastTry);
    if (photo) {
        wipe();
        photo_ = photo.value().jp2;
        ++generation_;
    }
    return photo;
}

void PhotoKeepingCardPort::close() {
    inner_.close();
    if (!photo_.empty()) {
        wipe();
        ++generation_;
    }
}

void PhotoKeepingCardPort::wipe() {
    if (!photo_.empty())
        OPENSSL_cleanse(photo_.data(), photo_.size());
    photo_.clear();
}

}  // namespace uketsuke::qml
