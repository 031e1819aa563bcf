// The card layer's high-level entry point for the CLI and the confirmation session: open a
// reader, read the CardInfo (no try consumed), check the auth certificate, read a verified chip
// photo (照合番号B → card face → EF 0004 with the CV-CA key → DF28 → DF24 challenge), and the PIN
// path (verify, sign). Each step returns a typed result. Destroying the service disconnects with
// SCARD_RESET_CARD (Errata 2): nothing verified outlives it.
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
    CardStatus verifyAuthPin(SecretBytes pin, LastTry lastTry = LastTry::kNotConfirmed);
    CardResult<Bytes> signAuthDigest(ByteView sha256Digest);

    // Ends the card session now (reset); later calls fail with a transport error.
    void close();

    const CountingChannel& traffic() const { return counting_; }
    CountingChannel& traffic() { return counting_; }

  private:
    CardService(std::unique_ptr<PcscCard> card, CardServiceConfig config);

    std::unique_ptr<PcscCard> ownedCard_;
    CardServiceConfig config_;
    std::string readerName_;
    CountingChannel counting_;
    Iso7816 iso_;
};

}  // namespace uketsuke::card
