// Hash chain: canonical serialisation, SHA-256 vs HMAC row hashes, key files, the verifier.
#include "terminal/log/log_chain.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <fstream>

#include "tests/unit/terminal/log/store_conformance.h"
#include "tests/unit/terminal/log/temp_dir.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

// Builds a chain of n rows the way a store does.
std::vector<LogRow> chain(const ChainHasher& hasher, int n) {
    std::vector<LogRow> rows;
    std::string prev(kGenesisHash);
    for (int i = 0; i < n; ++i) {
        LogRow row = toRow(
            makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed, std::chrono::minutes(i)));
        row.sequence = i + 1;
        row.prevHash = prev;
        row.rowHash = hasher.rowHash(prev, row);
        prev = row.rowHash;
        rows.push_back(row);
    }
    return rows;
}

// The canonical form length-prefixes every column and marks NULLs, so it is unambiguous.
TEST(CanonicalRow, LengthPrefixesEveryColumn) {
    // Arrange
    LogRow row = toRow(makeRecord(IdentityMethod::kPin, SessionOutcome::kConfirmed));
    row.sequence = 7;
    row.staffId.reset();
    // Act
    const std::string text = canonicalRow(row);
    // Assert
    EXPECT_EQ(text.rfind("uketsuke-confirmation-log:1\nsequence:1:7\nsession_id:36:", 0), 0u);
    EXPECT_NE(text.find("\nmatch_distance:8:0.710000\n"), std::string::npos);
    EXPECT_NE(text.find("\nstaff_id:-\n"), std::string::npos);
    EXPECT_NE(text.find("\nattempts:28:{\"face\":2,\"pin\":1,\"staff\":0}\n"), std::string::npos);
}

// Moving text between two adjacent columns changes the canonical form (no concatenation clash).
TEST(CanonicalRow, ColumnBoundariesMatter) {
    // Arrange
    LogRow a = toRow(makeRecord());
    LogRow b = a;
    a.cardClass = "ab";
    a.identityMethod = "c";
    b.cardClass = "a";
    b.identityMethod = "bc";
    // Act, Assert
    EXPECT_NE(canonicalRow(a), canonicalRow(b));
}

// Without a key the row hash is SHA-256(prev ‖ canonical); with one it is HMAC-SHA256.
TEST(ChainHasher, MatchesOpenSslDigests) {
    // Arrange
    LogRow row = toRow(makeRecord());
    row.sequence = 1;
    const std::string message = std::string(kGenesisHash) + canonicalRow(row);
    const Bytes key = *fromHex(kTestChainKeyHex);
    unsigned char sha[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), sha);
    unsigned char mac[SHA256_DIGEST_LENGTH];
    unsigned int macSize = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &macSize);
    auto lower = [](std::string s) {
        for (auto& c : s)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    // Act
    const std::string plain = ChainHasher().rowHash(kGenesisHash, row);
    const std::string keyed = ChainHasher(SecretBytes(key)).rowHash(kGenesisHash, row);
    // Assert
    EXPECT_EQ(plain, lower(toHex(ByteView(sha, SHA256_DIGEST_LENGTH), false)));
    EXPECT_EQ(keyed, lower(toHex(ByteView(mac, macSize), false)));
    EXPECT_NE(plain, keyed);
}

// The verifier accepts an intact chain and reports the head it ends at.
TEST(ChainVerifier, AcceptsIntactChain) {
    // Arrange
    const ChainHasher hasher;
    const auto rows = chain(hasher, 4);
    ChainVerifier verifier(hasher);
    // Act
    for (const auto& r : rows)
        verifier.feed(r);
    verifier.finish(ChainHead{4, rows.back().rowHash});
    // Assert
    EXPECT_TRUE(verifier.report().ok());
    EXPECT_EQ(verifier.report().rowsChecked, 4);
}

// Each kind of damage is named, at the first row it affects.
TEST(ChainVerifier, NamesTheKindOfDamage) {
    // Arrange
    const ChainHasher hasher;
    struct Case {
        const char* what;
        std::function<void(std::vector<LogRow>&)> damage;
        std::int64_t sequence;
        BreakKind kind;
    };
    const std::vector<Case> cases{
        {"edited", [](auto& r) { r[1].failureReason = "x"; }, 2, BreakKind::kHashMismatch},
        {"relinked", [](auto& r) { r[2].prevHash = r[0].rowHash; }, 3, BreakKind::kBrokenLink},
        {"deleted", [](auto& r) { r.erase(r.begin() + 1); }, 3, BreakKind::kSequenceGap},
        {"swapped", [](auto& r) { std::swap(r[1], r[2]); }, 3, BreakKind::kSequenceGap},
        {"bad json",
         [&](auto& r) {
             r[3].phaseMs = "{";
             r[3].rowHash = hasher.rowHash(r[3].prevHash, r[3]);
         },
         4, BreakKind::kUnreadableRow},
    };
    for (const auto& c : cases) {
        auto rows = chain(hasher, 4);
        c.damage(rows);
        ChainVerifier verifier(hasher);
        // Act
        for (const auto& r : rows)
            verifier.feed(r);
        verifier.finish(ChainHead{rows.back().sequence, rows.back().rowHash});
        // Assert
        ASSERT_FALSE(verifier.report().ok()) << c.what;
        EXPECT_EQ(verifier.report().firstBreak->sequence, c.sequence) << c.what;
        EXPECT_EQ(verifier.report().firstBreak->kind, c.kind) << c.what;
    }
}

// A chain written with one key does not verify with another.
TEST(ChainVerifier, OtherKeyFailsAtFirstRow) {
    // Arrange
    const ChainHasher writer(SecretBytes(*fromHex(kTestChainKeyHex)));
    const ChainHasher other(SecretBytes(std::string(32, 'k')));
    const auto rows = chain(writer, 3);
    ChainVerifier verifier(other);
    // Act
    for (const auto& r : rows)
        verifier.feed(r);
    // Assert
    ASSERT_FALSE(verifier.report().ok());
    EXPECT_EQ(verifier.report().firstBreak->sequence, 1);
    EXPECT_EQ(verifier.report().firstBreak->kind, BreakKind::kHashMismatch);
}

// Key files hold hex text, readable by their owner only; short keys, non-hex content and a key
// file group or others can read are refused.
TEST(ChainKeyFile, LoadsHexAndRefusesBadFiles) {
    // Arrange
    TempDir dir;
    const auto ownerOnly = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    std::ofstream(dir.path() / "good.key") << "  " << kTestChainKeyHex << "\n";
    std::ofstream(dir.path() / "short.key") << "00112233";
    std::ofstream(dir.path() / "text.key") << "correct horse battery staple";
    std::ofstream(dir.path() / "open.key") << kTestChainKeyHex << "\n";
    for (const char* f : {"good.key", "short.key", "text.key"})
        std::filesystem::permissions(dir.path() / f, ownerOnly);
    std::filesystem::permissions(dir.path() / "open.key",
                                 ownerOnly | std::filesystem::perms::others_read);
    // Act
    auto good = loadChainKey(dir.path() / "good.key");
    auto shortKey = loadChainKey(dir.path() / "short.key");
    auto text = loadChainKey(dir.path() / "text.key");
    auto missing = loadChainKey(dir.path() / "missing.key");
    auto open = loadChainKey(dir.path() / "open.key");
    // Assert
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(good.value().size(), 32u);
    for (const auto* r : {&shortKey, &text, &missing, &open}) {
        ASSERT_FALSE(r->ok());
        EXPECT_EQ(r->error().code, LogErrorCode::kChainKey);
    }
}

}  // namespace
}  // namespace uketsuke::terminal::testing
