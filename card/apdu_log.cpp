// APDU log formatting and redaction rules (see apdu_log.h).
#include "card/apdu_log.h"

#include <spdlog/spdlog.h>

#include "card/apdu.h"

namespace uketsuke::card {
namespace {

std::string lengthNote(std::size_t n, const char* why) {
    std::string out("[");
    out.append(std::to_string(n)).append(" bytes ").append(why).append("]");
    return out;
}

// Joins pieces with single spaces. (Built with append: g++ 12 at -O3 reports a false
// -Wrestrict on chains of operator+ with literals.)
std::string join(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) {
        if (p.empty())
            continue;
        if (!out.empty())
            out.push_back(' ');
        out.append(p);
    }
    return out;
}

}  // namespace

std::string ApduLogger::formatCommand(ByteView command) {
    redactResponse_ = false;
    if (command.size() < 4)
        return join({"C:", lengthNote(command.size(), "short command")});
    const std::uint8_t cla = command[0];
    const std::uint8_t insByte = command[1];
    const std::string header = toHex(command.first(4));
    const ByteView body = command.subspan(4);

    selected_.observeCommand(command);

    bool secret = false;
    const char* why = "";
    if (insByte == ins::kVerify || insByte == ins::kChangeReference) {
        secret = true;
        why = "credential redacted";
    } else if (cla == 0x80 && insByte == ins::kComputeSignature) {
        secret = true;
        why = "signature input redacted";
    }
    if (insByte == ins::kReadBinary && selected_.current() != CardApplication::kJpki)
        redactResponse_ = true;
    if (body.empty())
        return join({"C:", header});
    if (detail_ == ApduLogDetail::kStripped) {
        return join({"C:", header, lengthNote(body.size(), "stripped")});
    }
    if (secret)
        return join({"C:", header, lengthNote(body.size(), why)});
    return join({"C:", header, toHex(body)});
}

std::string ApduLogger::formatResponse(ByteView response) {
    selected_.observeResponse(response);
    if (response.size() < 2)
        return join({"R:", lengthNote(response.size(), "no status word")});
    const ByteView data = response.first(response.size() - 2);
    const std::string sw = toHex(response.last(2), false);
    if (data.empty())
        return join({"R: SW", sw});
    std::string shown;
    if (detail_ == ApduLogDetail::kStripped) {
        shown = lengthNote(data.size(), "stripped");
    } else if (redactResponse_) {
        shown = lengthNote(data.size(), "card-face data redacted");
    } else {
        shown = toHex(data);
    }
    return join({"R:", shown, "SW", sw});
}

void ApduLogger::log(ByteView command, ByteView response) {
    const std::string c = formatCommand(command);
    const std::string r = formatResponse(response);
    spdlog::debug("card.apdu {} | {}", c, r);
}

}  // namespace uketsuke::card
