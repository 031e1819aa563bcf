// How a confirmation session ended (issue 15, "typed outcomes"): one enum, one table (code, wire
// name, UI text id), used by the session, the confirmation log, the result / report JSON, the CLI
// and the screens. Header-only and free of other terminal headers, so the log library
// (terminal/log/) uses it without depending on the session.
//
// Wire names are kebab-case and stable: they are stored in the confirmation log's "outcome"
// column and hashed into its chain, so a name never changes once released.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

namespace uketsuke::terminal {

// kRefused: the check or the qualification said no (wrong face, locked PIN, 無効, expired
// certificate beyond grace). kAborted: card pulled out, patient left, cancel or timeout. kError:
// the terminal or a service failed (service down, card read error).
enum class SessionOutcome { kConfirmed, kRefused, kAborted, kError };

struct SessionOutcomeInfo {
    SessionOutcome code;
    std::string_view wire;    // confirmation log, result/report JSON, CLI
    std::string_view textId;  // key of the "outcome" rows of the UI strings (qml/bridge)
};

// One row per enumerator, in enum order (checked below).
inline constexpr std::array<SessionOutcomeInfo, 4> kSessionOutcomes{{
    {SessionOutcome::kConfirmed, "confirmed", "confirmed"},
    {SessionOutcome::kRefused, "refused", "refused"},
    {SessionOutcome::kAborted, "aborted", "aborted"},
    {SessionOutcome::kError, "error", "error"},
}};

// The table row of `outcome`. One case per enumerator and no default: a new enumerator is a
// -Wswitch error here until it has a row.
constexpr const SessionOutcomeInfo& sessionOutcomeInfo(SessionOutcome outcome) {
    std::size_t row = 0;
    switch (outcome) {
        case SessionOutcome::kConfirmed:
            row = 0;
            break;
        case SessionOutcome::kRefused:
            row = 1;
            break;
        case SessionOutcome::kAborted:
            row = 2;
            break;
        case SessionOutcome::kError:
            row = 3;
            break;
    }
    return kSessionOutcomes.at(row);
}

namespace detail {
constexpr bool sessionOutcomeTableInOrder() {
    for (std::size_t i = 0; i < kSessionOutcomes.size(); ++i) {
        if (static_cast<std::size_t>(kSessionOutcomes[i].code) != i ||
            &sessionOutcomeInfo(kSessionOutcomes[i].code) != &kSessionOutcomes[i])
            return false;
        for (std::size_t j = 0; j < i; ++j) {
            if (kSessionOutcomes[i].wire == kSessionOutcomes[j].wire)
                return false;
        }
    }
    return true;
}
}  // namespace detail
static_assert(detail::sessionOutcomeTableInOrder(),
              "kSessionOutcomes: one row per SessionOutcome, in enum order, unique wire names");

constexpr std::string_view sessionOutcomeName(SessionOutcome outcome) {
    return sessionOutcomeInfo(outcome).wire;
}

// nullopt for a name that is not in the table: the caller reports it (no silent default).
constexpr std::optional<SessionOutcome> sessionOutcomeFromName(std::string_view wire) {
    for (const auto& row : kSessionOutcomes) {
        if (row.wire == wire)
            return row.code;
    }
    return std::nullopt;
}

inline std::ostream& operator<<(std::ostream& out, SessionOutcome outcome) {
    return out << sessionOutcomeName(outcome);
}

}  // namespace uketsuke::terminal
