// `uketsuke log verify | export | stats`: the clinic's view of the confirmation log (issue 4,
// point 4). The store comes from the configuration's "log" section (terminal/log/log_config.h).
// Dates on the command line are calendar days in the machine's local time zone (TZ), because a
// clinic's day runs from local midnight to local midnight; the log itself stores UTC.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "terminal/cli/commands.h"
#include "terminal/log/confirmation_log.h"
#include "terminal/log/log_checkpoint.h"
#include "terminal/log/log_export.h"
#include "terminal/log/log_stats.h"

namespace uketsuke::cli {
namespace {

using namespace uketsuke::terminal;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::optional<LogConfig> logConfig(const ConfigProvider& config, int& exitCode) {
    const auto& raw = config().raw;
    if (!raw.contains("log")) {
        std::cerr << "uketsuke log: the configuration has no \"log\" section\n";
        exitCode = kExitUsage;
        return std::nullopt;
    }
    auto parsed = LogConfig::fromJson(raw.at("log"), config().file.parent_path());
    if (!parsed) {
        std::cerr << "uketsuke log: " << parsed.error().toString() << "\n";
        exitCode = kExitUsage;
        return std::nullopt;
    }
    return parsed.value();
}

std::optional<std::unique_ptr<ConfirmationLog>> openLog(const ConfigProvider& config, int& exitCode,
                                                        OpenMode mode = OpenMode::kReadWrite) {
    auto parsed = logConfig(config, exitCode);
    if (!parsed)
        return std::nullopt;
    auto log = openConfirmationLog(parsed.value(), mode);
    if (!log) {
        std::cerr << "uketsuke log: " << log.error().toString() << "\n";
        exitCode = log.error().code == LogErrorCode::kChainKey ? kExitUsage : kExitFailed;
        return std::nullopt;
    }
    return std::move(log).takeValue();
}

// The rows started in [from, to), or nullopt after saying why on stderr.
std::optional<std::vector<LogRow>> queryRange(ConfirmationLog& log, Timestamp from, Timestamp to,
                                              const char* command) {
    LogQuery q;
    q.from = from;
    q.to = to;
    auto rows = log.query(q);
    if (!rows) {
        std::cerr << "uketsuke log " << command << ": " << rows.error().toString() << "\n";
        return std::nullopt;
    }
    return std::move(rows).takeValue();
}

// `log verify` is strictly read-only: the store is opened without creating or migrating
// anything (a missing file, a 0-byte file or dropped tables fail), an empty log fails unless
// --allow-empty says that is expected, and --checkpoints DIR checks the chain against the signed
// checkpoint kept there (truncation, rollback, emptying, a replaced log).
int runVerify(const ConfigProvider& config, bool allowEmpty, const std::string& checkpointDir) {
    int exitCode = kExitOk;
    std::optional<Checkpoint> checkpoint;
    if (!checkpointDir.empty()) {
        auto parsed = logConfig(config, exitCode);
        if (!parsed)
            return exitCode;
        const auto keyFile =
            parsed->checkpointKeyFile.empty() ? parsed->chainKeyFile : parsed->checkpointKeyFile;
        if (keyFile.empty()) {
            std::cerr << "uketsuke log verify: --checkpoints needs log.checkpoint_key_file or "
                         "log.chain_key_file in the configuration\n";
            return kExitUsage;
        }
        auto key = loadChainKey(keyFile);
        if (!key) {
            std::cerr << "uketsuke log verify: " << key.error().toString() << "\n";
            return kExitUsage;
        }
        auto read = readCheckpoint(checkpointDir, key.value());
        if (!read) {
            std::cout << "log verify: FAILED: " << read.error().toString() << "\n";
            return kExitFailed;
        }
        checkpoint = read.value();
    }
    auto log = openLog(config, exitCode, OpenMode::kReadOnly);
    if (!log) {
        if (exitCode == kExitFailed)
            std::cout << "log verify: FAILED: the log cannot be opened read-only\n";
        return exitCode;
    }
    std::optional<ChainHead> anchor;
    if (checkpoint && checkpoint->sequence > 0)
        anchor = ChainHead{checkpoint->sequence, checkpoint->headHash};
    auto report = (*log)->verify(anchor);
    if (!report) {
        std::cerr << "uketsuke log verify: " << report.error().toString() << "\n";
        return report.error().code == LogErrorCode::kChainKey ? kExitUsage : kExitFailed;
    }
    const auto& r = report.value();
    if (checkpoint && checkpoint->logId != r.logId) {
        std::cout << "log verify: FAILED: the checkpoint belongs to log " << checkpoint->logId
                  << " but this log is " << (r.logId.empty() ? "unnamed" : r.logId)
                  << " (the log was replaced or re-created)\n";
        return kExitFailed;
    }
    if (r.ok() && r.rowsChecked == 0 && !allowEmpty) {
        std::cout << "log verify: FAILED: the log has no rows (pass --allow-empty for a new "
                     "terminal)\n";
        return kExitFailed;
    }
    if (r.ok()) {
        std::cout << "log verify: OK, " << r.rowsChecked << " rows, " << toString(r.mode)
                  << " chain, head " << r.lastSequence << " " << r.lastHash << "\n";
        if (checkpoint) {
            std::cout << "checkpoint: row " << checkpoint->sequence << " of "
                      << checkpoint->writtenAt << " is in the log\n";
        }
        if (r.mode == ChainMode::kSha256) {
            std::cout << "note: no chain key is configured; anyone who can write the database "
                         "could recompute the chain\n";
        }
        return kExitOk;
    }
    const auto& b = *r.firstBreak;
    std::cout << "log verify: FAILED at row " << b.sequence;
    if (!b.sessionId.empty())
        std::cout << " (session " << b.sessionId << ")";
    std::cout << ": " << toString(b.kind) << " - " << b.detail << "\n"
              << "rows before it verified: " << r.rowsChecked << "\n";
    return kExitFailed;
}

int runExport(const ConfigProvider& config, const std::string& fromText, const std::string& toText,
              const std::string& format, const std::string& outPath) {
    const auto fromDay = localDayRange(fromText);
    const auto toDay = localDayRange(toText);  // --to is inclusive: up to the next midnight
    if (!fromDay || !toDay) {
        std::cerr << "uketsuke log export: dates must be YYYY-MM-DD\n";
        return kExitUsage;
    }
    const Timestamp from = fromDay->from, to = toDay->to;
    if (to <= from) {
        std::cerr << "uketsuke log export: --to is before --from\n";
        return kExitUsage;
    }
    int exitCode = kExitOk;
    auto log = openLog(config, exitCode);
    if (!log)
        return exitCode;
    auto rows = queryRange(**log, from, to, "export");
    if (!rows)
        return kExitFailed;
    auto write = [&](std::ostream& out) -> LogStatus {
        if (format == "json")
            return writeJson(out, rows.value(), (*log)->chainMode());
        writeCsv(out, rows.value());
        return Unit{};
    };
    if (outPath.empty() || outPath == "-") {
        if (auto s = write(std::cout); !s) {
            std::cerr << "uketsuke log export: " << s.error().toString() << "\n";
            return kExitFailed;
        }
        return kExitOk;
    }
    // Temp file + rename: a billing or audit tool watching the folder never sees half a file.
    const std::filesystem::path target(outPath);
    const std::filesystem::path temp = target.string() + ".part";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) {
            std::cerr << "uketsuke log export: cannot write " << temp << "\n";
            return kExitFailed;
        }
        auto s = write(out);
        out.close();
        if (!s || !out) {
            std::filesystem::remove(temp);
            std::cerr << "uketsuke log export: "
                      << (s ? "cannot write " + temp.string() : s.error().toString()) << "\n";
            return kExitFailed;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, target, ec);
    if (ec) {
        std::filesystem::remove(temp);
        std::cerr << "uketsuke log export: cannot create " << target << ": " << ec.message()
                  << "\n";
        return kExitFailed;
    }
    std::cerr << "log export: " << rows.value().size() << " rows written to " << target << "\n";
    return kExitOk;
}

int runStats(const ConfigProvider& config, const std::string& dayText, bool json) {
    const auto range = localDayRange(dayText);
    if (!range) {
        std::cerr << "uketsuke log stats: --day must be YYYY-MM-DD\n";
        return kExitUsage;
    }
    int exitCode = kExitOk;
    auto log = openLog(config, exitCode);
    if (!log)
        return exitCode;
    auto rows = queryRange(**log, range->from, range->to, "stats");
    if (!rows)
        return kExitFailed;
    auto stats = computeDayStats(rows.value(), dayText);
    if (!stats) {
        std::cerr << "uketsuke log stats: " << stats.error().toString() << "\n";
        return kExitFailed;
    }
    if (json) {
        std::cout << stats.value().toJson().dump(2) << "\n";
    } else {
        std::cout << stats.value().toText();
    }
    return kExitOk;
}

}  // namespace

void registerLogCommands(CLI::App& app, const ConfigProvider& config, int& exitCode) {
    auto* log = app.add_subcommand("log", "confirmation log: verify, export, statistics");
    log->require_subcommand(1);

    struct VerifyArgs {
        bool allowEmpty = false;
        std::string checkpoints;
    };
    auto verifyArgs = std::make_shared<VerifyArgs>();
    auto* verify = log->add_subcommand(
        "verify",
        "walk the hash chain (read-only); exit 1 and name the first broken row if it fails");
    verify->add_flag("--allow-empty", verifyArgs->allowEmpty,
                     "an empty log is expected (a new terminal)");
    verify->add_option("--checkpoints", verifyArgs->checkpoints,
                       "folder of the signed checkpoint (log.checkpoint_dir) to check against");
    verify->callback([config, verifyArgs, &exitCode]() mutable {
        exitCode = runVerify(config, verifyArgs->allowEmpty, verifyArgs->checkpoints);
    });

    struct ExportArgs {
        std::string from, to, format = "csv", out;
    };
    auto exportArgs = std::make_shared<ExportArgs>();
    auto* exp = log->add_subcommand("export", "export sessions of a date range (local days)");
    exp->add_option("--from", exportArgs->from, "first day, YYYY-MM-DD (inclusive)")->required();
    exp->add_option("--to", exportArgs->to, "last day, YYYY-MM-DD (inclusive)")->required();
    exp->add_option("--format", exportArgs->format, "csv (RFC 4180) or json")
        ->check(CLI::IsMember({"csv", "json"}));
    exp->add_option("-o,--output", exportArgs->out, "output file (default: standard output)");
    exp->callback([config, exportArgs, &exitCode]() mutable {
        exitCode = runExport(config, exportArgs->from, exportArgs->to, exportArgs->format,
                             exportArgs->out);
    });

    struct StatsArgs {
        std::string day;
        bool json = false;
    };
    auto statsArgs = std::make_shared<StatsArgs>();
    auto* stats = log->add_subcommand(
        "stats", "counts by method and outcome, failure reasons, median time, 目視 rate");
    stats->add_option("--day", statsArgs->day, "the day, YYYY-MM-DD (local)")->required();
    stats->add_flag("--json", statsArgs->json, "print JSON instead of text");
    stats->callback([config, statsArgs, &exitCode]() mutable {
        exitCode = runStats(config, statsArgs->day, statsArgs->json);
    });
}

}  // namespace uketsuke::cli
