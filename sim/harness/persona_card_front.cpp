#include "sim/harness/persona_card_front.h"

#include "card/verification_number_b.h"
#include "sim/persona.h"

namespace uketsuke::sim {

Result<terminal::CardFrontFields, std::string> personaCardFront(const Persona& persona) {
    const auto& k = persona.kenmen;
    if (k.birthDate.size() != 8 || k.cardExpiry.size() != 8 || k.securityCode.empty())
        return fail("persona " + persona.id + " has no card front");
    const auto birth = card::parseIsoDate(
        k.birthDate.substr(0, 4) + "-" + k.birthDate.substr(4, 2) + "-" + k.birthDate.substr(6, 2));
    if (!birth)
        return fail("persona " + persona.id + ": malformed birth date");
    const std::string year = k.cardExpiry.substr(0, 4);
    if (year.find_first_not_of("0123456789") != std::string::npos)
        return fail("persona " + persona.id + ": malformed card expiry");
    terminal::CardFrontFields front;
    front.birthDate = *birth;
    front.expiryYear = std::stoi(year);
    front.securityCode = SecretBytes(k.securityCode);
    return front;
}

Result<terminal::CardFrontFields, std::string> personaCardFront(
    const std::filesystem::path& personasDir, const std::string& id) {
    auto persona = loadPersona(personasDir / (id + ".json"));
    if (!persona)
        return fail("persona " + id + ": " + persona.error().message());
    return personaCardFront(persona.value());
}

}  // namespace uketsuke::sim
