// Wire encodings shared by the qualification client and the reference service: strict base64
// (OpenSSL EVP), SHA-256 and lower-case hex.
#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <optional>
#include <string>
#include <string_view>

#include "uketsuke/bytes.h"

namespace uketsuke {

// Standard base64 (with padding), no line breaks.
inline std::string base64Encode(ByteView data) {
    if (data.empty())
        return {};
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                  static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Strict: nullopt on characters outside the alphabet, bad length or bad padding (EVP_DecodeBlock
// itself skips white space and does not report padding, so both are checked here first).
inline std::optional<Bytes> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return std::nullopt;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=') {
            if (i + 2 < text.size())
                return std::nullopt;
            ++pad;
        } else if (!alpha || pad > 0) {
            return std::nullopt;
        }
    }
    if (text.empty())
        return Bytes{};
    Bytes out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0)
        return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

inline Bytes sha256(ByteView data) {
    Bytes out(SHA256_DIGEST_LENGTH);
    SHA256(data.data(), data.size(), out.data());
    return out;
}

inline std::string lowerHex(ByteView data) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (auto b : data) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0F]);
    }
    return out;
}

}  // namespace uketsuke
