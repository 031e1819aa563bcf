// High-level card flows (see card_service.h).
#include "card/card_service.h"

#include <spdlog/spdlog.h>

#include "card/cv_certificate.h"

namespace uketsuke::card {

CardResult<std::unique_ptr<CardService>> CardService::open(const CardServiceConfig& config) {
    auto context = PcscContext::establish();
    if (!context)
        return context.failure();
    CardResult<std::string> reader =
        config.waitForCardMs > 0 ? (*context)->waitForCard(config.reader, config.waitForCardMs)
                                 : (*context)->chooseReader(config.reader);
    if (!reader)
        return reader.failure();
    auto card = (*context)->connect(*reader);
    if (!card)
        return card.failure();
    return std::unique_ptr<CardService>(new CardService(std::move(card).takeValue(), config));
}

CardService::CardService(std::unique_ptr<PcscCard> card, CardServiceConfig config)
    : ownedCard_(std::move(card)),
      config_(std::move(config)),
      readerName_(ownedCard_->readerName()),
      counting_(*ownedCard_),
      iso_(counting_, config_.read) {}

CardService::CardService(CardChannel& channel, CardServiceConfig config)
    : config_(std::move(config)),
      readerName_("(channel)"),
      counting_(channel),
      iso_(counting_, config_.read) {}

CardService::~CardService() {
    close();
}

void CardService::close() {
    if (ownedCard_)
        ownedCard_->disconnect();
}

namespace {

bool isReset(const CardError& e) {
    return e.code == CardErrorCode::kCardReset;
}

SecretBytes copyOf(const SecretBytes& secret) {
    return SecretBytes(Bytes(secret.view().begin(), secret.view().end()));
}

}  // namespace

template <typename Step>
auto CardService::withResetRecovery(Step&& step) -> decltype(step()) {
    for (int recovered = 0;; ++recovered) {
        auto r = step();
        if (r.ok() || !isReset(r.error()) || recovered >= kMaxResetRecoveries)
            return r;
        if (iso_.verifyOutcomeUnknown()) {
            return cardFail(CardErrorCode::kCardReset,
                            "card reset during a VERIFY: whether it counted is unknown, so it is "
                            "not sent again");
        }
        if (auto s = reattachAfterReset(); !s)
            return s.failure();
    }
}

CardStatus CardService::reattachAfterReset() {
    iso_.forgetSelection();
    const bool pinWasVerified = authPinVerified_;
    authPinVerified_ = false;
    JpkiAp jpki(iso_);
    if (auto s = jpki.select(); !s)
        return s;
    auto cert = jpki.readAuthCertificate();
    if (!cert)
        return cert.failure();
    if (identity_ && *cert != *identity_) {
        return cardCancel(CardErrorCode::kCardRemoved,
                          "after a reset the reader holds another card (auth certificate differs)");
    }
    identity_ = std::move(cert).takeValue();
    ++foreignResets_;
    spdlog::info("card: reset by another process; same card re-attached ({} so far)",
                 foreignResets_);
    if (pinWasVerified) {
        return cardFail(
            CardErrorCode::kCardReset,
            "the reset cleared the auth PIN verification; the PIN must be entered again");
    }
    return Unit{};
}

CardResult<CardInfo> CardService::readInfo() {
    auto info = withResetRecovery([&] { return readCardInfo(iso_, config_.faceRule); });
    if (info && !info->authCertificate.empty() && !identity_)
        identity_ = info->authCertificate;
    return info;
}

CardResult<CardService::AuthCertificates> CardService::readAuthCertificates() {
    auto certs = withResetRecovery([&]() -> CardResult<AuthCertificates> {
        JpkiAp jpki(iso_);
        if (auto s = jpki.select(); !s)
            return s.failure();
        auto cert = jpki.readAuthCertificate();
        if (!cert)
            return cert.failure();
        auto ca = jpki.readAuthCaCertificate();
        if (!ca)
            return ca.failure();
        return AuthCertificates{std::move(cert).takeValue(), std::move(ca).takeValue()};
    });
    if (certs && !identity_)
        identity_ = certs->certificate;
    return certs;
}

CardResult<AuthCertificateCheck> CardService::checkAuthCertificate(const CardInfo& info,
                                                                   TimePoint now) const {
    if (info.authCertificate.empty()) {
        return cardFail(CardErrorCode::kMalformedCertificate, "no auth certificate read");
    }
    auto leaf = Certificate::fromDer(info.authCertificate);
    if (!leaf)
        return leaf.failure();
    std::optional<Certificate> ca;
    if (!info.authCaCertificate.empty()) {
        auto c = Certificate::fromDer(info.authCaCertificate);
        if (!c)
            return c.failure();
        ca = std::move(c).takeValue();
    }
    auto trust = TrustStore::loadPemFile(config_.trustStore);
    if (!trust)
        return trust.failure();
    auto report = card::checkAuthCertificate(*leaf, ca ? &*ca : nullptr, *trust,
                                             CertificatePolicy{config_.rejectTestIssuer}, now);
    if (!report)
        return report.failure();
    return AuthCertificateCheck{std::move(leaf).takeValue(), *report};
}

CardResult<VerifiedPhoto> CardService::readVerifiedPhoto(SecretBytes verificationNumberB,
                                                         LastTry lastTry) {
    auto cvca = RsaPublicKey::fromPemFile(config_.kenmenCvcaPublicKey);
    if (!cvca)
        return cvca.failure();
    // The code is kept (in wiped memory) until the flow ends, for one case only: a foreign reset
    // after the card accepted it (see the class comment).
    auto photo = withResetRecovery([&] { return photoFlow(verificationNumberB, lastTry, *cvca); });
    verificationNumberB.clear();
    return photo;
}

CardResult<VerifiedPhoto> CardService::photoFlow(const SecretBytes& verificationNumberB,
                                                 LastTry lastTry, const RsaPublicKey& cvca) {
    KenmenAp kenmen(iso_, config_.kenmen);
    if (auto s = kenmen.select(); !s)
        return s.failure();
    if (auto s = kenmen.verifyVerificationNumberB(copyOf(verificationNumberB), lastTry); !s)
        return s.failure();
    auto face = kenmen.readCardFace();
    if (!face)
        return face.failure();
    auto cvFile = kenmen.readCvCertificate();
    if (!cvFile)
        return cvFile.failure();
    auto cv = parseCvCertificate(*cvFile);
    if (!cv)
        return cv.failure();
    auto issuerKey = verifyCvCertificate(*cv, cvca);
    if (!issuerKey)
        return issuerKey.failure();
    if (auto s = verifyPhotoSignature(*face, *issuerKey); !s)
        return s.failure();
    auto key = kenmen.internalAuthenticate(*face);
    if (!key)
        return key.failure();
    cardKey_ = std::move(key).takeValue();
    CardFace f = std::move(face).takeValue();
    CardKeyEvidence evidence{std::move(cvFile).takeValue(), std::move(f.signedFields),
                             std::move(f.signedDigests), std::move(f.signature)};
    return VerifiedPhoto{std::move(f.photoJp2), f.photo, f.birthDate,
                         f.expiryDate,          f.sex,   std::move(evidence)};
}

CardResult<CardPresenceAnswer> CardService::answerCardChallenge(ByteView challenge) {
    if (!cardKey_)
        return cardFail(CardErrorCode::kInvalidInput,
                        "no verified card key in this card session (read the chip photo first)");
    return withResetRecovery([&]() -> CardResult<CardPresenceAnswer> {
        KenmenAp kenmen(iso_, config_.kenmen);
        if (iso_.selectedAp() != CardApplication::kKenmen) {
            if (auto s = kenmen.select(); !s)
                return s.failure();
        }
        return kenmen.answerChallenge(*cardKey_, challenge);
    });
}

CardStatus CardService::verifyAuthPin(SecretBytes pin, LastTry lastTry) {
    // A reset before the VERIFY went out (selection, counter query) is recovered; one during it
    // is not (withResetRecovery), so the PIN is sent at most once.
    auto status = withResetRecovery([&]() -> CardStatus {
        JpkiAp jpki(iso_);
        if (auto s = jpki.select(); !s)
            return s;
        return jpki.verifyAuthPin(copyOf(pin), lastTry);
    });
    pin.clear();
    authPinVerified_ = status.ok();
    return status;
}

CardResult<Bytes> CardService::signAuthDigest(ByteView sha256Digest) {
    return withResetRecovery([&]() -> CardResult<Bytes> {
        JpkiAp jpki(iso_);
        // The PIN state survives within the JPKI-AP; re-selecting it is avoided on purpose
        // because whether that clears the state is undefined (Errata 4).
        if (iso_.selectedAp() != CardApplication::kJpki) {
            if (auto s = jpki.select(); !s)
                return s.failure();
        }
        return jpki.signAuthDigest(sha256Digest);
    });
}

}  // namespace uketsuke::card
