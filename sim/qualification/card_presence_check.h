// The reference service's check of a card's proof of presence in a face or 目視 attestation
// (issue 16; README.md, "Card presence"). Written apart from the terminal's card layer on
// purpose (OpenSSL only, its own parsing of EF 0004 and the DF22‖DF23‖DF24 TLVs), so that the
// service is a second implementation the terminal must agree with, not a copy of it.
#pragma once

#include <openssl/evp.h>

#include <string>

#include "uketsuke/bytes.h"
#include "uketsuke/result.h"

namespace uketsuke::sim {

struct CardPresenceInput {
    Bytes challenge;      // the service's challenge, raw
    Bytes cvCertificate;  // EF 0004
    Bytes signedFields;   // DF22‖DF23‖DF24 whole TLVs
    Bytes signedDigests;  // 96 bytes
    Bytes faceSignature;  // DF28
    Bytes cardNonce;      // the card's GET CHALLENGE answer
    Bytes answer;         // the card's DF24 signature
};

struct CardPresenceFacts {
    std::string birthDate;  // DF22, YYYYMMDD, certified by DF28
};

// The domain label of the signed message: "uketsuke card presence v1" ‖ 0x00 ‖ challenge ‖ nonce.
inline constexpr std::string_view kCardPresenceLabel = "uketsuke card presence v1";

// Checks, in order: EF 0004 with the CV-CA key; DF28 with the key in EF 0004 over the digests;
// the first digest is SHA-256 of the signed fields; DF24 from the signed fields verifies the
// answer over the label, the challenge and the nonce. An English reason on failure.
Result<CardPresenceFacts, std::string> checkCardPresence(const CardPresenceInput& in,
                                                         EVP_PKEY* cvcaKey);

}  // namespace uketsuke::sim
