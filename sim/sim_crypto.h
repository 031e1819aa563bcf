// OpenSSL 3 (EVP) helpers of the virtual card: load the test PKI's keys and certificates, sign the
// way the card does (raw PKCS#1 v1.5 type-1 padding of the given bytes, card-protocol.md §6), and
// hash. Keys are shared, immutable EVP_PKEY handles.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>

#include "common/uketsuke/bytes.h"
#include "common/uketsuke/encoding.h"
#include "common/uketsuke/result.h"
#include "sim/sim_error.h"

namespace uketsuke::sim {

using PrivateKey = std::shared_ptr<EVP_PKEY>;

Result<PrivateKey, SimFailure> loadPrivateKey(const std::filesystem::path& pemFile);
// First certificate of a PEM file, as DER.
Result<Bytes, SimFailure> loadCertificateDer(const std::filesystem::path& pemFile);
Result<Bytes, SimFailure> readFileBytes(const std::filesystem::path& file);

// RSA modulus, big-endian, left-padded to the key size (256 bytes for RSA-2048).
Bytes rsaModulus(const EVP_PKEY& key);
// RSA public exponent, big-endian, minimal length (01 00 01 for 65537).
Bytes rsaPublicExponent(const EVP_PKEY& key);
// The card's COMPUTE DIGITAL SIGNATURE: PKCS#1 v1.5 type-1 padding of exactly these bytes (a
// DigestInfo built by the host), then the RSA private operation. Empty on failure.
Bytes signPkcs1Raw(const EVP_PKEY& key, ByteView digestInfo);
// sha256WithRSAEncryption over a message (used for the EF 0004 CV certificate).
Bytes signSha256(const EVP_PKEY& key, ByteView message);
using uketsuke::sha256;  // one SHA-256 for the whole tree (uketsuke/encoding.h)

// DER DigestInfo prefix for SHA-256 (card-protocol.md §6) and the 96-byte variant used by the
// 券面AP DF28 signature (three SHA-256 digests, Errata 1).
inline constexpr std::uint8_t kSha256DigestInfoPrefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                           0x01, 0x05, 0x00, 0x04, 0x20};
inline constexpr std::uint8_t kTripleSha256DigestInfoPrefix[] = {
    0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60};

}  // namespace uketsuke::sim
