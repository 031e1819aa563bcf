// bench_log_concurrency: the acceptance check "8 concurrent terminals against one PostgreSQL log
// for 2 minutes: no lost or duplicated rows, and the chain verifies" (issue 4), as a benchmark.
//
// Forks N writer processes (default 8), each with its own connection, appending confirmation
// records as fast as it can for T seconds (default 120). A failed append is retried with the same
// record until it is acknowledged, as a terminal would. Then the parent checks that the log holds
// exactly the acknowledged sessions (none lost, none twice), that sequence numbers run 1..rows,
// and that the chain verifies; it prints throughput and append latency percentiles.
//
// PostgreSQL runs use a fresh schema (dropped afterwards unless --keep), so the benchmark can
// share the test server of scripts/postgres.sh: start it with `scripts/postgres.sh start BUILD`.
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "terminal/log/confirmation_log.h"
#include "terminal/log/postgres_log.h"
#include "terminal/log/sqlite_log.h"

namespace {

using namespace uketsuke::terminal;
using Clock = std::chrono::steady_clock;

struct Options {
    int writers = 8;
    int seconds = 120;
    std::string backend = "postgresql";
    std::string connection;
    std::string path;
    std::string keyFile;
    bool keep = false;
};

ConfirmationRecord makeRecord(std::mt19937& rng, int writer) {
    static const IdentityMethod kMethods[] = {IdentityMethod::kFace,  IdentityMethod::kFace,
                                              IdentityMethod::kFace,  IdentityMethod::kPin,
                                              IdentityMethod::kStaff, IdentityMethod::kNone};
    ConfirmationRecord r;
    r.sessionId = newSessionId().value();
    r.terminalId = "bench-" + std::to_string(writer);
    r.startedAt = nowUtc();
    r.endedAt = r.startedAt + std::chrono::milliseconds(800 + rng() % 4000);
    r.cardClass = "mynumber";
    r.identityMethod = kMethods[rng() % 6];
    switch (r.identityMethod) {
        case IdentityMethod::kFace:
            r.attempts.face = 1 + static_cast<int>(rng() % 2);
            r.matchDistance = static_cast<double>(rng() % 600) / 1000.0;
            break;
        case IdentityMethod::kPin:
            r.attempts.face = 3;
            r.attempts.pin = 1;
            break;
        case IdentityMethod::kStaff:
            r.attempts.staff = 1;
            r.staffId = "staff-" + std::to_string(rng() % 10);
            break;
        case IdentityMethod::kNone:
            break;
    }
    r.outcome = r.identityMethod == IdentityMethod::kNone ? SessionOutcome::kAborted
                                                          : SessionOutcome::kConfirmed;
    r.resultCode = r.outcome == SessionOutcome::kConfirmed ? "1" : "";
    r.failureReason = r.outcome == SessionOutcome::kConfirmed ? "" : "card-removed";
    r.consent = {
        {"version", "2025-02"},
        {"items",
         {{{"id", "comprehensive"}, {"agreed", true}, {"at", formatTimestamp(r.startedAt)}}}}};
    r.phaseMs = {{"card_read", 400}, {"identity", 900}, {"qualification", 250}};
    return r;
}

LogResult<std::unique_ptr<ConfirmationLog>> openStore(const Options& o, const std::string& conn) {
    ChainHasher hasher;
    if (!o.keyFile.empty()) {
        auto key = loadChainKey(o.keyFile);
        if (!key)
            return key.failure();
        hasher = ChainHasher(std::move(key).takeValue());
    }
    if (o.backend == "postgresql") {
        auto log = PostgresConfirmationLog::open(conn, std::move(hasher), 60000);
        if (!log)
            return log.failure();
        return std::unique_ptr<ConfirmationLog>(std::move(log).takeValue());
    }
    auto log = SqliteConfirmationLog::open(o.path, std::move(hasher), 60000);
    if (!log)
        return log.failure();
    return std::unique_ptr<ConfirmationLog>(std::move(log).takeValue());
}

// One writer process: appends until the deadline, writes "<session id> <latency us>" per
// acknowledged append (and "retries <n>") to `out`.
int runWriter(const Options& o, const std::string& conn, int writer, Clock::time_point deadline,
              const std::filesystem::path& out) {
    auto log = openStore(o, conn);
    if (!log) {
        std::cerr << "writer " << writer << ": " << log.error().toString() << "\n";
        return 1;
    }
    std::mt19937 rng(static_cast<unsigned>(writer * 7919 + ::getpid()));
    std::ofstream file(out);
    long retries = 0;
    while (Clock::now() < deadline) {
        const auto record = makeRecord(rng, writer);
        const auto t0 = Clock::now();
        for (int attempt = 0;; ++attempt) {
            auto r = log.value()->append(record);
            if (r)
                break;
            ++retries;
            if (attempt > 50) {
                std::cerr << "writer " << writer << ": giving up: " << r.error().toString() << "\n";
                return 1;
            }
        }
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        file << record.sessionId << ' ' << us << '\n';
    }
    file << "retries " << retries << '\n';
    return file ? 0 : 1;
}

bool pgCommand(const std::string& conn, const std::string& sql) {
    PGconn* c = PQconnectdb(conn.c_str());
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult* r = PQexec(c, ("SET client_min_messages = warning; " + sql).c_str());
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            std::cerr << "bench: " << PQresultErrorMessage(r);
        PQclear(r);
    } else {
        std::cerr << "bench: cannot connect: " << PQerrorMessage(c);
    }
    PQfinish(c);
    return ok;
}

double percentile(std::vector<long>& v, double p) {
    if (v.empty())
        return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<double>(v[k]) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"concurrent writers against one confirmation log"};
    app.add_option("-n,--writers", o.writers, "writer processes")->check(CLI::Range(1, 64));
    app.add_option("-t,--seconds", o.seconds, "how long the writers append")
        ->check(CLI::Range(1, 3600));
    app.add_option("--backend", o.backend, "postgresql or sqlite")
        ->check(CLI::IsMember({"postgresql", "sqlite"}));
    app.add_option("--connection", o.connection,
                   "libpq connection string (default: $UKETSUKE_PG, else the scripts/postgres.sh "
                   "server of this build)");
    app.add_option("--path", o.path, "SQLite file (backend sqlite; default: a temp file)");
    app.add_option("--key", o.keyFile, "chain key file (hex) for an HMAC chain");
    app.add_flag("--keep", o.keep, "keep the benchmark schema or file afterwards");
    CLI11_PARSE(app, argc, argv);

    const std::string tag = "bench_" + std::to_string(::getpid());
    std::string base = o.connection;
    if (base.empty()) {
        const char* env = std::getenv("UKETSUKE_PG");
        base = env && *env ? env
                           : std::string("host=") + UKETSUKE_BUILD_DIR +
                                 "/run/pgsock port=55432 dbname=uketsuke_test user=postgres";
    }
    std::string conn = base;
    const bool ownFile = o.backend == "sqlite" && o.path.empty();
    if (o.backend == "postgresql") {
        if (!pgCommand(base, "CREATE SCHEMA " + tag))
            return 2;
        conn = base + " options='-c search_path=" + tag + "'";
    } else if (o.path.empty()) {
        o.path = (std::filesystem::temp_directory_path() / (tag + ".sqlite3")).string();
    }
    const auto workDir = std::filesystem::temp_directory_path() / tag;
    std::filesystem::create_directories(workDir);

    // Create the tables once before the writers start, so that their first appends race only
    // for the append lock.
    {
        auto log = openStore(o, conn);
        if (!log) {
            std::cerr << "bench: " << log.error().toString() << "\n";
            return 2;
        }
    }
    std::cout << "bench_log_concurrency: " << o.writers << " writer processes, " << o.seconds
              << " s, backend " << o.backend << (o.keyFile.empty() ? ", sha256" : ", hmac-sha256")
              << " chain" << std::endl;

    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(o.seconds);
    std::vector<pid_t> children;
    for (int w = 0; w < o.writers; ++w) {
        const pid_t pid = fork();
        if (pid < 0) {
            std::perror("fork");
            return 2;
        }
        if (pid == 0) {
            _exit(runWriter(o, conn, w, deadline, workDir / ("writer-" + std::to_string(w))));
        }
        children.push_back(pid);
    }
    int failedWriters = 0;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ++failedWriters;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    std::vector<long> latencies;
    std::set<std::string> acknowledged;
    long duplicatesAcknowledged = 0, retries = 0;
    for (int w = 0; w < o.writers; ++w) {
        std::ifstream in(workDir / ("writer-" + std::to_string(w)));
        std::string id;
        long value = 0;
        while (in >> id >> value) {
            if (id == "retries") {
                retries += value;
                continue;
            }
            if (!acknowledged.insert(id).second)
                ++duplicatesAcknowledged;
            latencies.push_back(value);
        }
    }
    std::filesystem::remove_all(workDir);

    auto log = openStore(o, conn);
    if (!log) {
        std::cerr << "bench: " << log.error().toString() << "\n";
        return 2;
    }
    auto rows = log.value()->query({});
    if (!rows) {
        std::cerr << "bench: " << rows.error().toString() << "\n";
        return 2;
    }
    std::set<std::string> stored;
    long duplicateRows = 0, sequenceErrors = 0;
    for (std::size_t i = 0; i < rows.value().size(); ++i) {
        const auto& r = rows.value()[i];
        if (!stored.insert(r.sessionId).second)
            ++duplicateRows;
        if (r.sequence != static_cast<std::int64_t>(i + 1))
            ++sequenceErrors;
    }
    const auto verifyStart = Clock::now();
    auto report = log.value()->verify();
    const double verifySeconds = std::chrono::duration<double>(Clock::now() - verifyStart).count();
    const bool chainOk = report && report.value().ok();
    const long lost =
        static_cast<long>(std::count_if(acknowledged.begin(), acknowledged.end(),
                                        [&](const std::string& id) { return !stored.count(id); }));
    const long unexpected =
        static_cast<long>(stored.size()) - (static_cast<long>(acknowledged.size()) - lost);

    const std::size_t total = latencies.size();
    std::printf("rows acknowledged   %zu (%ld retried appends)\n", total, retries);
    std::printf("rows in the log     %zu\n", rows.value().size());
    std::printf("lost / unexpected   %ld / %ld\n", lost, unexpected);
    std::printf("duplicate rows      %ld (acknowledged twice: %ld)\n", duplicateRows,
                duplicatesAcknowledged);
    std::printf("sequence gaps       %ld\n", sequenceErrors);
    std::printf("chain verifies      %s (%.2f s for %zu rows)\n",
                chainOk ? "yes" : (report ? "NO" : report.error().toString().c_str()),
                verifySeconds, rows.value().size());
    if (report && !report.value().ok()) {
        std::printf("  first break at row %lld: %s\n",
                    static_cast<long long>(report.value().firstBreak->sequence),
                    report.value().firstBreak->detail.c_str());
    }
    std::printf("throughput          %.1f appends/s over %.1f s\n",
                static_cast<double>(total) / elapsed, elapsed);
    std::printf("append latency ms   p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
                percentile(latencies, 0.50), percentile(latencies, 0.95),
                percentile(latencies, 0.99), percentile(latencies, 1.0));
    if (failedWriters)
        std::printf("writer processes failed: %d\n", failedWriters);

    if (!o.keep) {
        log.value().reset();
        if (o.backend == "postgresql") {
            pgCommand(base, "DROP SCHEMA " + tag + " CASCADE");
        } else if (ownFile) {
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(o.path + suffix);
        }
    }
    const bool pass = failedWriters == 0 && lost == 0 && unexpected == 0 && duplicateRows == 0 &&
                      duplicatesAcknowledged == 0 && sequenceErrors == 0 && chainOk &&
                      rows.value().size() == total;
    std::printf("result              %s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
