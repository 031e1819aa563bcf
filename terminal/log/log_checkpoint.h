// Signed checkpoints of the confirmation log (issue 14, "anchored chain"). The hash chain shows an
// edited or removed row in the middle, but not the newest rows deleted together with the stored
// head, an emptied log, dropped tables or a deleted file: the log is then consistent in itself.
// A checkpoint — the log's id, a row number and that row's hash, HMAC-SHA256 signed — kept in a
// second location (another disk, another machine's share) anchors the chain: `log verify
// --checkpoints DIR` fails when the log no longer holds that row with that hash.
//
// The file (one per directory, replaced atomically, mode 0600) is JSON:
//   {"format": "uketsuke-log-checkpoint/1", "log_id": "...", "sequence": 42,
//    "head_hash": "...", "written_at": "2026-12-04T09:00:00.000Z", "terminal_id": "...",
//    "hmac_sha256": "<hex of HMAC(key, canonical text)>"}
// A checkpoint never moves backwards: writing one for an older row than the stored one is a no-op.
// See docs/log-anchoring.md for why a second table in the same PostgreSQL database is not enough.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "terminal/log/log_error.h"
#include "uketsuke/bytes.h"

namespace uketsuke::terminal {

inline constexpr const char* kCheckpointFileName = "uketsuke-log-checkpoint.json";

struct Checkpoint {
    std::string logId;
    std::int64_t sequence = 0;
    std::string headHash;
    std::string writtenAt;
    std::string terminalId;
};

// The text the HMAC covers (length-prefixed fields, like the chain's canonical rows).
std::string canonicalCheckpoint(const Checkpoint& checkpoint);

// Writes `checkpoint` into dir/kCheckpointFileName unless the stored one (same log) is newer.
LogStatus writeCheckpoint(const std::filesystem::path& dir, const Checkpoint& checkpoint,
                          const SecretBytes& key);

// Reads and authenticates dir/kCheckpointFileName. kIo when missing, kFormat when malformed,
// kChainKey when the signature does not match the key.
LogResult<Checkpoint> readCheckpoint(const std::filesystem::path& dir, const SecretBytes& key);

}  // namespace uketsuke::terminal
