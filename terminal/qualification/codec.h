// Encodings used on the qualification service's wire: base64 and SHA-256 (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/bytes.h"

namespace uketsuke::terminal {

std::string base64Encode(ByteView data);
// Strict: nullopt on characters outside the alphabet, bad length or bad padding.
std::optional<Bytes> base64Decode(std::string_view text);
Bytes sha256(ByteView data);
std::string lowerHex(ByteView data);

// The DigestInfo the card signs on the PIN path (card-protocol.md §6): the SHA-256 DigestInfo
// prefix followed by SHA-256(challenge). The card pads it with PKCS#1 v1.5 type 1 (`80 2A 00 80`).
Bytes pinProofDigestInfo(ByteView challenge);

}  // namespace uketsuke::terminal
