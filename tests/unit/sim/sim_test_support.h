// Shared helpers of the sim/ unit tests: persona and PKI loading from the build tree, APDU
// helpers, a minimal independent BER-TLV reader and OpenSSL verification of card signatures.
#pragma once

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/uketsuke/bytes.h"
#include "sim/card_image.h"
#include "sim/persona.h"
#include "sim/virtual_card.h"

namespace uketsuke::sim::test {

inline std::filesystem::path personaDir() {
    return std::filesystem::path(UKETSUKE_SOURCE_DIR) / "sim" / "personas";
}
inline std::filesystem::path pkiDir() {
    return std::filesystem::path(UKETSUKE_BUILD_DIR) / "pki";
}

inline Persona persona(const std::string& id) {
    auto p = loadPersona(personaDir() / (id + ".json"));
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message());
    return p.ok() ? std::move(p).takeValue() : Persona{};
}

// Card images are built once per persona per test binary (RSA signing at build time).
inline std::shared_ptr<const CardImage> cardImage(const std::string& id) {
    static std::map<std::string, std::shared_ptr<const CardImage>> cache;
    if (auto it = cache.find(id); it != cache.end())
        return it->second;
    auto built = buildCardImage(persona(id), pkiDir());
    if (!built.ok()) {
        ADD_FAILURE() << "card image " << id << ": " << built.error().message()
                      << " (is the test_pki target built?)";
        return nullptr;
    }
    auto image = std::make_shared<const CardImage>(std::move(built).takeValue());
    cache[id] = image;
    return image;
}

inline Bytes hex(std::string_view text) {
    return fromHex(text).value();
}

inline std::uint16_t swOf(const Bytes& response) {
    return response.size() < 2
               ? 0
               : static_cast<std::uint16_t>((response[response.size() - 2] << 8) | response.back());
}
inline Bytes dataOf(const Bytes& response) {
    return response.size() < 2 ? Bytes{} : Bytes(response.begin(), response.end() - 2);
}

inline Bytes selectAid(AppId app) {
    Bytes apdu = {0x00, 0xA4, 0x04, 0x0C, 0x0A};
    const ByteView aid = appAid(app);
    apdu.insert(apdu.end(), aid.begin(), aid.end());
    return apdu;
}
inline Bytes selectEf(std::uint16_t fid) {
    return {0x00,
            0xA4,
            0x02,
            0x0C,
            0x02,
            static_cast<std::uint8_t>(fid >> 8),
            static_cast<std::uint8_t>(fid)};
}
inline Bytes readBinary(std::size_t offset, std::uint8_t le) {
    return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset),
            le};
}
inline Bytes verifyApdu(std::string_view secret) {
    // Sized up front: GCC 12 -O3 warns (array-bounds) on insert() into a 5-byte vector.
    Bytes apdu(5 + secret.size());
    const std::uint8_t header[] = {0x00, 0x20, 0x00, 0x80,
                                   static_cast<std::uint8_t>(secret.size())};
    std::copy(std::begin(header), std::end(header), apdu.begin());
    std::copy(secret.begin(), secret.end(), apdu.begin() + 5);
    return apdu;
}
inline const Bytes kQuery = {0x00, 0x20, 0x00, 0x80};

// Minimal BER-TLV reader, independent of the sim's encoder: one- or two-byte tags (low five
// bits all set means a second tag byte), definite lengths up to 82 xx xx.
struct Tlv {
    std::uint16_t tag = 0;
    std::size_t headerSize = 0;
    std::size_t length = 0;
    Bytes whole;  // tag + length + value
    Bytes value;
};
inline std::optional<Tlv> readTlv(ByteView data, std::size_t at) {
    Tlv t;
    std::size_t p = at;
    if (p >= data.size())
        return std::nullopt;
    t.tag = data[p++];
    if ((t.tag & 0x1F) == 0x1F) {
        if (p >= data.size())
            return std::nullopt;
        t.tag = static_cast<std::uint16_t>((t.tag << 8) | data[p++]);
    }
    if (p >= data.size())
        return std::nullopt;
    std::size_t len = data[p++];
    if (len == 0x81 || len == 0x82) {
        const std::size_t n = len & 0x7F;
        if (p + n > data.size())
            return std::nullopt;
        len = 0;
        for (std::size_t i = 0; i < n; ++i)
            len = (len << 8) | data[p++];
    } else if (len > 0x80) {
        return std::nullopt;
    }
    if (p + len > data.size())
        return std::nullopt;
    t.headerSize = p - at;
    t.length = len;
    t.whole.assign(data.begin() + static_cast<std::ptrdiff_t>(at),
                   data.begin() + static_cast<std::ptrdiff_t>(p + len));
    t.value.assign(data.begin() + static_cast<std::ptrdiff_t>(p),
                   data.begin() + static_cast<std::ptrdiff_t>(p + len));
    return t;
}
// Children of a constructed value, by tag.
inline std::map<std::uint16_t, Tlv> children(ByteView value) {
    std::map<std::uint16_t, Tlv> out;
    for (std::size_t at = 0; at < value.size();) {
        auto t = readTlv(value, at);
        if (!t)
            break;
        at += t->whole.size();
        out[t->tag] = *t;
    }
    return out;
}

using PublicKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

inline PublicKey rsaPublicKey(ByteView modulus, ByteView exponent) {
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    BIGNUM* n = BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr);
    BIGNUM* e = BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata_init(ctx) == 1)
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return PublicKey(key, EVP_PKEY_free);
}

inline PublicKey publicKeyFromPem(const std::filesystem::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    EVP_PKEY* key = f ? PEM_read_PUBKEY(f, nullptr, nullptr, nullptr) : nullptr;
    if (f)
        std::fclose(f);
    return PublicKey(key, EVP_PKEY_free);
}

inline PublicKey publicKeyFromCertificate(ByteView der) {
    const unsigned char* p = der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    EVP_PKEY* key = cert ? X509_get_pubkey(cert) : nullptr;
    X509_free(cert);
    return PublicKey(key, EVP_PKEY_free);
}

// Recovers what a raw PKCS#1 v1.5 signature signed (the DigestInfo); empty if it does not verify.
inline Bytes recoverPkcs1(EVP_PKEY* key, ByteView signature) {
    if (key == nullptr)
        return {};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    Bytes out(512);
    std::size_t len = out.size();
    const bool ok =
        ctx && EVP_PKEY_verify_recover_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_verify_recover(ctx, out.data(), &len, signature.data(), signature.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return {};
    out.resize(len);
    return out;
}

// sha256WithRSAEncryption verification of a message.
inline bool verifySha256(EVP_PKEY* key, ByteView message, ByteView signature) {
    if (key == nullptr)
        return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(),
                                     message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

// Runs APDUs through a card and returns the last response.
inline Bytes run(VirtualCard& card, std::initializer_list<Bytes> apdus) {
    Bytes last;
    for (const Bytes& a : apdus)
        last = card.transmit(a).response;
    return last;
}

}  // namespace uketsuke::sim::test
