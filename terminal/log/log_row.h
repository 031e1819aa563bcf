// LogRow: a confirmation record as the database stores it (one TEXT column per field, JSON fields
// as compact text with sorted keys), plus its place in the hash chain. The chain hashes these
// stored strings, not a re-rendering of them, so verification does not depend on how a database
// or JSON library formats values. See log_chain.h for the canonical serialisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "terminal/log/confirmation_record.h"

namespace uketsuke::terminal {

struct LogRow {
    std::int64_t sequence = 0;  // 1, 2, 3, ... without gaps
    std::string sessionId;
    std::string terminalId;
    std::string startedAt;  // formatTimestamp()
    std::string endedAt;
    std::string cardClass;
    std::string identityMethod;           // toString(IdentityMethod)
    std::string attempts;                 // {"face":n,"pin":n,"staff":n}
    std::optional<double> matchDistance;  // rounded to 1e-6 by toRow()
    std::optional<std::string> staffId;
    std::string consent;  // JSON text, "null" when absent
    std::string resultCode;
    std::string outcome;  // toString(SessionOutcome)
    std::string failureReason;
    std::string phaseMs;   // {"phase":ms,...}
    std::string prevHash;  // lower-case hex of the previous row's rowHash (genesis: 64 zeros)
    std::string rowHash;   // lower-case hex, see ChainHasher

    bool operator==(const LogRow&) const = default;
};

// The stored form of a (validated) record; sequence and hashes are left for the store to fill.
LogRow toRow(const ConfirmationRecord& record);
// Decodes a stored row; kCorruptRow when a timestamp, enum or JSON column does not parse.
LogResult<ConfirmationRecord> fromRow(const LogRow& row);
// Same session content, ignoring the chain fields: decides whether a repeated append is a retry.
bool sameContent(const LogRow& a, const LogRow& b);

// Match distances are stored rounded to 1e-6 so the stored double and its canonical text
// ("%.6f") carry the same information.
double roundDistance(double d);
std::string formatDistance(double d);

}  // namespace uketsuke::terminal
