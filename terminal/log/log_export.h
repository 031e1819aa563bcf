// Export of confirmation-log rows for clinics and auditors (`uketsuke log export`):
//  - CSV per RFC 4180: a header line, CRLF line ends, fields quoted when they contain a comma, a
//    quote, CR or LF (quotes doubled), UTF-8 without BOM. NULL is an empty field.
//  - JSON: {"format": "uketsuke-confirmation-log", "version": 1, "chain_mode": "...",
//    "rows": [{...}]} with the JSON columns (attempts, consent, phase_ms) as nested objects.
// Both carry every stored column, hashes included, and read back to identical rows, so an export
// can be re-imported or re-hashed by an auditor.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "terminal/log/log_chain.h"

namespace uketsuke::terminal {

void writeCsv(std::ostream& out, const std::vector<LogRow>& rows);
LogResult<std::vector<LogRow>> readCsv(std::istream& in);

// kCorruptRow when a stored JSON column no longer parses (a row edited in the database).
LogStatus writeJson(std::ostream& out, const std::vector<LogRow>& rows, ChainMode mode);
LogResult<std::vector<LogRow>> readJson(std::istream& in);

// The manager's spreadsheet CSV (issue 17; the log review's export): opens as it should in a
// spreadsheet on a Japanese PC — UTF-8 with a BOM, CRLF, times in JST ("2025-03-01 09:15:02",
// Japan keeps no daylight time, so UTC+9 always) and flat columns: the attempts per method, one
// "consent:<item>" column per consent item seen in `rows` (1 agreed, 0 not, empty not asked) and
// one "<phase>_ms" column per phase seen. Not for re-import (writeCsv is the auditor's format).
// kCorruptRow when a stored JSON column no longer parses.
LogStatus writeSpreadsheetCsv(std::ostream& out, const std::vector<LogRow>& rows);
// "2025-03-01 18:15:02" for a log timestamp (UTC) in JST; "" when it does not parse.
std::string jstTime(std::string_view utcTimestamp);

// One CSV field, quoted when needed (exposed for tests and other CSV writers).
std::string csvField(std::string_view value);

}  // namespace uketsuke::terminal
