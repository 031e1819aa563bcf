// How the patient's identity was checked: one enum for the whole terminal (session policy, the
// proof sent to the qualification service, the result file and the confirmation log).
// kStaff is 目視 (visual check by staff); kNone: no check completed (refused or aborted sessions).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace uketsuke::terminal {

enum class IdentityMethod { kNone, kFace, kPin, kStaff };  // ― / 顔認証 / 暗証番号 / 目視

inline constexpr std::array<std::pair<IdentityMethod, std::string_view>, 4> kIdentityMethodNames{{
    {IdentityMethod::kNone, "none"},
    {IdentityMethod::kFace, "face"},
    {IdentityMethod::kPin, "pin"},
    {IdentityMethod::kStaff, "staff"},
}};

// The stable name used on the wire (qualification request, attestation), in the log and the CLI.
constexpr std::string_view identityMethodName(IdentityMethod method) {
    for (const auto& [m, name] : kIdentityMethodNames) {
        if (m == method)
            return name;
    }
    return "none";
}

constexpr std::optional<IdentityMethod> identityMethodFromString(std::string_view text) {
    for (const auto& [m, name] : kIdentityMethodNames) {
        if (name == text)
            return m;
    }
    return std::nullopt;
}

}  // namespace uketsuke::terminal
