// The failure-reason table's lookups, the wire format and the reading of stored reasons, today's
// spelling and the older ones (see failure_reason.h).
#include "terminal/session/failure_reason.h"

#include <algorithm>

namespace uketsuke::terminal {
namespace {

using R = FailureReason;

constexpr std::size_t rowOf(FailureReason reason) {
    // One case per enumerator, no default: -Wswitch names an enumerator added without a row.
    switch (reason) {
        case R::kCardRemoved:
            return 0;
        case R::kCancelled:
            return 1;
        case R::kTimeout:
            return 2;
        case R::kTerminalShutdown:
            return 3;
        case R::kCardUnreadable:
            return 4;
        case R::kCertificateRefused:
            return 5;
        case R::kCardRefused:
            return 6;
        case R::kFaceFailed:
            return 7;
        case R::kPresentationAttackSuspected:
            return 8;
        case R::kPinWrong:
            return 9;
        case R::kPinLocked:
            return 10;
        case R::kPinFailed:
            return 11;
        case R::kStaffRejected:
            return 12;
        case R::kQualificationInvalid:
            return 13;
        case R::kQualificationInvalidNewQualification:
            return 14;
        case R::kQualificationNotFound:
            return 15;
        case R::kQualificationMultipleMatches:
            return 16;
        case R::kQualificationRefused:
            return 17;
        case R::kQualificationFailed:
            return 18;
        case R::kPinSignatureFailed:
            return 19;
        case R::kCardPresenceFailed:
            return 20;
        case R::kAnswerForAnotherPerson:
            return 21;
        case R::kResultFileNotWritten:
            return 22;
        case R::kLogRefused:
            return 23;
        case R::kReconciled:
            return 24;
    }
    return kFailureReasons.size();
}

constexpr bool tableValid() {
    for (std::size_t i = 0; i < kFailureReasons.size(); ++i) {
        const auto& row = kFailureReasons[i];
        if (static_cast<std::size_t>(row.code) != i || rowOf(row.code) != i)
            return false;
        if (!isKebabName(row.wire) || row.textId.empty())
            return false;
        for (std::size_t j = 0; j < i; ++j) {
            if (kFailureReasons[j].wire == row.wire)
                return false;
        }
    }
    return true;
}
static_assert(tableValid(),
              "kFailureReasons: one row per FailureReason in enum order, unique kebab-case names");

std::string kebab(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep)
            out.push_back(c);
        else if (!out.empty() && out.back() != '-')
            out.push_back('-');
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

std::optional<FailureReason> reasonFromName(std::string_view name) {
    for (const auto& row : kFailureReasons) {
        if (row.wire == name)
            return row.code;
    }
    return std::nullopt;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// What versions before the table wrote (frozen lists: they describe old rows, not today's code).
// The qualification service's refusal codes, stored bare in snake_case.
constexpr std::string_view kLegacyRefusals[] = {"certificate_revoked",
                                                "certificate_suspended",
                                                "certificate_expired",
                                                "certificate_untrusted",
                                                "certificate_not_yet_valid",
                                                "bad_proof",
                                                "challenge_unknown",
                                                "challenge_expired",
                                                "too_many_challenges",
                                                "bad_request",
                                                "other"};
// The qualification client's error names, stored bare. "timeout", "malformed-response",
// "configuration" and "invalid-input" were card error names too: an error row with one of them is
// read as the service's (the card's own failures at that point were mostly transport errors).
constexpr std::string_view kLegacyQualificationErrors[] = {
    "unreachable",        "timeout",       "tls",    "connection-lost", "server-error",
    "malformed-response", "configuration", "crypto", "invalid-input"};
// The admission refusals (identity_policy.cpp admissionRefusalName), stored bare.
constexpr std::string_view kLegacyAdmissionRefusals[] = {
    "not-a-my-number-card", "smartphone-token", "certificate-expired", "certificate-not-yet-valid"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view s) {
    return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// A code as old versions wrote it after a prefix: [a-z0-9_-], at least one character.
bool oldCode(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::optional<SessionReason> legacyReason(std::string_view s, SessionOutcome outcome) {
    if (s == "cancel")  // the event name, written when no reason had been set
        return SessionReason(R::kCancelled);
    if (s == "reconciled:result-file-without-row")
        return SessionReason(R::kReconciled, "result-file-without-row");
    if (startsWith(s, "pin-signature-") && oldCode(s.substr(14)))
        return SessionReason(R::kPinSignatureFailed, s.substr(14));
    if (startsWith(s, "card-presence-") && oldCode(s.substr(14)))
        return SessionReason(R::kCardPresenceFailed, s.substr(14));
    if (startsWith(s, "face-") &&
        oldCode(s.substr(5)))  // "face-" + the face verdict, snake_case ("face-no_face")
        return SessionReason(R::kFaceFailed, s.substr(5));
    if (startsWith(s, "pin-") && oldCode(s.substr(4)))  // "pin-" + a card error
        return SessionReason(R::kPinFailed, s.substr(4));
    if (s == "refused")  // the service refused without a reason code
        return SessionReason(R::kQualificationRefused);
    if (listed(kLegacyRefusals, s))
        return SessionReason(R::kQualificationRefused, s);
    if (listed(kLegacyAdmissionRefusals, s))
        return SessionReason(R::kCardRefused, s);
    if (outcome == SessionOutcome::kError && listed(kLegacyQualificationErrors, s))
        return SessionReason(R::kQualificationFailed, s);
    // Any other bare code was a card error: of the certificate check when the session was
    // refused, of the card read when it failed.
    if (isKebabName(s) && outcome == SessionOutcome::kRefused)
        return SessionReason(R::kCertificateRefused, s);
    if (isKebabName(s) && outcome == SessionOutcome::kError)
        return SessionReason(R::kCardUnreadable, s);
    return std::nullopt;
}

}  // namespace

const FailureReasonInfo& failureReasonInfo(FailureReason reason) {
    return kFailureReasons.at(rowOf(reason));
}

SessionReason::SessionReason(FailureReason c, std::string_view d) : code(c) {
    if (failureReasonInfo(c).detail != ReasonDetail::kNone)
        detail = kebab(d);
}

std::string SessionReason::wire() const {
    std::string out(failureReasonName(code));
    if (!detail.empty()) {
        out += ':';
        out += detail;
    }
    return out;
}

std::string reasonWire(const std::optional<SessionReason>& reason) {
    return reason ? reason->wire() : std::string();
}

Result<SessionReason, std::string> parseSessionReason(std::string_view wire) {
    const auto colon = wire.find(':');
    const std::string_view name = wire.substr(0, colon);
    const std::string_view detail =
        colon == std::string_view::npos ? std::string_view() : wire.substr(colon + 1);
    const auto code = reasonFromName(name);
    if (!code)
        return fail("unknown failure reason \"" + std::string(name) + "\"");
    const auto& info = failureReasonInfo(*code);
    if (colon != std::string_view::npos && !isKebabName(detail))
        return fail("failure reason \"" + std::string(name) + "\": the detail is not kebab-case");
    if (info.detail == ReasonDetail::kNone && colon != std::string_view::npos)
        return fail("failure reason \"" + std::string(name) + "\" takes no detail");
    if (info.detail == ReasonDetail::kRequired && detail.empty())
        return fail("failure reason \"" + std::string(name) + "\" needs a detail");
    SessionReason reason;
    reason.code = *code;
    reason.detail = std::string(detail);
    return reason;
}

Result<std::optional<SessionReason>, std::string> readStoredReason(std::string_view stored,
                                                                   SessionOutcome outcome) {
    if (stored.empty())
        return std::optional<SessionReason>{};
    // Today "timeout" is the patient's; an error row saying "timeout" is an old service timeout.
    const bool oldServiceTimeout = stored == "timeout" && outcome == SessionOutcome::kError;
    if (!oldServiceTimeout) {
        if (auto today = parseSessionReason(stored))
            return std::optional<SessionReason>(std::move(today).takeValue());
    }
    if (auto old = legacyReason(stored, outcome);
        old &&
        (!old->detail.empty() || failureReasonInfo(old->code).detail != ReasonDetail::kRequired))
        return std::optional<SessionReason>(std::move(*old));
    return fail("unknown failure reason \"" + std::string(stored) + "\" (outcome " +
                std::string(sessionOutcomeName(outcome)) + ")");
}

}  // namespace uketsuke::terminal
