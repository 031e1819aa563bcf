// Store-conformance tests: chain append/verify, tamper detection, idempotent appends, privacy
// refusal, queries and concurrent writers; instantiated for SQLite (sqlite_store_test.cpp) and
// PostgreSQL (postgres_store_test.cpp).
#include "tests/unit/terminal/log/store_conformance.h"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "terminal/session/failure_reason.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

std::vector<LogRow> allRows(ConfirmationLog& log) {
    auto rows = log.query({});
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().toString());
    return rows.ok() ? rows.value() : std::vector<LogRow>{};
}

void appendN(ConfirmationLog& log, int n) {
    for (int i = 0; i < n; ++i) {
        auto r = log.append(
            makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed, minutes(10 * i)));
        ASSERT_TRUE(r.ok()) << r.error().toString();
    }
}

// Appends get sequence numbers 1..n with each row linked to the previous one, and verify passes.
TEST_P(StoreConformance, AppendsFormAVerifiedGapFreeChain) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    // Act
    std::vector<AppendResult> results;
    for (int i = 0; i < 5; ++i) {
        auto r =
            log->append(makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed, minutes(i)));
        ASSERT_TRUE(r.ok()) << r.error().toString();
        results.push_back(r.value());
    }
    auto report = log->verify();
    // Assert
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(results[i].sequence, i + 1);
        EXPECT_FALSE(results[i].alreadyPresent);
    }
    const auto rows = allRows(*log);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].prevHash, kGenesisHash);
    for (std::size_t i = 1; i < rows.size(); ++i)
        EXPECT_EQ(rows[i].prevHash, rows[i - 1].rowHash);
    ASSERT_TRUE(report.ok()) << report.error().toString();
    EXPECT_TRUE(report.value().ok());
    EXPECT_EQ(report.value().rowsChecked, 5);
    EXPECT_EQ(report.value().lastSequence, 5);
    EXPECT_EQ(report.value().lastHash, results.back().rowHash);
    EXPECT_EQ(report.value().mode, ChainMode::kSha256);
}

// A stored record reads back equal to what was appended (every field, consent JSON included).
TEST_P(StoreConformance, StoredRecordReadsBackUnchanged) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    auto record = makeRecord(IdentityMethod::kStaff, SessionOutcome::kRefused, hours(3), 4321);
    record.failureReason = "目視で本人と確認できず, \"再来院\"";
    // Act
    ASSERT_TRUE(log->append(record).ok());
    const auto rows = allRows(*log);
    // Assert
    ASSERT_EQ(rows.size(), 1u);
    auto decoded = fromRow(rows[0]);
    ASSERT_TRUE(decoded.ok()) << decoded.error().toString();
    EXPECT_EQ(decoded.value(), record);
}

// An HMAC-keyed log verifies with the key; without the key the store refuses to verify or append.
TEST_P(StoreConformance, KeyedChainNeedsTheKey) {
    // Arrange
    auto keyed = openStore(true);
    ASSERT_NE(keyed, nullptr);
    appendN(*keyed, 3);
    auto unkeyed = openStore(false);
    ASSERT_NE(unkeyed, nullptr);
    // Act
    auto withKey = keyed->verify();
    auto withoutKey = unkeyed->verify();
    auto appendWithoutKey = unkeyed->append(makeRecord());
    // Assert
    ASSERT_TRUE(withKey.ok());
    EXPECT_TRUE(withKey.value().ok());
    EXPECT_EQ(withKey.value().mode, ChainMode::kHmacSha256);
    ASSERT_FALSE(withoutKey.ok());
    EXPECT_EQ(withoutKey.error().code, LogErrorCode::kChainKey);
    ASSERT_FALSE(appendWithoutKey.ok());
    EXPECT_EQ(appendWithoutKey.error().code, LogErrorCode::kChainKey);
    EXPECT_EQ(allRows(*keyed).size(), 3u);
}

// Editing one column of one row with raw SQL makes verify fail at exactly that row.
TEST_P(StoreConformance, EditedColumnIsReportedAtItsRow) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    appendN(*log, 6);
    // Act
    harness_->execRaw("UPDATE confirmation_log SET outcome = 'refused' WHERE sequence = 4");
    auto report = log->verify();
    // Assert
    ASSERT_TRUE(report.ok()) << report.error().toString();
    ASSERT_FALSE(report.value().ok());
    EXPECT_EQ(report.value().firstBreak->sequence, 4);
    EXPECT_EQ(report.value().firstBreak->kind, BreakKind::kHashMismatch);
    EXPECT_EQ(report.value().firstBreak->sessionId, allRows(*log)[3].sessionId);
    EXPECT_EQ(report.value().rowsChecked, 3);
}

// Without a key, an editor who recomputes the edited row's hash is caught at the next row's link;
// with a key, a SHA-256 recomputation does not even match the edited row.
TEST_P(StoreConformance, RecomputedHashIsCaughtByLinkOrKey) {
    for (bool keyed : {false, true}) {
        // Arrange
        harness_ = GetParam().make();
        auto log = openStore(keyed);
        ASSERT_NE(log, nullptr);
        appendN(*log, 5);
        harness_->execRaw("UPDATE confirmation_log SET staff_id = 'intruder' WHERE sequence = 2");
        LogRow edited = allRows(*log)[1];
        const std::string forged = ChainHasher().rowHash(edited.prevHash, edited);
        // Act
        harness_->execRaw("UPDATE confirmation_log SET row_hash = '" + forged +
                          "' WHERE sequence = 2");
        auto report = log->verify();
        // Assert
        ASSERT_TRUE(report.ok()) << report.error().toString();
        ASSERT_FALSE(report.value().ok());
        EXPECT_EQ(report.value().firstBreak->sequence, keyed ? 2 : 3) << "keyed=" << keyed;
        EXPECT_EQ(report.value().firstBreak->kind,
                  keyed ? BreakKind::kHashMismatch : BreakKind::kBrokenLink);
    }
}

// Deleting a row in the middle is reported as a sequence gap at the row after it.
TEST_P(StoreConformance, DeletedRowIsReportedAsGap) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    appendN(*log, 5);
    // Act
    harness_->execRaw("DELETE FROM confirmation_log WHERE sequence = 3");
    auto report = log->verify();
    // Assert
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report.value().ok());
    EXPECT_EQ(report.value().firstBreak->sequence, 4);
    EXPECT_EQ(report.value().firstBreak->kind, BreakKind::kSequenceGap);
}

// Deleting the newest row leaves the chain head pointing past the end: reported.
TEST_P(StoreConformance, DeletedNewestRowIsReportedByTheHead) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    appendN(*log, 4);
    // Act
    harness_->execRaw("DELETE FROM confirmation_log WHERE sequence = 4");
    auto report = log->verify();
    // Assert
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report.value().ok());
    EXPECT_EQ(report.value().firstBreak->kind, BreakKind::kHeadMismatch);
    EXPECT_EQ(report.value().firstBreak->sequence, 4);
    EXPECT_EQ(report.value().rowsChecked, 3);
}

// Appending the same session again (a retry, possibly from another connection) writes nothing
// and returns the original row.
TEST_P(StoreConformance, RetriedAppendIsIdempotent) {
    // Arrange
    auto first = openStore();
    auto second = openStore();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    const auto record = makeRecord();
    auto original = first->append(record);
    ASSERT_TRUE(original.ok());
    // Act
    auto again = first->append(record);
    auto fromOther = second->append(record);
    auto next = second->append(makeRecord());
    // Assert
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(fromOther.ok());
    EXPECT_TRUE(again.value().alreadyPresent);
    EXPECT_TRUE(fromOther.value().alreadyPresent);
    EXPECT_EQ(again.value().sequence, original.value().sequence);
    EXPECT_EQ(fromOther.value().rowHash, original.value().rowHash);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next.value().sequence, 2);
    EXPECT_EQ(allRows(*first).size(), 2u);
    EXPECT_TRUE(first->verify().value().ok());
}

// A different record under an already logged session id is refused, and nothing is written.
TEST_P(StoreConformance, ConflictingSessionIdIsRefused) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    auto record = makeRecord();
    ASSERT_TRUE(log->append(record).ok());
    record.outcome = SessionOutcome::kError;
    record.failureReason = "service-down";
    // Act
    auto result = log->append(record);
    // Assert
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, LogErrorCode::kDuplicateSession);
    EXPECT_EQ(allRows(*log).size(), 1u);
}

// A record whose failure reason carries a My Number-like value is refused before any write.
TEST_P(StoreConformance, PrivacyViolationIsNeverStored) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    auto record = makeRecord(IdentityMethod::kPin, SessionOutcome::kError);
    record.failureReason = "card number 1234 5678 9012 rejected";
    // Act
    auto result = log->append(record);
    // Assert
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, LogErrorCode::kPrivacyViolation);
    EXPECT_EQ(result.error().toString().find("1234"), std::string::npos);
    EXPECT_TRUE(allRows(*log).empty());
}

// Queries filter by date range, method, outcome, session id and terminal, and page by sequence.
TEST_P(StoreConformance, QueryFiltersAndPages) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    std::vector<ConfirmationRecord> records{
        makeRecord(IdentityMethod::kFace, SessionOutcome::kConfirmed, hours(1)),
        makeRecord(IdentityMethod::kPin, SessionOutcome::kConfirmed, hours(2)),
        makeRecord(IdentityMethod::kStaff, SessionOutcome::kRefused, hours(3)),
        makeRecord(IdentityMethod::kFace, SessionOutcome::kAborted, hours(25)),
        makeRecord(IdentityMethod::kNone, SessionOutcome::kError, hours(26)),
    };
    records[4].terminalId = "reception-2";
    for (const auto& r : records)
        ASSERT_TRUE(log->append(r).ok());
    auto count = [&](const LogQuery& q) {
        auto rows = log->query(q);
        EXPECT_TRUE(rows.ok());
        return rows.ok() ? rows.value().size() : 0u;
    };
    // Act
    LogQuery firstDay;
    firstDay.from = day0();
    firstDay.to = day0() + hours(24);
    LogQuery face;
    face.method = IdentityMethod::kFace;
    LogQuery confirmedFirstDay = firstDay;
    confirmedFirstDay.outcome = SessionOutcome::kConfirmed;
    LogQuery bySession;
    bySession.sessionId = records[3].sessionId;
    LogQuery byTerminal;
    byTerminal.terminalId = "reception-2";
    LogQuery page;
    page.afterSequence = 2;
    page.limit = 2;
    // Assert
    EXPECT_EQ(count(firstDay), 3u);
    EXPECT_EQ(count(face), 2u);
    EXPECT_EQ(count(confirmedFirstDay), 2u);
    EXPECT_EQ(count(bySession), 1u);
    EXPECT_EQ(count(byTerminal), 1u);
    auto paged = log->query(page);
    ASSERT_TRUE(paged.ok());
    ASSERT_EQ(paged.value().size(), 2u);
    EXPECT_EQ(paged.value()[0].sequence, 3);
    EXPECT_EQ(paged.value()[1].sequence, 4);
    EXPECT_EQ(log->query(bySession).value()[0].sessionId, records[3].sessionId);
}

// Eight writers, each with its own connection, append concurrently for a few seconds: every
// acknowledged row is there exactly once, sequence numbers have no gaps, and the chain verifies.
TEST_P(StoreConformance, ConcurrentWritersNeverForkTheChain) {
    // Arrange
    constexpr int kWriters = 8;
    const auto duration = std::chrono::seconds(3);
    std::vector<std::unique_ptr<ConfirmationLog>> stores;
    for (int i = 0; i < kWriters; ++i) {
        stores.push_back(openStore());
        ASSERT_NE(stores.back(), nullptr);
    }
    std::atomic<int> failures{0};
    std::vector<std::vector<std::string>> acknowledged(kWriters);
    // Act
    const auto deadline = std::chrono::steady_clock::now() + duration;
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            while (std::chrono::steady_clock::now() < deadline) {
                auto record = makeRecord();
                record.terminalId = "reception-" + std::to_string(w);
                auto r = stores[w]->append(record);
                if (r.ok()) {
                    acknowledged[w].push_back(record.sessionId);
                } else {
                    ++failures;
                }
            }
        });
    }
    for (auto& t : threads)
        t.join();
    // Assert
    std::set<std::string> expected;
    std::size_t total = 0;
    for (const auto& ids : acknowledged) {
        total += ids.size();
        expected.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(expected.size(), total);
    EXPECT_GT(total, static_cast<std::size_t>(kWriters));
    const auto rows = allRows(*stores[0]);
    ASSERT_EQ(rows.size(), total);
    std::set<std::string> stored;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].sequence, static_cast<std::int64_t>(i + 1));
        stored.insert(rows[i].sessionId);
    }
    EXPECT_EQ(stored, expected);
    auto report = stores[0]->verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report.value().ok());
    EXPECT_EQ(report.value().rowsChecked, static_cast<std::int64_t>(total));
    std::printf("[          ] %s: %zu rows from %d concurrent writers in %llds\n",
                GetParam().name.c_str(), total, kWriters, static_cast<long long>(duration.count()));
}

// Issue 15: rows written before the failure-reason table used other spellings (bare card and
// service codes, snake_case refusals, "face-no_face"). They stay as stored, the chain still
// verifies, and reading them gives today's reason.
TEST_P(StoreConformance, OldFailureReasonSpellingsReadBackAsTodaysReasons) {
    // Arrange
    auto log = openStore();
    ASSERT_NE(log, nullptr);
    struct Old {
        SessionOutcome outcome;
        const char* stored;
        const char* today;
    };
    const Old olds[] = {
        {SessionOutcome::kRefused, "certificate_revoked",
         "qualification-refused:certificate-revoked"},
        {SessionOutcome::kRefused, "refused", "qualification-refused"},
        {SessionOutcome::kRefused, "face-no_face", "face-failed:no-face"},
        {SessionOutcome::kRefused, "pin-transport", "pin-failed:transport"},
        {SessionOutcome::kRefused, "not-a-my-number-card", "card-refused:not-a-my-number-card"},
        {SessionOutcome::kRefused, "test-issuer-rejected",
         "certificate-refused:test-issuer-rejected"},
        {SessionOutcome::kRefused, "staff-rejected:face-differs", "staff-rejected:face-differs"},
        {SessionOutcome::kError, "transport", "card-unreadable:transport"},
        {SessionOutcome::kError, "unreachable", "qualification-failed:unreachable"},
        {SessionOutcome::kError, "timeout", "qualification-failed:timeout"},
        {SessionOutcome::kError, "pin-signature-security-status-not-satisfied",
         "pin-signature-failed:security-status-not-satisfied"},
        {SessionOutcome::kError, "card-presence-clone-suspected",
         "card-presence-failed:clone-suspected"},
        {SessionOutcome::kError, "reconciled:result-file-without-row",
         "reconciled:result-file-without-row"},
        {SessionOutcome::kAborted, "timeout", "timeout"},
        {SessionOutcome::kAborted, "cancel", "cancelled"},
        {SessionOutcome::kAborted, "card-removed", "card-removed"},
    };
    int i = 0;
    for (const auto& old : olds) {
        auto record = makeRecord(IdentityMethod::kPin, old.outcome, minutes(++i));
        record.failureReason = old.stored;
        auto r = log->append(record);
        ASSERT_TRUE(r.ok()) << old.stored << ": " << r.error().toString();
    }
    // Act
    auto report = log->verify();
    const auto rows = allRows(*log);
    // Assert
    ASSERT_TRUE(report.ok()) << report.error().toString();
    EXPECT_TRUE(report.value().ok());
    ASSERT_EQ(rows.size(), std::size(olds));
    for (std::size_t k = 0; k < rows.size(); ++k) {
        EXPECT_EQ(rows[k].failureReason, olds[k].stored);  // the row is not rewritten
        const auto outcome = sessionOutcomeFromName(rows[k].outcome);
        ASSERT_TRUE(outcome.has_value()) << rows[k].outcome;
        auto reason = readStoredReason(rows[k].failureReason, *outcome);
        ASSERT_TRUE(reason.ok()) << reason.error();
        EXPECT_EQ(reasonWire(reason.value()), olds[k].today) << olds[k].stored;
    }
}

}  // namespace
}  // namespace uketsuke::terminal::testing
