// ConfirmationLog: the store-independent half (validation, sealing rows into the chain, verify)
// and the factory that opens the configured store.
#include "terminal/log/confirmation_log.h"

#include <array>

#include "terminal/log/postgres_log.h"
#include "terminal/log/sqlite_log.h"

namespace uketsuke::terminal {

namespace {

constexpr std::array<std::pair<PublicationState, std::string_view>, 4> kPublicationStates{{
    {PublicationState::kPending, "pending"},
    {PublicationState::kPublished, "published"},
    {PublicationState::kFileLost, "file-lost"},
    {PublicationState::kFileWithoutRow, "file-without-row"},
}};

bool isPlainName(std::string_view s) {
    if (s.size() > 255 || s == "." || s == "..")
        return false;
    for (char c : s) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

LogStatus validatePublication(const Publication& p) {
    ConfirmationRecord probe;
    probe.sessionId = p.sessionId;
    probe.terminalId = p.terminalId;
    if (auto s = validateRecord(probe); !s)
        return s;
    if (!isPlainName(p.stagedName) || !isPlainName(p.fileName) || p.note.size() > 200 ||
        !isPlainName(p.note)) {
        return logFail(LogErrorCode::kInvalidRecord,
                       "publication: file names and note must be plain names");
    }
    return Unit{};
}

}  // namespace

std::string_view toString(PublicationState state) {
    for (const auto& [s, name] : kPublicationStates) {
        if (s == state)
            return name;
    }
    return "pending";
}

std::optional<PublicationState> publicationStateFromString(std::string_view text) {
    for (const auto& [s, name] : kPublicationStates) {
        if (name == text)
            return s;
    }
    return std::nullopt;
}

LogResult<AppendResult> ConfirmationLog::append(const ConfirmationRecord& record,
                                                const std::optional<Publication>& publication) {
    if (auto valid = validateRecord(record); !valid)
        return valid.failure();
    std::optional<Publication> entry = publication;
    if (entry) {
        entry->sessionId = record.sessionId;
        entry->terminalId = record.terminalId;
        entry->updatedAt = formatTimestamp(nowUtc());
        if (auto valid = validatePublication(*entry); !valid)
            return valid.failure();
    }
    std::lock_guard lock(mutex_);
    // The hash depends on the head, which only the store can read under its lock: the store calls
    // back into `seal` once it holds the lock.
    return appendLocked(
        toRow(record),
        [this](LogRow& row, const ChainHead& head) {
            row.sequence = head.sequence + 1;
            row.prevHash = head.hash;
            row.rowHash = hasher_.rowHash(row.prevHash, row);
        },
        entry);
}

LogStatus ConfirmationLog::recordPublication(const Publication& publication) {
    Publication entry = publication;
    entry.updatedAt = formatTimestamp(nowUtc());
    if (auto valid = validatePublication(entry); !valid)
        return valid;
    std::lock_guard lock(mutex_);
    return upsertPublication(entry);
}

LogResult<std::vector<Publication>> ConfirmationLog::publications(
    const std::optional<std::string>& terminalId) {
    std::lock_guard lock(mutex_);
    return readPublications(terminalId);
}

LogResult<ChainMeta> ConfirmationLog::meta() {
    std::lock_guard lock(mutex_);
    ChainMeta meta;
    if (auto s = scanChain(meta, [](const LogRow&) { return false; }); !s)
        return s.failure();
    return meta;
}

LogResult<std::vector<LogRow>> ConfirmationLog::query(const LogQuery& q) {
    std::lock_guard lock(mutex_);
    return queryRows(q);
}

LogResult<VerifyReport> ConfirmationLog::verify(const std::optional<ChainHead>& anchor) {
    std::lock_guard lock(mutex_);
    ChainVerifier verifier(hasher_, anchor);
    ChainMeta meta;
    if (auto s = scanChain(meta, [&](const LogRow& row) { return verifier.feed(row); }); !s)
        return s.failure();
    const auto& storedMode = meta.mode;
    const auto& head = meta.head;
    if (storedMode && *storedMode != hasher_.mode()) {
        return logFail(LogErrorCode::kChainKey,
                       "the log was written in " + std::string(toString(*storedMode)) +
                           " mode but this terminal is configured for " +
                           std::string(toString(hasher_.mode())) + " (check log.chain_key_file)");
    }
    verifier.finish(head);
    VerifyReport report = verifier.report();
    report.logId = meta.logId;
    return report;
}

LogResult<std::unique_ptr<ConfirmationLog>> openConfirmationLog(const LogConfig& config,
                                                                OpenMode mode) {
    ChainHasher hasher;
    if (!config.chainKeyFile.empty()) {
        auto key = loadChainKey(config.chainKeyFile);
        if (!key)
            return key.failure();
        hasher = ChainHasher(std::move(key).takeValue());
    }
    if (config.backend == LogBackend::kPostgresql) {
        auto store = PostgresConfirmationLog::open(config.connection, std::move(hasher),
                                                   config.busyTimeoutMs, mode);
        if (!store)
            return store.failure();
        return std::unique_ptr<ConfirmationLog>(std::move(store).takeValue());
    }
    auto store =
        SqliteConfirmationLog::open(config.path, std::move(hasher), config.busyTimeoutMs, mode);
    if (!store)
        return store.failure();
    return std::unique_ptr<ConfirmationLog>(std::move(store).takeValue());
}

}  // namespace uketsuke::terminal
