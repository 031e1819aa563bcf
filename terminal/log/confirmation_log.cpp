// ConfirmationLog: the store-independent half (validation, sealing rows into the chain, verify)
// and the factory that opens the configured store.
#include "terminal/log/confirmation_log.h"

#include "terminal/log/postgres_log.h"
#include "terminal/log/sqlite_log.h"

namespace uketsuke::terminal {

LogResult<AppendResult> ConfirmationLog::append(const ConfirmationRecord& record) {
    if (auto valid = validateRecord(record); !valid)
        return valid.failure();
    std::lock_guard lock(mutex_);
    // The hash depends on the head, which only the store can read under its lock: the store calls
    // back into `seal` once it holds the lock.
    return appendLocked(toRow(record), [this](LogRow& row, const ChainHead& head) {
        row.sequence = head.sequence + 1;
        row.prevHash = head.hash;
        row.rowHash = hasher_.rowHash(row.prevHash, row);
    });
}

LogResult<std::vector<LogRow>> ConfirmationLog::query(const LogQuery& q) {
    std::lock_guard lock(mutex_);
    return queryRows(q);
}

LogResult<VerifyReport> ConfirmationLog::verify() {
    std::lock_guard lock(mutex_);
    ChainVerifier verifier(hasher_);
    std::optional<ChainMode> storedMode;
    ChainHead head;
    if (auto s = scanChain(storedMode, head, [&](const LogRow& row) { return verifier.feed(row); });
        !s) {
        return s.failure();
    }
    if (storedMode && *storedMode != hasher_.mode()) {
        return logFail(LogErrorCode::kChainKey,
                       "the log was written in " + std::string(toString(*storedMode)) +
                           " mode but this terminal is configured for " +
                           std::string(toString(hasher_.mode())) + " (check log.chain_key_file)");
    }
    verifier.finish(head);
    return verifier.report();
}

LogResult<std::unique_ptr<ConfirmationLog>> openConfirmationLog(const LogConfig& config) {
    ChainHasher hasher;
    if (!config.chainKeyFile.empty()) {
        auto key = loadChainKey(config.chainKeyFile);
        if (!key)
            return key.failure();
        hasher = ChainHasher(std::move(key).takeValue());
    }
    if (config.backend == LogBackend::kPostgresql) {
        auto store = PostgresConfirmationLog::open(config.connection, std::move(hasher),
                                                   config.busyTimeoutMs);
        if (!store)
            return store.failure();
        return std::unique_ptr<ConfirmationLog>(std::move(store).takeValue());
    }
    auto store = SqliteConfirmationLog::open(config.path, std::move(hasher), config.busyTimeoutMs);
    if (!store)
        return store.failure();
    return std::unique_ptr<ConfirmationLog>(std::move(store).takeValue());
}

}  // namespace uketsuke::terminal
