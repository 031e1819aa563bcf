// Encodings used on the qualification service's wire: base64 and SHA-256 (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/bytes.h"
#include "uketsuke/encoding.h"

namespace uketsuke::terminal {

using uketsuke::base64Decode;
using uketsuke::base64Encode;
using uketsuke::lowerHex;
using uketsuke::sha256;

// The DigestInfo the card signs on the PIN path (card-protocol.md §6): the SHA-256 DigestInfo
// prefix followed by SHA-256(challenge). The card pads it with PKCS#1 v1.5 type 1 (`80 2A 00 80`).
Bytes pinProofDigestInfo(ByteView challenge);

}  // namespace uketsuke::terminal
