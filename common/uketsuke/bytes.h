// Byte buffers, hex formatting and secret buffers that wipe themselves.
#pragma once

#include <openssl/crypto.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "00 A4 04 0C" style, upper case, space separated (used by logs and tests).
inline std::string toHex(ByteView data, bool spaced = true) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(data.size() * 3);
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (spaced && i > 0)
            out.push_back(' ');
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0x0F]);
    }
    return out;
}

// Parses hex with optional spaces/colons; nullopt on any other character or an odd digit count.
inline std::optional<Bytes> fromHex(std::string_view text) {
    Bytes out;
    int high = -1;
    for (char c : text) {
        int v = 0;  // every branch below sets it or returns
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c == ' ' || c == ':' || c == '\n' || c == '\t')
            continue;
        else
            return std::nullopt;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0)
        return std::nullopt;
    return out;
}

inline Bytes bytesOf(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

// A secret (PIN, 照合番号B, password). Wiped with OPENSSL_cleanse on destruction and on clear();
// not copyable, so a secret cannot be cached by accident. Never formatted into a log.
class SecretBytes {
  public:
    SecretBytes() = default;
    explicit SecretBytes(std::string_view text) : data_(text.begin(), text.end()) {}
    explicit SecretBytes(Bytes data) : data_(std::move(data)) {}
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) { other.clear(); }
    SecretBytes& operator=(SecretBytes&& other) noexcept {
        if (this != &other) {
            clear();
            data_ = std::move(other.data_);
            other.clear();
        }
        return *this;
    }
    ~SecretBytes() { clear(); }

    void clear() {
        if (!data_.empty())
            OPENSSL_cleanse(data_.data(), data_.size());
        data_.clear();
    }
    ByteView view() const { return data_; }
    std::size_t size() const { return data_.size(); }
    bool empty() const { return data_.empty(); }

  private:
    Bytes data_;
};

// Wipes a plain buffer that held secret material (an APDU carrying a PIN, say).
inline void wipe(Bytes& data) {
    if (!data.empty())
        OPENSSL_cleanse(data.data(), data.size());
    data.clear();
}

}  // namespace uketsuke
