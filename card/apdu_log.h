// APDU logging with redaction (style.md §5; reference §2.3 on what must never be handled).
//
// Redaction happens by command in every build: VERIFY and CHANGE REFERENCE data (PINs,
// 照合番号B), signature inputs (80 2A), and READ BINARY answers while 券面AP or 入力補助AP is the
// current application (card-face data, photo). In Release builds (NDEBUG) every data field is
// stripped and only headers, lengths and status words are logged.
#pragma once

#include <cstdint>
#include <string>

#include "uketsuke/bytes.h"

namespace uketsuke::card {

enum class ApduLogDetail {
    kStripped,  // header, lengths and SW only
    kRedacted,  // data shown except what the redaction rules hide
};

#ifdef NDEBUG
inline constexpr ApduLogDetail kBuildApduLogDetail = ApduLogDetail::kStripped;
#else
inline constexpr ApduLogDetail kBuildApduLogDetail = ApduLogDetail::kRedacted;
#endif

// Which application the log believes is selected; decides response redaction.
enum class LoggedApplication { kUnknown, kJpki, kKenmen, kTextAssist, kOther };

class ApduLogger {
  public:
    explicit ApduLogger(ApduLogDetail detail = kBuildApduLogDetail) : detail_(detail) {}

    // Formats (and tracks SELECTs from) a command. Never contains secret bytes.
    std::string formatCommand(ByteView command);
    // Formats the answer to the last formatted command.
    std::string formatResponse(ByteView response) const;

    // Logs both at spdlog debug level ("card.apdu" prefix).
    void log(ByteView command, ByteView response);

    LoggedApplication application() const { return application_; }

  private:
    ApduLogDetail detail_;
    LoggedApplication application_ = LoggedApplication::kUnknown;
    bool redactResponse_ = false;
};

}  // namespace uketsuke::card
