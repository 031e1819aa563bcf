// A CardPort decorator that keeps the verified chip photo (JP2 bytes) of the current card in
// memory until the card is closed, so that the 目視 screen can show it beside the live camera
// (issue 5, staff check). The session core wipes its own copy as soon as the face reference is
// built (session_controller.cpp startFace), and SessionData holds no photo; this decorator is the
// UI's workaround until the core exposes the photo itself (see the issue 5 report). The bytes are
// wiped on close(), which the controller calls whenever a session ends.
//
// Threading: used only on the session worker thread.
#pragma once

#include <cstdint>

#include "terminal/session/session_ports.h"

namespace uketsuke::qml {

class PhotoKeepingCardPort final : public terminal::CardPort {
  public:
    explicit PhotoKeepingCardPort(terminal::CardPort& inner) : inner_(inner) {}
    ~PhotoKeepingCardPort() override { wipe(); }
    PhotoKeepingCardPort(const PhotoKeepingCardPort&) = delete;  // one holder of the photo
    PhotoKeepingCardPort& operator=(const PhotoKeepingCardPort&) = delete;

    card::CardResult<card::CardInfo> open() override { return inner_.open(); }
    card::CardResult<card::AuthCertificateCheck> checkAuthCertificate(
        const card::CardInfo& info, card::TimePoint now) override {
        return inner_.checkAuthCertificate(info, now);
    }
    card::CardResult<card::VerifiedPhoto> readVerifiedPhoto(SecretBytes verificationNumberB,
                                                            card::LastTry lastTry) override;
    card::CardStatus verifyAuthPin(SecretBytes pin, card::LastTry lastTry) override {
        return inner_.verifyAuthPin(std::move(pin), lastTry);
    }
    card::CardResult<Bytes> signAuthDigest(ByteView sha256Digest) override {
        return inner_.signAuthDigest(sha256Digest);
    }
    card::CardResult<card::CardPresenceAnswer> answerCardChallenge(ByteView challenge) override {
        return inner_.answerCardChallenge(challenge);
    }
    void close() override;
    bool cardWasRemoved() override { return inner_.cardWasRemoved(); }

    // The photo of the current card (empty when none was read) and a counter that changes with it.
    const Bytes& photoJp2() const { return photo_; }
    std::uint64_t generation() const { return generation_; }

  private:
    void wipe();

    terminal::CardPort& inner_;
    Bytes photo_;
    std::uint64_t generation_ = 0;
};

}  // namespace uketsuke::qml
