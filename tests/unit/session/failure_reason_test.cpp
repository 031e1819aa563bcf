// The outcome and failure-reason tables (issue 15, "typed outcomes and reasons"): one kebab-case
// wire name per enumerator, today's spelling parses back to the same value, an unknown name or a
// malformed detail is an error, and the spellings of rows written before the tables are mapped.
#include "terminal/session/failure_reason.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "terminal/session/session_outcome.h"

namespace uketsuke::terminal {
namespace {

TEST(SessionOutcomeTable, EveryOutcomeHasAUniqueKebabNameThatParsesBack) {
    std::set<std::string_view> names;
    for (const auto& row : kSessionOutcomes) {
        EXPECT_TRUE(isKebabName(row.wire)) << row.wire;
        EXPECT_FALSE(row.textId.empty()) << row.wire;
        EXPECT_TRUE(names.insert(row.wire).second) << row.wire;
        EXPECT_EQ(sessionOutcomeName(row.code), row.wire);
        EXPECT_EQ(sessionOutcomeFromName(row.wire), row.code);
    }
    // The names stored in existing logs.
    EXPECT_EQ(sessionOutcomeName(SessionOutcome::kConfirmed), "confirmed");
    EXPECT_EQ(sessionOutcomeName(SessionOutcome::kRefused), "refused");
    EXPECT_EQ(sessionOutcomeName(SessionOutcome::kAborted), "aborted");
    EXPECT_EQ(sessionOutcomeName(SessionOutcome::kError), "error");
    // No silent default: an unknown name is reported to the caller.
    EXPECT_FALSE(sessionOutcomeFromName("Confirmed").has_value());
    EXPECT_FALSE(sessionOutcomeFromName("").has_value());
}

TEST(FailureReasonTable, EveryReasonRoundTripsThroughItsWireName) {
    std::set<std::string_view> names;
    for (const auto& row : kFailureReasons) {
        EXPECT_TRUE(isKebabName(row.wire)) << row.wire;
        EXPECT_FALSE(row.textId.empty()) << row.wire;
        EXPECT_TRUE(names.insert(row.wire).second) << row.wire;
        EXPECT_EQ(&failureReasonInfo(row.code), &row);
        const SessionReason reason(row.code,
                                   row.detail == ReasonDetail::kRequired ? "some-detail" : "");
        auto parsed = parseSessionReason(reason.wire());
        ASSERT_TRUE(parsed.ok()) << reason.wire() << ": " << parsed.error();
        EXPECT_EQ(parsed.value(), reason);
    }
}

TEST(FailureReasonTable, DetailsAreKebabCaseOnTheWire) {
    EXPECT_EQ(SessionReason(FailureReason::kFaceFailed, "no_face").wire(), "face-failed:no-face");
    EXPECT_EQ(SessionReason(FailureReason::kQualificationRefused, "certificate_revoked").wire(),
              "qualification-refused:certificate-revoked");
    EXPECT_EQ(SessionReason(FailureReason::kStaffRejected, "Card Damaged").wire(),
              "staff-rejected:card-damaged");
    EXPECT_EQ(SessionReason(FailureReason::kStaffRejected).wire(), "staff-rejected");
    // A reason without a detail drops one.
    EXPECT_EQ(SessionReason(FailureReason::kTimeout, "x").wire(), "timeout");
    EXPECT_EQ(reasonWire(std::nullopt), "");
}

TEST(FailureReasonTable, MalformedOrUnknownWireNamesAreErrors) {
    for (const char* bad :
         {"", "no-such-reason", "card-removed:x", "face-failed", "face-failed:", "face-failed:No",
          "face-failed:no_face", "Timeout", "certificate_revoked", "face-no_face"}) {
        auto parsed = parseSessionReason(bad);
        EXPECT_FALSE(parsed.ok()) << bad;
    }
    auto parsed = parseSessionReason("no-such-reason");
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().find("no-such-reason"), std::string::npos) << parsed.error();
}

// What versions before the table stored, and what the same event is called today.
TEST(FailureReasonTable, OldSpellingsAreReadAsTodaysReasons) {
    using O = SessionOutcome;
    struct Case {
        O outcome;
        const char* stored;
        const char* today;
    };
    const Case cases[] = {
        {O::kRefused, "certificate_revoked", "qualification-refused:certificate-revoked"},
        {O::kRefused, "too_many_challenges", "qualification-refused:too-many-challenges"},
        {O::kRefused, "refused", "qualification-refused"},
        {O::kRefused, "face-mismatch", "face-failed:mismatch"},
        {O::kRefused, "face-liveness_failed", "face-failed:liveness-failed"},
        {O::kRefused, "pin-transport", "pin-failed:transport"},
        {O::kRefused, "pin-wrong", "pin-wrong"},
        {O::kRefused, "smartphone-token", "card-refused:smartphone-token"},
        {O::kRefused, "certificate-expired", "card-refused:certificate-expired"},
        {O::kRefused, "certificate-untrusted", "certificate-refused:certificate-untrusted"},
        {O::kRefused, "presentation-attack-suspected:challenge-too-early",
         "presentation-attack-suspected:challenge-too-early"},
        {O::kRefused, "qualification-not-found", "qualification-not-found"},
        {O::kError, "malformed-response", "qualification-failed:malformed-response"},
        {O::kError, "server-error", "qualification-failed:server-error"},
        {O::kError, "timeout", "qualification-failed:timeout"},
        {O::kError, "no-card", "card-unreadable:no-card"},
        {O::kError, "pin-signature-wrong-length", "pin-signature-failed:wrong-length"},
        {O::kError, "card-presence-security-status-not-satisfied",
         "card-presence-failed:security-status-not-satisfied"},
        {O::kError, "answer-for-another-person", "answer-for-another-person"},
        {O::kError, "log-refused", "log-refused"},
        {O::kError, "reconciled:result-file-without-row", "reconciled:result-file-without-row"},
        {O::kAborted, "timeout", "timeout"},
        {O::kAborted, "cancel", "cancelled"},
        {O::kAborted, "terminal-shutdown", "terminal-shutdown"},
    };
    for (const auto& c : cases) {
        auto reason = readStoredReason(c.stored, c.outcome);
        ASSERT_TRUE(reason.ok()) << c.stored << ": " << reason.error();
        EXPECT_EQ(reasonWire(reason.value()), c.today) << c.stored;
    }
    // Today's spelling reads as itself.
    auto today = readStoredReason("face-failed:no-face", O::kRefused);
    ASSERT_TRUE(today.ok());
    EXPECT_EQ(today.value(), SessionReason(FailureReason::kFaceFailed, "no-face"));
    // No reason stored: none.
    auto none = readStoredReason("", O::kConfirmed);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none.value().has_value());
}

TEST(FailureReasonTable, TextMatchingNoSpellingIsAnErrorNamingIt) {
    using O = SessionOutcome;
    for (const auto& [stored, outcome] :
         {std::pair{"made up reason", O::kRefused}, std::pair{"something-else", O::kAborted},
          std::pair{"pin-", O::kRefused}, std::pair{"face-failed:", O::kRefused}}) {
        auto reason = readStoredReason(stored, outcome);
        ASSERT_FALSE(reason.ok()) << stored;
        EXPECT_NE(reason.error().find("unknown failure reason"), std::string::npos)
            << reason.error();
    }
}

}  // namespace
}  // namespace uketsuke::terminal
