// 券面事項確認AP (券面AP, card-surface AP), AID D3 92 10 00 31 00 01 01 04 02 — reference §1,
// §2.2, §5 and Errata 1.
//
// 照合番号B counter and VERIFY (EF 0012), the card face EF 0002 located through its DF21 offset
// table (birth date, sex, card key, photo, signature, expiry), the CV certificate EF 0004, the
// photo signature DF28 (by the key certified in EF 0004, over three SHA-256 digests of whole
// TLVs), and the internal-authentication challenge with the card key DF24 (anti-clone).
// There is no way to reach EF 0005 or 0013 (the My Number): the files table below is the only
// source of FIDs, and Iso7816's guard refuses those FIDs besides.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "card/card_error.h"
#include "card/card_presence.h"
#include "card/iso7816.h"
#include "card/jp2.h"
#include "card/jpki_ap.h"
#include "card/rsa_key.h"

namespace uketsuke::card {

enum class KenmenObject {
    kCardFace,             // EF 0002, needs VERIFY 0012
    kCvCertificate,        // EF 0004, free
    kVerificationNumberB,  // EF 0012: 照合番号B key, 14 digits (≈10 tries, [U])
};

struct KenmenFile {
    KenmenObject object;
    std::uint16_t fid;
    std::string_view name;
};

inline constexpr std::array kKenmenFiles{
    KenmenFile{KenmenObject::kCardFace, 0x0002, "card-face"},
    KenmenFile{KenmenObject::kCvCertificate, 0x0004, "cv-certificate"},
    KenmenFile{KenmenObject::kVerificationNumberB, 0x0012, "verification-number-b"},
};

// DigestInfo prefix of DF28 (Errata 1): SHA-256 OID with a 96-byte (0x60) digest field.
inline constexpr std::array<std::uint8_t, 19> kFaceSignatureDigestInfoPrefix{
    0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60};

struct KenmenOptions {
    // Refuse a 照合番号B VERIFY when the counter shows this many tries or fewer, unless the
    // caller confirms the last try. 1 mirrors the reference's PIN policy (§4): never spend the
    // last try without a human deciding to.
    int verificationNumberBFloor = kDefaultVerifyFloor;
};

// The card face as read from EF 0002. The name and address images (DF25/DF26) are not kept:
// only their digest, which the DF28 signature needs.
struct CardFace {
    std::string birthDate;   // DF22, YYYYMMDD (Gregorian)
    std::string sex;         // DF23, one digit ("1" male, "2" female, other values [U])
    std::string expiryDate;  // DF29, YYYYMMDD
    Bytes cardKeyModulus;    // DF24 91
    Bytes cardKeyExponent;   // DF24 90
    Bytes photoJp2;          // DF27 value
    Jp2Info photo;
    Bytes signature;  // DF28 value (256 bytes)
    // SHA256(DF22‖DF23‖DF24) ‖ SHA256(DF25‖DF26) ‖ SHA256(DF27), whole TLVs (Errata 1).
    Bytes signedDigests;
    // DF22‖DF23‖DF24 as whole TLVs (birth date, sex, card key): what a relying party needs, with
    // signedDigests' other two digests, to see that DF28 certifies this card key (issue 16).
    Bytes signedFields;
};

class KenmenAp {
  public:
    explicit KenmenAp(Iso7816& iso, KenmenOptions options = {}) : iso_(iso), options_(options) {}

    CardStatus select();
    // Selects EF 0012 and sends 00 20 00 80: consumes no try.
    CardResult<RetryCounter> queryVerificationNumberBRetries();
    // Checks the format (14 ASCII digits), ALWAYS queries first, refuses when blocked, when the
    // counter is at or below the floor (unless `lastTry` is kConfirmed), then VERIFYs. Wrong
    // code: wrong-credential with triesLeft. The secret is wiped whatever happens.
    CardStatus verifyVerificationNumberB(SecretBytes number,
                                         LastTry lastTry = LastTry::kNotConfirmed);
    // Reads EF 0002 (after VERIFY) and locates DF22..DF29 through the DF21 offset table.
    CardResult<CardFace> readCardFace();
    // Reads EF 0004, raw.
    CardResult<Bytes> readCvCertificate();
    // Internal authentication (reference §5.3 (c)): GET CHALLENGE, 80 2A 00 00 with the
    // challenge's DigestInfo, verify with DF24. clone-suspected when the card cannot prove it;
    // otherwise DF24 as the key the card has just proved it holds.
    CardResult<RsaPublicKey> internalAuthenticate(const CardFace& face);
    // The same exchange over a relying party's challenge (cardPresenceMessage), checked here with
    // `cardKey` before it is handed out. No VERIFY needed on the virtual card; whether a real card
    // asks for 照合番号B first is [U]: it would answer 6982 (security-status), reported as such.
    CardResult<CardPresenceAnswer> answerChallenge(const RsaPublicKey& cardKey, ByteView challenge);

  private:
    CardStatus selectFile(KenmenObject object);
    // GET CHALLENGE, then 80 2A 00 00 over DigestInfo(SHA-256(message(nonce))); checked with key.
    template <typename MessageOf>
    CardResult<CardPresenceAnswer> signOverNonce(const RsaPublicKey& key, MessageOf messageOf,
                                                 const char* what, bool keepSecurityStatus);
    Iso7816& iso_;
    KenmenOptions options_;
};

// Errata 1: DF28 verifies with the issuer key certified in EF 0004 over the 96-byte digests.
// photo-signature-invalid otherwise.
CardStatus verifyPhotoSignature(const CardFace& face, const RsaPublicKey& issuerKey);

// Parses EF 0002 (exposed for tests and fuzzers).
CardResult<CardFace> parseCardFace(ByteView file);

}  // namespace uketsuke::card
