// Parsing JSON the terminal did not write (configuration, session scripts, staff and consent
// files) with a nesting limit: nlohmann::json walks and destroys values recursively, so a
// document nested a hundred thousand levels deep would overflow the stack (issue 14: a deeply
// nested configuration crashed `uketsuke`). Deeper documents are refused with a message.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "uketsuke/result.h"

namespace uketsuke::terminal {

inline constexpr int kMaxJsonDepth = 64;

inline Result<nlohmann::json, std::string> parseJsonBounded(std::istream& in,
                                                            int maxDepth = kMaxJsonDepth) {
    struct TooDeep : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    try {
        return nlohmann::json::parse(
            in, [maxDepth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                if (depth > maxDepth)
                    throw TooDeep("nested deeper than " + std::to_string(maxDepth) + " levels");
                return true;
            });
    } catch (const TooDeep& e) {
        return fail(std::string(e.what()));
    } catch (const nlohmann::json::exception& e) {
        return fail(std::string(e.what()));
    }
}

}  // namespace uketsuke::terminal
