// Test material for the card unit tests, made with OpenSSL at run time (no key is committed):
// RSA keys, X.509 certificates, BER-TLV encoding, a minimal JP2 file, 券面AP EF 0002/0004
// images, and SimCard: the sim's virtual My Number Card as an in-process channel.
#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/card_channel.h"
#include "card/scripted_channel.h"
#include "sim/virtual_card.h"
#include "uketsuke/bytes.h"
#include "virtual_card_channel.h"

namespace uketsuke::card::test {

struct KeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// RSA-2048 keys; the first N are generated once per process and reused (generation is slow).
EVP_PKEY* sharedKey(int index);
Key generateKey(int bits = 2048);
Bytes modulusOf(EVP_PKEY* key);
Bytes exponentOf(EVP_PKEY* key);
std::string publicKeyPem(EVP_PKEY* key);

Bytes signSha256(EVP_PKEY* key, ByteView message);        // sha256WithRSAEncryption
Bytes signPkcs1Payload(EVP_PKEY* key, ByteView payload);  // PKCS#1 v1.5 type 1 of raw bytes

// BER-TLV encoding with the shortest length form.
Bytes tlv(std::uint32_t tag, ByteView value);
Bytes concat(std::initializer_list<Bytes> parts);

// A small but structurally valid JP2 file (signature, ftyp, jp2h/ihdr, jp2c with SOC SIZ).
Bytes minimalJp2(std::uint32_t widthPx = 90, std::uint32_t heightPx = 110,
                 std::size_t codestreamBytes = 600);

struct CertSpec {
    std::string subjectCn = "TEST USER";
    std::string subjectO;               // empty: none
    std::string issuerO = "JPKI-TEST";  // used when self-signed
    std::chrono::system_clock::time_point notBefore;
    std::chrono::system_clock::time_point notAfter;
    bool isCa = false;
    bool digitalSignature = true;
    bool keyUsage = true;
    long serial = 0x1234;
};
// DER certificate of `subjectKey` signed by `issuerKey` with `issuerCertDer`'s subject as
// issuer (self-signed when issuerCertDer is empty).
Bytes makeCertificate(const CertSpec& spec, EVP_PKEY* subjectKey, EVP_PKEY* issuerKey,
                      const Bytes& issuerCertDer = {});
std::string derToPem(const Bytes& der);

// 券面AP EF 0004 as reference Errata 6 and cv_certificate.h describe, signed by `cvcaKey`.
Bytes makeCvCertificate(EVP_PKEY* certifiedKey, EVP_PKEY* cvcaKey);

struct FaceSpec {
    std::string birth = "19800217";
    std::string sex = "2";
    std::string expiry = "20350217";
    Bytes photo;  // default: minimalJp2()
    Bytes nameImage = Bytes(300, 0x11);
    Bytes addressImage = Bytes(400, 0x22);
    Bytes codeImage = Bytes(120, 0x33);
    bool corruptSignature = false;
};
// EF 0002 (FF20 { DF21 offsets, DF22..DF2A }) with DF28 signed per Errata 1 by `issuerKey`;
// DF24 holds `cardKey`'s public part. Padded with FF to `padTo` bytes when larger.
Bytes makeCardFace(const FaceSpec& spec, EVP_PKEY* issuerKey, EVP_PKEY* cardKey,
                   std::size_t padTo = 0);

// The sim's virtual My Number Card in-process (VirtualCardChannel) with its content set by a test:
// the fields below are built into a sim::CardImage (JPKI-AP, 券面AP and the 入力補助AP the card
// layer must never touch) before the next APDU, the session going on over changed files; the
// retry counters are read from and written back to authPinTries / bTries around every APDU, so a
// test can set and check them. What the card does is the sim's: one in-memory card for the whole
// tree. The transport adds what the card cannot do itself: resets by another process.
class SimCard : public CardChannel {
  public:
    SimCard();
    SimCard(const SimCard& other);
    SimCard& operator=(const SimCard& other);
    SimCard(SimCard&& other);  // a copy: the content moves, the session does not
    SimCard& operator=(SimCard&& other);
    ~SimCard() override;

    CardResult<Bytes> transmit(ByteView command) override;

    // JPKI-AP
    std::string label = "JPKIAPICCTOKEN2";
    Bytes availability{0x8F, 0x8F, 0x00};
    Bytes authCert, authCaCert;
    std::string authPin = "1234";
    int authPinTries = 3;
    std::optional<std::uint16_t> authPinQueryOverride;  // e.g. 6984 / 6300 (face card)
    EVP_PKEY* authKey = nullptr;
    // 券面AP
    Bytes cardFace, cvCertificate;
    std::string verificationNumberB = "55021720352285";
    int bTries = 10;
    EVP_PKEY* cardKey = nullptr;
    bool hasJpki = true;
    bool extendedReadBinary = true;    // accept extended Le on READ BINARY (6700 otherwise)
    bool capsExtendedAnswers = false;  // answer an extended Le with ≤ 256 bytes and 9000
    // A reset by another process just before APDU number N (1-based; 0: never): the card loses
    // its selection and verified states, and that transmit fails with card-reset, as PcscCard
    // reports SCARD_W_RESET_CARD. Several resets: listed in `resetsBeforeApdus`.
    std::vector<int> resetsBeforeApdus;
    int resets = 0;

    int apdus = 0;
    // Every SELECT tried ("JPKI", "KENMEN:0002", "AID:<hex>") and the accesses to the 入力補助AP
    // or 券面AP EF 0005/0013, as the sim records them.
    const sim::AccessLog& accessLog();

  private:
    struct Content;
    Content content() const;
    void attach();

    std::unique_ptr<Content> builtFrom_;
    std::unique_ptr<VirtualCardChannel> channel_;
};

}  // namespace uketsuke::card::test
