// Hash chain: canonical serialisation, SHA-256 / HMAC-SHA256 row hashes, chain key files and the
// verifier (see log_chain.h for the format and what each mode protects against).
#include "terminal/log/log_chain.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

namespace uketsuke::terminal {
namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
    appendCanonicalField(out, name, value);
}

void nullField(std::string& out, std::string_view name) {
    out += name;
    out += ":-\n";
}

std::string lowerHex(const unsigned char* data, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kHex[data[i] >> 4]);
        out.push_back(kHex[data[i] & 0x0F]);
    }
    return out;
}

}  // namespace

void appendCanonicalField(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ':';
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += '\n';
}

std::string_view toString(ChainMode mode) {
    return mode == ChainMode::kHmacSha256 ? "hmac-sha256" : "sha256";
}

std::optional<ChainMode> chainModeFromString(std::string_view text) {
    if (text == "sha256")
        return ChainMode::kSha256;
    if (text == "hmac-sha256")
        return ChainMode::kHmacSha256;
    return std::nullopt;
}

std::string_view toString(BreakKind kind) {
    switch (kind) {
        case BreakKind::kHashMismatch:
            return "hash mismatch";
        case BreakKind::kBrokenLink:
            return "broken link";
        case BreakKind::kSequenceGap:
            return "sequence gap";
        case BreakKind::kHeadMismatch:
            return "head mismatch";
        case BreakKind::kUnreadableRow:
            return "unreadable row";
        case BreakKind::kBehindAnchor:
            return "behind checkpoint";
        case BreakKind::kAnchorMismatch:
            return "checkpoint mismatch";
    }
    return "unknown";
}

std::string canonicalRow(const LogRow& r) {
    std::string out = "uketsuke-confirmation-log:1\n";
    field(out, "sequence", std::to_string(r.sequence));
    field(out, "session_id", r.sessionId);
    field(out, "terminal_id", r.terminalId);
    field(out, "started_at", r.startedAt);
    field(out, "ended_at", r.endedAt);
    field(out, "card_class", r.cardClass);
    field(out, "identity_method", r.identityMethod);
    field(out, "attempts", r.attempts);
    if (r.matchDistance) {
        field(out, "match_distance", formatDistance(*r.matchDistance));
    } else {
        nullField(out, "match_distance");
    }
    if (r.staffId) {
        field(out, "staff_id", *r.staffId);
    } else {
        nullField(out, "staff_id");
    }
    field(out, "consent", r.consent);
    field(out, "result_code", r.resultCode);
    field(out, "outcome", r.outcome);
    field(out, "failure_reason", r.failureReason);
    field(out, "phase_ms", r.phaseMs);
    return out;
}

std::string ChainHasher::rowHash(std::string_view prevHash, const LogRow& row) const {
    std::string message(prevHash);
    message += canonicalRow(row);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    if (key_.empty()) {
        SHA256(data, message.size(), digest);
        size = SHA256_DIGEST_LENGTH;
    } else {
        const auto key = key_.view();
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, message.size(), digest,
             &size);
    }
    return lowerHex(digest, size);
}

LogResult<SecretBytes> loadChainKey(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return logFail(LogErrorCode::kChainKey, "cannot read chain key file " + file.string());
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        return logFail(LogErrorCode::kChainKey,
                       "key file " + file.string() +
                           " is readable or writable by group or others; chmod 600 it");
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto decoded = fromHex(text);
    OPENSSL_cleanse(text.data(), text.size());
    if (!decoded) {
        return logFail(LogErrorCode::kChainKey,
                       "chain key file " + file.string() + " is not hex text");
    }
    SecretBytes key(std::move(*decoded));
    constexpr std::size_t kMinKeyBytes = 16;
    if (key.size() < kMinKeyBytes) {
        return logFail(LogErrorCode::kChainKey,
                       "chain key file " + file.string() + " holds fewer than 16 bytes");
    }
    return key;
}

bool ChainVerifier::feed(const LogRow& row) {
    if (report_.firstBreak)
        return false;
    auto breakAt = [&](BreakKind kind, std::string detail) {
        report_.firstBreak = ChainBreak{row.sequence, row.sessionId, kind, std::move(detail)};
        return false;
    };
    const std::int64_t expected = report_.lastSequence + 1;
    if (row.sequence != expected) {
        return breakAt(BreakKind::kSequenceGap, "expected sequence " + std::to_string(expected) +
                                                    ", found " + std::to_string(row.sequence));
    }
    if (row.prevHash != report_.lastHash) {
        return breakAt(BreakKind::kBrokenLink,
                       "prev_hash does not match row " + std::to_string(report_.lastSequence));
    }
    if (hasher_.rowHash(row.prevHash, row) != row.rowHash) {
        return breakAt(BreakKind::kHashMismatch, "the row's content does not match its row_hash");
    }
    if (auto decoded = fromRow(row); !decoded) {
        return breakAt(BreakKind::kUnreadableRow, decoded.error().context);
    }
    if (anchor_ && row.sequence == anchor_->sequence && row.rowHash != anchor_->hash) {
        return breakAt(BreakKind::kAnchorMismatch,
                       "the checkpoint names another hash for this row (the log was rewritten "
                       "or replaced after the checkpoint)");
    }
    ++report_.rowsChecked;
    report_.lastSequence = row.sequence;
    report_.lastHash = row.rowHash;
    return true;
}

void ChainVerifier::finish(const ChainHead& head) {
    if (report_.firstBreak)
        return;
    // Checked before the head: truncating rows and rewinding the head together leaves a chain
    // that is consistent in itself; only the checkpoint kept elsewhere shows what is missing.
    if (anchor_ && report_.lastSequence < anchor_->sequence) {
        report_.firstBreak =
            ChainBreak{anchor_->sequence,
                       {},
                       BreakKind::kBehindAnchor,
                       "the checkpoint names row " + std::to_string(anchor_->sequence) +
                           " but the log ends at row " + std::to_string(report_.lastSequence) +
                           " (rows were deleted: truncation, rollback or an emptied log)"};
        return;
    }
    if (head.sequence != report_.lastSequence) {
        report_.firstBreak =
            ChainBreak{head.sequence,
                       {},
                       BreakKind::kHeadMismatch,
                       "the chain head names row " + std::to_string(head.sequence) +
                           " but the last row is " + std::to_string(report_.lastSequence)};
    } else if (head.hash != report_.lastHash) {
        report_.firstBreak = ChainBreak{head.sequence,
                                        {},
                                        BreakKind::kHeadMismatch,
                                        "the chain head's hash does not match the last row"};
    }
}

}  // namespace uketsuke::terminal
