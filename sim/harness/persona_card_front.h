// The card front of a persona as the terminal's staff entry takes it (照合番号B fields: birth
// date, card expiry year, security code), read with the one persona parser (sim/persona.h). The
// scripted sessions and the demo panel stand these in for a clerk typing them or the card-front
// OCR.
#pragma once

#include <filesystem>
#include <string>

#include "terminal/session/session_ports.h"
#include "uketsuke/result.h"

namespace uketsuke::sim {

struct Persona;

Result<terminal::CardFrontFields, std::string> personaCardFront(const Persona& persona);
// personasDir/<id>.json, loaded and converted.
Result<terminal::CardFrontFields, std::string> personaCardFront(
    const std::filesystem::path& personasDir, const std::string& id);

}  // namespace uketsuke::sim
