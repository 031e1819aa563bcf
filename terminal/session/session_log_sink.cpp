#include "terminal/session/session_log_sink.h"

#include <algorithm>
#include <set>

#include "terminal/log/confirmation_log.h"
#include "terminal/log/confirmation_record.h"
#include "terminal/log/log_checkpoint.h"
#include "terminal/result_file/atomic_file.h"
#include "terminal/result_file/result_folder.h"

namespace uketsuke::terminal {
namespace {

// Name variants tried when a staged file is published at start-up (result_file_writer.h).
constexpr int kMaxNameVariants = 99;

Timestamp toTimestamp(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

bool isSessionId(const std::string& s) {
    ConfirmationRecord probe;
    probe.sessionId = s;
    probe.terminalId = "probe";
    return validateRecord(probe).ok();
}

class ConfirmationLogSink final : public LogSink {
  public:
    ConfirmationLogSink(std::unique_ptr<ConfirmationLog> log, std::string terminalId,
                        LogConfig config, SecretBytes checkpointKey)
        : log_(std::move(log)),
          terminalId_(std::move(terminalId)),
          config_(std::move(config)),
          checkpointKey_(std::move(checkpointKey)) {}

    Status<std::string> append(const SessionSummary& s) override { return store(s, std::nullopt); }

    Status<std::string> appendPending(const SessionSummary& s,
                                      const StagedResultRef& staged) override {
        Publication p;
        p.state = PublicationState::kPending;
        p.stagedName = staged.stagedName;
        p.fileName = staged.baseName;
        return store(s, p);
    }

    Status<std::string> markPublished(const std::string& sessionId, const StagedResultRef& staged,
                                      const std::string& fileName) override {
        Publication p;
        p.sessionId = sessionId;
        p.terminalId = terminalId_;
        p.state = PublicationState::kPublished;
        p.stagedName = staged.stagedName;
        p.fileName = fileName;
        if (auto s = log_->recordPublication(p); !s)
            return fail(s.error().toString());
        return Unit{};
    }

    Result<ReconcileReport, std::string> reconcile(const std::filesystem::path& res) override;

    // Writes a checkpoint of the current head (start-up, `log checkpoint`).
    Status<std::string> checkpointNow() {
        auto meta = log_->meta();
        if (!meta)
            return fail(meta.error().toString());
        return writeCheckpointOf(meta->logId, meta->head);
    }

  private:
    Status<std::string> store(const SessionSummary& s,
                              const std::optional<Publication>& publication) {
        ConfirmationRecord r;
        r.sessionId = s.sessionId;
        r.terminalId = terminalId_;
        r.startedAt = toTimestamp(s.startedAt);
        r.endedAt = std::max(toTimestamp(s.endedAt), r.startedAt);
        r.cardClass = s.cardClass;
        r.identityMethod = s.identityMethod;
        r.attempts = MethodAttempts{s.faceAttempts, s.pinAttempts, s.staffAttempts};
        r.matchDistance = s.matchDistance;
        r.staffId = s.staffId;
        r.consent = s.consent;
        r.resultCode = s.resultCode;
        r.outcome = s.outcome;
        r.failureReason = reasonWire(s.failureReason);
        r.phaseMs = s.phaseMs;
        auto appended = log_->append(r, publication);
        if (!appended)
            return fail(appended.error().toString());
        afterAppend(appended.value());
        return Unit{};
    }

    void afterAppend(const AppendResult& appended) {
        if (config_.checkpointDir.empty() || ++sinceCheckpoint_ < config_.checkpointEvery)
            return;
        sinceCheckpoint_ = 0;
        if (logId_.empty()) {
            auto meta = log_->meta();
            if (!meta)
                return;
            logId_ = meta->logId;
        }
        // A failed checkpoint does not undo the session; the next append tries again.
        (void)writeCheckpointOf(logId_, ChainHead{appended.sequence, appended.rowHash});
    }

    Status<std::string> writeCheckpointOf(const std::string& logId, const ChainHead& head) {
        if (config_.checkpointDir.empty())
            return Unit{};
        Checkpoint c;
        c.logId = logId;
        c.sequence = head.sequence;
        c.headHash = head.hash;
        c.writtenAt = formatTimestamp(nowUtc());
        c.terminalId = terminalId_;
        if (auto s = writeCheckpoint(config_.checkpointDir, c, checkpointKey_); !s)
            return fail(s.error().toString());
        return Unit{};
    }

    std::unique_ptr<ConfirmationLog> log_;
    std::string terminalId_;
    LogConfig config_;
    SecretBytes checkpointKey_;
    std::string logId_;
    int sinceCheckpoint_ = 0;
};

Result<ReconcileReport, std::string> ConfirmationLogSink::reconcile(
    const std::filesystem::path& res) {
    ReconcileReport report;
    auto journal = log_->publications();
    if (!journal)
        return fail("reconciliation: " + journal.error().toString());
    auto files = listResultFiles(res);
    auto findFile = [&](const std::string& sessionId) -> std::string {
        for (const auto& f : files) {
            if (f.arbitraryFileIdentifier == sessionId)
                return f.fileName;
        }
        return {};
    };
    auto record = [&](Publication p, PublicationState state, std::string fileName,
                      std::string note) -> Status<std::string> {
        p.state = state;
        p.fileName = std::move(fileName);
        p.note = std::move(note);
        if (auto s = log_->recordPublication(p); !s)
            return fail("reconciliation: " + s.error().toString());
        return Unit{};
    };
    // 1. Rows committed whose file was not (known to be) published: this terminal's only, another
    //    terminal sharing the log reconciles its own.
    for (const auto& p : journal.value()) {
        if (p.state != PublicationState::kPending || p.terminalId != terminalId_)
            continue;
        const auto staged = res / p.stagedName;
        std::error_code ec;
        if (!p.stagedName.empty() && std::filesystem::exists(staged, ec)) {
            auto published =
                publishStaged(res, p.stagedName, nameVariants(p.fileName, kMaxNameVariants));
            if (!published)
                return fail("reconciliation: cannot publish " + p.stagedName + ": " +
                            published.error().detail);
            if (auto s = record(p, PublicationState::kPublished, published->filename().string(),
                                "published-at-startup");
                !s)
                return s.failure();
            ++report.publishedAtStartup;
        } else if (const auto name = findFile(p.sessionId); !name.empty()) {
            if (auto s = record(p, PublicationState::kPublished, name, "marked-at-startup"); !s)
                return s.failure();
            ++report.markedPublished;
        } else {
            if (auto s = record(p, PublicationState::kFileLost, p.fileName, "file-lost"); !s)
                return s.failure();
            ++report.filesLost;
        }
    }
    // 2. Temp files of sessions that never reached the log (killed before the row's commit).
    report.staleTempsRemoved = removeStaleTemps(res);
    // 3. Result files without a row (written before this ordering existed, or the log lost the
    //    rows): a row records that the file exists and that this terminal cannot vouch for it.
    journal = log_->publications();
    if (!journal)
        return fail("reconciliation: " + journal.error().toString());
    std::set<std::string> known;
    for (const auto& p : journal.value())
        known.insert(p.sessionId);
    files = listResultFiles(res);
    for (const auto& f : files) {
        const auto& sid = f.arbitraryFileIdentifier;
        if (!isSessionId(sid))
            continue;  // not written by an Uketsuke terminal
        ++report.resultFiles;
        if (known.count(sid))
            continue;
        LogQuery q;
        q.sessionId = sid;
        auto rows = log_->query(q);
        if (!rows)
            return fail("reconciliation: " + rows.error().toString());
        Publication p;
        p.sessionId = sid;
        p.terminalId = terminalId_;
        p.fileName = f.fileName;
        if (!rows->empty()) {
            // A row from before the journal existed: adopt the file.
            if (auto s = record(p, PublicationState::kPublished, f.fileName, "adopted"); !s)
                return s.failure();
            continue;
        }
        ConfirmationRecord r;
        r.sessionId = sid;
        r.terminalId = terminalId_;
        r.startedAt = r.endedAt = nowUtc();
        r.outcome = SessionOutcome::kError;
        r.failureReason =
            SessionReason(FailureReason::kReconciled, "result-file-without-row").wire();
        p.state = PublicationState::kFileWithoutRow;
        p.note = "row-appended-at-startup";
        if (auto appended = log_->append(r, p); !appended)
            return fail("reconciliation: " + appended.error().toString());
        ++report.filesWithoutRow;
    }
    journal = log_->publications();
    if (!journal)
        return fail("reconciliation: " + journal.error().toString());
    for (const auto& p : journal.value()) {
        if (p.state == PublicationState::kPublished || p.state == PublicationState::kFileWithoutRow)
            ++report.journalPublished;
    }
    auto meta = log_->meta();
    if (!meta)
        return fail("reconciliation: " + meta.error().toString());
    report.logRows = static_cast<int>(meta->head.sequence);
    if (auto s = writeCheckpointOf(meta->logId, meta->head); !s)
        return fail("checkpoint: " + s.error());
    return report;
}

}  // namespace

Result<std::unique_ptr<LogSink>, std::string> openLogSink(const nlohmann::json& section,
                                                          const std::filesystem::path& baseDir) {
    auto config = LogConfig::fromJson(section, baseDir);
    if (!config)
        return fail("log configuration: " + config.error().toString());
    SecretBytes checkpointKey;
    if (!config->checkpointDir.empty()) {
        const auto keyFile =
            config->checkpointKeyFile.empty() ? config->chainKeyFile : config->checkpointKeyFile;
        auto key = loadChainKey(keyFile);
        if (!key)
            return fail("checkpoint key: " + key.error().toString());
        checkpointKey = std::move(key).takeValue();
        std::error_code ec;
        if (!std::filesystem::is_directory(config->checkpointDir, ec))
            return fail("log.checkpoint_dir " + config->checkpointDir.string() +
                        " is not a directory");
    }
    auto log = openConfirmationLog(config.value());
    if (!log)
        return fail("cannot open the confirmation log: " + log.error().toString());
    // A log that refuses rows must stop the terminal now, before a patient is confirmed.
    if (auto writable = log.value()->checkWritable(); !writable)
        return fail("the confirmation log refuses writes: " + writable.error().toString());
    const std::string terminalId = config->terminalId.empty() ? "terminal" : config->terminalId;
    std::unique_ptr<LogSink> sink = std::make_unique<ConfirmationLogSink>(
        std::move(log).takeValue(), terminalId, config.value(), std::move(checkpointKey));
    return sink;
}

}  // namespace uketsuke::terminal
