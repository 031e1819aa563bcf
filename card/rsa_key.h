// RSA public keys and PKCS#1 v1.5 verification with OpenSSL 3, for the three signatures the
// terminal checks (reference §5.3 and §6): the CV certificate of EF 0004, the card-face
// signature DF28 (a non-standard 96-byte DigestInfo, Errata 1), and the card's answers to a
// challenge (standard sha256WithRSAEncryption).
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <string_view>

#include "card/card_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::card {

// SHA-256 DigestInfo prefix (reference §6).
inline constexpr std::uint8_t kSha256DigestInfoPrefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                           0x01, 0x05, 0x00, 0x04, 0x20};

Bytes sha256(ByteView data);
// DigestInfo ‖ hash for a 32-byte SHA-256 digest (invalid-input otherwise).
CardResult<Bytes> sha256DigestInfo(ByteView digest);

class RsaPublicKey {
  public:
    // Big-endian unsigned modulus and exponent (CV certificate 7F49, card key DF24).
    static CardResult<RsaPublicKey> fromModulusExponent(ByteView modulus, ByteView exponent);
    static CardResult<RsaPublicKey> fromPem(std::string_view pem);
    static CardResult<RsaPublicKey> fromPemFile(const std::filesystem::path& file);
    // Takes one reference of `key` (EVP_PKEY_up_ref).
    static CardResult<RsaPublicKey> fromEvp(EVP_PKEY* key);

    // sha256WithRSAEncryption (PKCS#1 v1.5) over `message`.
    bool verifySha256(ByteView message, ByteView signature) const;
    // PKCS#1 v1.5 type-1 block whose payload must equal `payload` exactly. Used where the
    // signed DigestInfo is not a plain hash of one message (DF28, Errata 1).
    bool verifyPayload(ByteView payload, ByteView signature) const;

    int bits() const;
    EVP_PKEY* get() const { return key_.get(); }

  private:
    explicit RsaPublicKey(EVP_PKEY* key) : key_(key, EVP_PKEY_free) {}
    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace uketsuke::card
