// Error vocabulary of the virtual card (sim/): what can go wrong while loading personas, the test
// PKI and the media files, and while building a card image from them.
#pragma once

#include <string>
#include <string_view>

#include "common/uketsuke/error_table.h"

namespace uketsuke::sim {

enum class SimError {
    kFileMissing,
    kBadPersona,
    kBadKey,
    kBadCertificate,
    kBadMedia,
    kCrypto,
    kUnknownPersona,
    kBadFault,
};

using SimErrorInfo = ErrorInfo<SimError>;

// clang-format off
inline constexpr ErrorTable kSimErrors{std::to_array<SimErrorInfo>({
    {SimError::kFileMissing, "file-missing", "a persona, PKI or media file is missing"},
    {SimError::kBadPersona, "bad-persona", "a persona file is not valid JSON or lacks a field"},
    {SimError::kBadKey, "bad-key", "a private key file could not be loaded"},
    {SimError::kBadCertificate, "bad-certificate", "a certificate file could not be loaded"},
    {SimError::kBadMedia, "bad-media", "a photo or image file is empty or unreadable"},
    {SimError::kCrypto, "crypto", "an OpenSSL operation failed"},
    {SimError::kUnknownPersona, "unknown-persona", "no persona with that id was loaded"},
    {SimError::kBadFault, "bad-fault", "unknown fault mode or bad argument"},
}), {SimError::kBadFault, "unknown", "unknown virtual-card error"}, SimError::kFileMissing, SimError::kBadFault};
// clang-format on

inline std::string_view simErrorName(SimError e) {
    return kSimErrors[e].name;
}

// An error code plus the detail a developer needs (file name, field); never secret material.
struct SimFailure {
    SimError code;
    std::string detail;

    std::string message() const { return std::string(simErrorName(code)) + ": " + detail; }
};

}  // namespace uketsuke::sim
