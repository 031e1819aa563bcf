// The hash chain over confirmation-log rows.
//
//   row_hash = HMAC-SHA256(key, prev_hash ‖ canonical(row))   when a chain key is configured
//   row_hash = SHA-256(prev_hash ‖ canonical(row))            otherwise
//
// prev_hash is the previous row's row_hash as 64 lower-case hex characters (64 '0' for row 1),
// and canonical(row) is, for each column in a fixed order, "name:length:value\n" (length in bytes;
// a NULL column is "name:-\n"). Length prefixes make the encoding unambiguous whatever the
// values contain, and any auditor can recompute it with a few lines of Python.
//
// What each mode protects against:
//  - SHA-256 only: detects accidental corruption and edits by someone who does not recompute
//    hashes. Anyone who can write the database can rewrite a row and recompute every following
//    hash, and the chain verifies again.
//  - HMAC-SHA256: rewriting needs the key. Keep the key file readable only by the terminal's
//    service account and away from the database host (PostgreSQL sites).
// Neither mode stops deleting the newest rows together with the chain head; export and keep
// copies (or the verify report's head) elsewhere to detect that.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "terminal/log/log_row.h"
#include "uketsuke/bytes.h"

namespace uketsuke::terminal {

enum class ChainMode { kSha256, kHmacSha256 };
std::string_view toString(ChainMode mode);  // "sha256", "hmac-sha256"
std::optional<ChainMode> chainModeFromString(std::string_view text);

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string canonicalRow(const LogRow& row);
// One length-prefixed field of a canonical form ("name:<byte length>:value\n"), so that no value
// can imitate a field boundary. Shared by the row form and the checkpoint form.
void appendCanonicalField(std::string& out, std::string_view name, std::string_view value);

// Computes row hashes. Holds the key (wiped on destruction); not copyable, like SecretBytes.
class ChainHasher {
  public:
    ChainHasher() = default;  // SHA-256 mode
    explicit ChainHasher(SecretBytes key) : key_(std::move(key)) {}

    ChainMode mode() const { return key_.empty() ? ChainMode::kSha256 : ChainMode::kHmacSha256; }
    std::string rowHash(std::string_view prevHash, const LogRow& row) const;

  private:
    SecretBytes key_;
};

// Reads a chain key file: hex text (e.g. `openssl rand -hex 32`), surrounding whitespace ignored,
// at least 16 bytes. The file's content is wiped from memory after decoding.
LogResult<SecretBytes> loadChainKey(const std::filesystem::path& file);

enum class BreakKind {
    kHashMismatch,    // the row's content does not match its row_hash (row edited)
    kBrokenLink,      // prev_hash is not the previous row's row_hash (row rewritten or replaced)
    kSequenceGap,     // a sequence number is missing or repeated (row deleted or inserted)
    kHeadMismatch,    // the stored chain head does not name the last row (newest rows deleted)
    kUnreadableRow,   // a column cannot be decoded
    kBehindAnchor,    // the log ends before the checkpoint's row (truncated, rolled back, emptied)
    kAnchorMismatch,  // the checkpoint's row has another hash (rewritten or replaced)
};
std::string_view toString(BreakKind kind);

struct ChainBreak {
    std::int64_t sequence = 0;  // the first row that fails (for kHeadMismatch: the head's)
    std::string sessionId;
    BreakKind kind = BreakKind::kHashMismatch;
    std::string detail;
};

struct VerifyReport {
    ChainMode mode = ChainMode::kSha256;
    std::string logId;
    std::int64_t rowsChecked = 0;
    std::int64_t lastSequence = 0;
    std::string lastHash{kGenesisHash};
    std::optional<ChainBreak> firstBreak;

    bool ok() const { return !firstBreak; }
};

// The chain head as stored beside the rows, updated in the same transaction as each append.
struct ChainHead {
    std::int64_t sequence = 0;
    std::string hash{kGenesisHash};
};

// Walks rows in sequence order and stops at the first break. Used by every store's verify().
class ChainVerifier {
  public:
    explicit ChainVerifier(const ChainHasher& hasher,
                           std::optional<ChainHead> anchor = std::nullopt)
        : hasher_(hasher), anchor_(std::move(anchor)) {
        report_.mode = hasher.mode();
    }
    // Returns false once a break has been found (further rows are ignored).
    bool feed(const LogRow& row);
    // Compares the stored head with the last row seen; call after the last row.
    void finish(const ChainHead& head);
    const VerifyReport& report() const { return report_; }

  private:
    const ChainHasher& hasher_;
    std::optional<ChainHead> anchor_;  // a checkpoint: row sequence must exist with this hash
    VerifyReport report_;
};

}  // namespace uketsuke::terminal
