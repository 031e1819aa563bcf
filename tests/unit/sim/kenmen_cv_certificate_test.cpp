// 券面AP EF 0004 of the virtual card against the golden files of an independent encoder
// (../shared/golden/card, card-protocol.md Errata 6): the same bytes at every fixed offset, and
// a signature that verifies with OpenSSL directly (not through the product's parser).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/sim_crypto.h"
#include "sim_test_support.h"

namespace uketsuke::sim::test {
namespace {

namespace fs = std::filesystem;

// Offsets of the Errata 6 layout in the file: 7F21 82 02 33 | 5F4E 82 01 29 | body (297) |
// 5F37 82 01 00 | signature (256) | FF padding.
constexpr std::size_t kBodyAt = 10, kSignerIdAt = 10, kCertifiedIdAt = 26, kExponentTagAt = 42,
                      kModulusTagAt = 47, kModulusAt = 51, kSignatureTagAt = 307,
                      kSignatureAt = 312, kTlvEnd = 568;

fs::path goldenDir() {
    return fs::path(UKETSUKE_SHARED_DIR) / "golden" / "card";
}

Bytes readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

#define REQUIRE_GOLDEN()                                                               \
    do {                                                                               \
        if (!fs::exists(goldenDir() / "ef0004.bin"))                                   \
            GTEST_SKIP() << "golden files absent (" << goldenDir().string()            \
                         << "): ../shared is not checked out next to the source tree"; \
    } while (0)

Bytes simEf0004() {
    const auto image = cardImage("normal");
    if (image == nullptr || image->find(AppId::kKenmen) == nullptr)
        return {};
    return image->find(AppId::kKenmen)->files.at(fid::kKenmenCvCert).data;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t to) {
    return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from),
                 b.begin() + static_cast<std::ptrdiff_t>(to));
}

// The parts of an Errata 6 certificate, read with the tests' own TLV reader.
struct CvCert {
    Bytes body;  // the 297-byte value of 5F4E
    Bytes signature;
};
std::optional<CvCert> parseCv(const Bytes& file) {
    const auto outer = readTlv(file, 0);
    if (!outer || outer->tag != 0x7F21)
        return std::nullopt;
    const auto parts = children(outer->value);
    if (parts.count(0x5F4E) == 0 || parts.count(0x5F37) == 0)
        return std::nullopt;
    return CvCert{parts.at(0x5F4E).value, parts.at(0x5F37).value};
}

PublicKey certifiedKey(const CvCert& cv) {
    return rsaPublicKey(ByteView(cv.body).subspan(kModulusAt - kBodyAt, 256),
                        ByteView(cv.body).subspan(kExponentTagAt + 2 - kBodyAt, 3));
}

// DF28 of an EF 0002 checked per Errata 1 with the given key: true if it verifies.
bool photoSignatureVerifies(const Bytes& ef0002, EVP_PKEY* key) {
    const auto outer = readTlv(ef0002, 0);
    if (!outer || outer->tag != 0xFF20)
        return false;
    auto parts = children(outer->value);
    for (std::uint16_t tag : {0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28})
        if (parts.count(tag) == 0)
            return false;
    auto digest = [&](std::initializer_list<std::uint16_t> tags) {
        Bytes all;
        for (auto t : tags)
            all.insert(all.end(), parts[t].whole.begin(), parts[t].whole.end());
        return sha256(all);
    };
    Bytes expected(std::begin(kTripleSha256DigestInfoPrefix),
                   std::end(kTripleSha256DigestInfoPrefix));
    for (const Bytes& d :
         {digest({0xDF22, 0xDF23, 0xDF24}), digest({0xDF25, 0xDF26}), digest({0xDF27})})
        expected.insert(expected.end(), d.begin(), d.end());
    return recoverPkcs1(key, parts[0xDF28].value) == expected;
}

// The sim's EF 0004 has the golden file's length, tags and lengths at the same offsets, key IDs
// of the same shape, and FF padding where the golden file has it.
TEST(KenmenCvCertificate, SimHasTheGoldenLayout) {
    REQUIRE_GOLDEN();
    const Bytes golden = readFile(goldenDir() / "ef0004.bin");
    const Bytes sim = simEf0004();
    ASSERT_EQ(golden.size(), 768u);
    // Act / Assert
    ASSERT_EQ(sim.size(), golden.size());
    for (auto [from, to] : {std::pair<std::size_t, std::size_t>{0, kBodyAt},
                            {kExponentTagAt, kExponentTagAt + 2},
                            {kModulusTagAt, kModulusAt},
                            {kSignatureTagAt, kSignatureAt}}) {
        SCOPED_TRACE(from);
        EXPECT_EQ(slice(sim, from, to), slice(golden, from, to));
    }
    EXPECT_EQ(slice(sim, 0, kBodyAt), hex("7F 21 82 02 33 5F 4E 82 01 29"));
    EXPECT_EQ(slice(sim, kSignatureTagAt, kSignatureAt), hex("5F 37 82 01 00"));
    for (std::size_t i = kTlvEnd; i < golden.size(); ++i) {
        ASSERT_EQ(golden[i], 0xFF) << i;
        ASSERT_EQ(sim[i], 0xFF) << i;
    }
    // Key IDs: an ASCII digit wherever the golden ID has one, the same byte everywhere else.
    auto isDigit = [](std::uint8_t b) { return b >= '0' && b <= '9'; };
    for (std::size_t i = kSignerIdAt; i < kModulusTagAt - 5; ++i) {
        if (isDigit(golden[i]))
            EXPECT_TRUE(isDigit(sim[i])) << "key ID byte " << i;
        else
            EXPECT_EQ(sim[i], golden[i]) << "key ID byte " << i;
    }
    // Both are certified by the test hierarchy's CV-CA (証明者鍵ID 6000023…).
    EXPECT_EQ(slice(sim, kSignerIdAt, kSignerIdAt + 7), bytesOf("6000023"));
    EXPECT_EQ(slice(sim, kSignerIdAt, kCertifiedIdAt), slice(golden, kSignerIdAt, kCertifiedIdAt));
    // The same certificate read as TLVs by the tests' own reader.
    const auto g = parseCv(golden);
    const auto s = parseCv(sim);
    ASSERT_TRUE(g && s);
    EXPECT_EQ(s->body.size(), 297u);
    EXPECT_EQ(s->signature.size(), g->signature.size());
}

// The sim's certificate verifies with the sim's CV-CA key over the 297-byte value of 5F4E (not
// the TLV), certifies the issuer key that signs DF28, and a changed body byte fails.
TEST(KenmenCvCertificate, SimVerifiesWithItsCvcaKey) {
    const Bytes sim = simEf0004();
    const auto cv = parseCv(sim);
    ASSERT_TRUE(cv.has_value());
    auto cvca = publicKeyFromPem(pkiDir() / "kenmen-cvca.pub.pem");
    ASSERT_NE(cvca, nullptr);
    // Act / Assert
    EXPECT_TRUE(verifySha256(cvca.get(), cv->body, cv->signature));
    EXPECT_FALSE(verifySha256(cvca.get(), slice(sim, kBodyAt - 5, kSignatureTagAt), cv->signature))
        << "signed over the 5F4E TLV instead of its value";
    Bytes changed = cv->body;
    changed[kCertifiedIdAt - kBodyAt] ^= 0x01;
    EXPECT_FALSE(verifySha256(cvca.get(), changed, cv->signature));
    // The certified key is the issuer key (kenmen-issuer.pub.pem), which signs DF28.
    auto issuer = publicKeyFromPem(pkiDir() / "kenmen-issuer.pub.pem");
    ASSERT_NE(issuer, nullptr);
    EXPECT_EQ(EVP_PKEY_eq(certifiedKey(*cv).get(), issuer.get()), 1);
    EXPECT_EQ(slice(cv->body, kExponentTagAt - kBodyAt, kModulusTagAt - kBodyAt),
              hex("90 03 01 00 01"));
}

// The same checks accept the independent encoder's golden files and refuse its bad ones, so the
// checks above are Errata 6/1 and not the sim's own reading of them.
TEST(KenmenCvCertificate, SameChecksOnTheGoldenFiles) {
    REQUIRE_GOLDEN();
    auto cvca = publicKeyFromPem(goldenDir() / "cvca.pub.pem");
    ASSERT_NE(cvca, nullptr);
    const auto good = parseCv(readFile(goldenDir() / "ef0004.bin"));
    const auto bad = parseCv(readFile(goldenDir() / "ef0004-badsig.bin"));
    ASSERT_TRUE(good && bad);
    // Act / Assert
    EXPECT_TRUE(verifySha256(cvca.get(), good->body, good->signature));
    EXPECT_FALSE(verifySha256(cvca.get(), bad->body, bad->signature));
    auto key = certifiedKey(*good);
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(photoSignatureVerifies(readFile(goldenDir() / "ef0002.bin"), key.get()));
    EXPECT_FALSE(photoSignatureVerifies(readFile(goldenDir() / "ef0002-tampered.bin"), key.get()));
    // The sim's certificate does not verify with the golden CV-CA key (other hierarchy keys).
    const auto sim = parseCv(simEf0004());
    ASSERT_TRUE(sim.has_value());
    EXPECT_FALSE(verifySha256(cvca.get(), sim->body, sim->signature));
}

// The sim's EF 0002 photo signature verifies with the key inside the sim's EF 0004.
TEST(KenmenCvCertificate, SimPhotoVerifiesWithTheCertifiedKey) {
    const auto image = cardImage("normal");
    ASSERT_NE(image, nullptr);
    const auto cv = parseCv(simEf0004());
    ASSERT_TRUE(cv.has_value());
    auto key = certifiedKey(*cv);
    const Bytes& face = image->find(AppId::kKenmen)->files.at(fid::kKenmenFace).data;
    EXPECT_TRUE(photoSignatureVerifies(face, key.get()));
    CardImage bad = applyFileFault(*image, FaultMode::kBadPhotoSignature);
    EXPECT_FALSE(photoSignatureVerifies(bad.find(AppId::kKenmen)->files.at(fid::kKenmenFace).data,
                                        key.get()));
}

}  // namespace
}  // namespace uketsuke::sim::test
