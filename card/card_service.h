// The card layer's high-level entry point for the CLI and the confirmation session: open a
// reader, read the CardInfo (no try consumed), check the auth certificate, read a verified chip
// photo (照合番号B → card face → EF 0004 with the CV-CA key → DF28 → DF24 challenge), and the PIN
// path (verify, sign). Each step returns a typed result. Destroying the service disconnects with
// SCARD_RESET_CARD (Errata 2): nothing verified outlives it.
//
// Foreign reset (another process, or the reader, reset the card: SCARD_W_RESET_CARD): the card
// has lost its selection and every verified state. Each step then re-attaches — re-selects
// JPKI-AP and re-reads the auth certificate — and goes on only when it is the same card (the
// same certificate, hence the same serial under the same issuer); another card is card-removed.
// A VERIFY whose answer the reset swallowed is never sent again (whether the card counted it is
// unknown); a 照合番号B that the card accepted a moment ago is sent again (a right code spends
// nothing, and the counter is queried first as always); a verified PIN cannot be restored, since
// the PIN is never kept: signing then fails with card-reset and the PIN must be asked again.
//
// Lifetime and threading: one service per card insertion, used from one thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "card/card_classifier.h"
#include "card/certificate.h"
#include "card/iso7816.h"
#include "card/jpki_ap.h"
#include "card/kenmen_ap.h"
#include "card/pcsc_reader.h"

namespace uketsuke::card {

struct CardServiceConfig {
    std::string reader;                         // empty: first reader with a card
    std::filesystem::path trustStore;           // PEM bundle of JPKI auth roots
    std::filesystem::path kenmenCvcaPublicKey;  // 券面AP CV-CA public key (PEM)
    bool rejectTestIssuer = true;
    ReadOptions read;
    KenmenOptions kenmen;
    FaceCardRule faceRule;
    std::uint32_t waitForCardMs = 0;  // 0: the card must already be in the reader
};

struct AuthCertificateCheck {
    Certificate certificate;
    CertificateReport report;
};

struct VerifiedPhoto {
    Bytes jp2;
    Jp2Info info;
    std::string birthDate;   // YYYYMMDD from DF22 (signed)
    std::string expiryDate;  // YYYYMMDD from DF29 (not covered by DF28, Errata 1)
    std::string sex;
    // For the qualification service: that DF24 is this card's certified key (issue 16).
    CardKeyEvidence evidence;
};

class CardService {
  public:
    // Establishes a PC/SC context, chooses the reader (or waits for a card), connects exclusively.
    static CardResult<std::unique_ptr<CardService>> open(const CardServiceConfig& config);
    // Over an existing channel (tests, replay). The channel must outlive the service.
    CardService(CardChannel& channel, CardServiceConfig config);
    ~CardService();
    CardService(const CardService&) = delete;
    CardService& operator=(const CardService&) = delete;

    const std::string& readerName() const { return readerName_; }

    CardResult<CardInfo> readInfo();
    // Just the two certificates (JPKI EF 000A and 000B): the session's and the bench's fast path.
    struct AuthCertificates {
        Bytes certificate;
        Bytes caCertificate;
    };
    CardResult<AuthCertificates> readAuthCertificates();
    // Parses the DER certificates of `info` and checks them against the configured trust store.
    CardResult<AuthCertificateCheck> checkAuthCertificate(const CardInfo& info,
                                                          TimePoint now) const;
    // The whole verified-photo flow. Loads the CV-CA key before touching the counter, so a
    // configuration error never costs a try.
    CardResult<VerifiedPhoto> readVerifiedPhoto(SecretBytes verificationNumberB,
                                                LastTry lastTry = LastTry::kNotConfirmed);
    // The card signs a relying party's challenge with DF24 (kenmen_ap.h answerChallenge): proof
    // that this card is in the reader now. Needs a verified photo earlier in this card session
    // (DF24 is read with it); not-available otherwise.
    CardResult<CardPresenceAnswer> answerCardChallenge(ByteView challenge);
    CardStatus verifyAuthPin(SecretBytes pin, LastTry lastTry = LastTry::kNotConfirmed);
    CardResult<Bytes> signAuthDigest(ByteView sha256Digest);

    // Ends the card session now (reset); later calls fail with a transport error.
    void close();

    const CountingChannel& traffic() const { return counting_; }
    CountingChannel& traffic() { return counting_; }
    // What this card session learnt about extended-Le READ BINARY (iso7816.h).
    ExtendedReadSupport extendedReadSupport() const { return iso_.extendedReadSupport(); }
    // Foreign resets survived so far in this card session.
    int foreignResets() const { return foreignResets_; }

    // How many foreign resets one step survives before it gives up with card-reset.
    static constexpr int kMaxResetRecoveries = 3;

  private:
    CardService(std::unique_ptr<PcscCard> card, CardServiceConfig config);

    // Runs `step` again after each foreign reset (up to kMaxResetRecoveries), re-attaching first.
    template <typename Step>
    auto withResetRecovery(Step&& step) -> decltype(step());
    CardStatus reattachAfterReset();
    CardResult<VerifiedPhoto> photoFlow(const SecretBytes& verificationNumberB, LastTry lastTry,
                                        const RsaPublicKey& cvca);

    std::unique_ptr<PcscCard> ownedCard_;
    CardServiceConfig config_;
    std::string readerName_;
    CountingChannel counting_;
    Iso7816 iso_;
    std::optional<Bytes> identity_;  // the auth certificate first read in this card session
    bool authPinVerified_ = false;
    std::optional<RsaPublicKey> cardKey_;  // DF24 of the verified photo, this card session
    int foreignResets_ = 0;
};

}  // namespace uketsuke::card
