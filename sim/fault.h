// Fault injection modes of the virtual card (sim/README.md "Fault modes"; style.md §10 ErrorMode):
// each lets a test drive the card layer into one class of bad card behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/uketsuke/result.h"
#include "sim/sim_error.h"

namespace uketsuke::sim {

enum class FaultMode {
    kNone,
    kRemoveAfterApdus,   // answer N more APDUs, then the card leaves the reader mid-session
    kTruncatedCert,      // EF 000A holds only the first half of the DER certificate
    kOversizedTlv,       // EF 0002's FF20 header claims 4096 bytes more than the file holds
    kWrongLength,        // READ BINARY answers 16 bytes more than Le asked for
    kBadCertificate,     // EF 000A's signature bytes corrupted (DER still parses)
    kCorruptJp2,         // DF27 replaced by garbage, DF28 re-signed so the signature verifies
    kBadPhotoSignature,  // DF28 does not verify
    kWrongCardKey,       // internal authentication (80 2A 00 00) signed by a key that is not DF24
    kRandomSw,           // every answer is a bare random status word
    kGarbage,            // every answer is 1-300 random bytes
};

struct FaultInfo {
    FaultMode mode;
    std::string_view name;
    bool takesArgument;
    std::string_view description;
};

inline constexpr FaultInfo kFaults[] = {
    {FaultMode::kNone, "none", false, "no fault"},
    {FaultMode::kRemoveAfterApdus, "remove-after-apdus", true,
     "card pulled out after N more APDUs (the next one gets no answer)"},
    {FaultMode::kTruncatedCert, "truncated-cert", false, "EF 000A cut to half its DER length"},
    {FaultMode::kOversizedTlv, "oversized-tlv", false, "EF 0002 header claims more than the file"},
    {FaultMode::kWrongLength, "wrong-length", false, "READ BINARY answers 16 bytes more than Le"},
    {FaultMode::kBadCertificate, "bad-certificate", false, "EF 000A signature bytes corrupted"},
    {FaultMode::kCorruptJp2, "corrupt-jp2", false, "DF27 garbage, re-signed (signature verifies)"},
    {FaultMode::kBadPhotoSignature, "bad-photo-signature", false, "DF28 does not verify"},
    {FaultMode::kWrongCardKey, "wrong-card-key", false,
     "internal authentication signed by a key that is not DF24's (a clone)"},
    {FaultMode::kRandomSw, "random-sw", true, "every answer a random status word (arg: seed)"},
    {FaultMode::kGarbage, "garbage", true, "every answer 1-300 random bytes (arg: seed)"},
};

struct Fault {
    FaultMode mode = FaultMode::kNone;
    std::uint64_t argument = 0;  // remove-after-apdus: N; random-sw/garbage: seed
};

inline std::string_view faultName(FaultMode mode) {
    for (const auto& f : kFaults)
        if (f.mode == mode)
            return f.name;
    return "unknown";
}

// "remove-after-apdus" + "3" -> {kRemoveAfterApdus, 3}. The argument is required for
// remove-after-apdus and optional (default 1) for the random modes.
inline Result<Fault, SimFailure> parseFault(std::string_view name, std::string_view argument) {
    for (const auto& f : kFaults) {
        if (f.name != name)
            continue;
        Fault fault{f.mode, 1};
        if (!argument.empty()) {
            if (!f.takesArgument)
                return fail(SimFailure{SimError::kBadFault, "no argument taken"});
            std::uint64_t value = 0;
            for (char c : argument) {
                if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10)
                    return fail(SimFailure{SimError::kBadFault, "argument must be a number"});
                value = value * 10 + static_cast<std::uint64_t>(c - '0');
            }
            fault.argument = value;
        } else if (f.mode == FaultMode::kRemoveAfterApdus) {
            return fail(SimFailure{SimError::kBadFault, "remove-after-apdus needs N"});
        }
        return fault;
    }
    return fail(SimFailure{SimError::kBadFault, "unknown fault mode " + std::string(name)});
}

}  // namespace uketsuke::sim
