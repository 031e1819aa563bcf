// Persona file parsing (nlohmann-json) and the 照合番号B composition of card-protocol.md §5.1.
#include "sim/persona.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

bool isDigits(std::string_view s, std::size_t n) {
    return s.size() == n &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A YYYYMMDD date with a plausible month/day (the sim does not need a full calendar check).
bool isDate(std::string_view s) {
    if (!isDigits(s, 8))
        return false;
    const int month = std::stoi(std::string(s.substr(4, 2)));
    const int day = std::stoi(std::string(s.substr(6, 2)));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "63C0" -> 0x63C0; nullopt unless exactly 4 hex digits.
std::optional<std::uint16_t> statusWord(const std::string& text) {
    if (text.size() != 4 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return std::nullopt;
    return static_cast<std::uint16_t>(std::stoul(text, nullptr, 16));
}

Failure<SimFailure> bad(std::string detail) {
    return fail(SimFailure{SimError::kBadPersona, std::move(detail)});
}

}  // namespace

Result<Persona, SimFailure> parsePersona(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return bad("not a JSON object");
    Persona p;
    try {
        p.id = j.at("id").get<std::string>();
        p.description = j.value("description", "");
        const std::string kind = j.at("kind").get<std::string>();
        if (kind == "mynumber") {
            p.kind = CardKind::kMyNumber;
        } else if (kind == "smartphone") {
            p.kind = CardKind::kSmartphone;
        } else if (kind == "not-mynumber") {
            p.kind = CardKind::kNotMyNumber;
        } else {
            return bad(p.id + ": kind must be mynumber, smartphone or not-mynumber");
        }
        p.tokenLabel = j.value("tokenLabel", std::string("JPKIAPICCTOKEN2"));
        p.variantOf = j.value("variantOf", std::string());
        if (j.contains("authPin")) {
            const json& pin = j.at("authPin");
            p.authPin.pinless = pin.value("pinless", false);
            p.authPin.value = pin.value("value", std::string());
            p.authPin.triesLeft = pin.value("triesLeft", 3);
            const auto answer = statusWord(pin.value("pinlessAnswer", std::string("63C0")));
            if (!answer)
                return bad(p.id + ": authPin.pinlessAnswer must be 4 hex digits");
            p.authPin.pinlessAnswer = *answer;
            if (pin.contains("queryWhenVerified")) {
                const auto verified = statusWord(pin.at("queryWhenVerified").get<std::string>());
                if (!verified)
                    return bad(p.id + ": authPin.queryWhenVerified must be 4 hex digits");
                p.authPin.queryWhenVerified = *verified;
            }
            if (!p.authPin.pinless && !isDigits(p.authPin.value, 4))
                return bad(p.id + ": authPin.value must be 4 digits");
            if (p.authPin.triesLeft < 0 || p.authPin.triesLeft > 3)
                return bad(p.id + ": authPin.triesLeft must be 0..3");
        }
        p.signingCert = j.value("signingCert", true);
        if (p.signingCert) {
            p.signPassword = j.at("signPassword").get<std::string>();
            p.signPasswordTriesLeft = j.value("signPasswordTriesLeft", 5);
            if (p.signPassword.size() < 6 || p.signPassword.size() > 16)
                return bad(p.id + ": signPassword must have 6-16 characters");
        } else {
            p.signPasswordTriesLeft = j.value("signPasswordTriesLeft", 0);
        }
        if (p.signPasswordTriesLeft < 0 || p.signPasswordTriesLeft > 5)
            return bad(p.id + ": signPasswordTriesLeft must be 0..5");
        p.extendedLength = j.value("extendedLength", true);
        if (j.contains("atr")) {
            auto atr = fromHex(j.at("atr").get<std::string>());
            if (!atr || atr->size() < 2 || atr->size() > 33)
                return bad(p.id + ": atr must be 2-33 bytes of hex");
            p.atr = std::move(*atr);
        } else {
            p.atr = defaultAtr(p.kind);
        }
        if (j.contains("authCert")) {
            const json& c = j.at("authCert");
            p.authCert.notBeforeDays = c.value("notBeforeDays", -365);
            p.authCert.notAfterDays = c.value("notAfterDays", 1460);
            p.authCert.revoked = c.value("revoked", false);
            if (p.authCert.notAfterDays <= p.authCert.notBeforeDays)
                return bad(p.id + ": authCert.notAfterDays must follow notBeforeDays");
        }
        if (j.contains("kenmen")) {
            const json& k = j.at("kenmen");
            p.kenmen.birthDate = k.at("birthDate").get<std::string>();
            p.kenmen.sex = k.at("sex").get<std::string>();
            p.kenmen.cardExpiry = k.at("cardExpiry").get<std::string>();
            p.kenmen.securityCode = k.at("securityCode").get<std::string>();
            p.kenmen.verificationBTriesLeft = k.value("verificationBTriesLeft", 10);
            p.kenmen.displayName = k.at("displayName").get<std::string>();
            p.kenmen.address = k.at("address").get<std::string>();
            if (!isDate(p.kenmen.birthDate) || !isDate(p.kenmen.cardExpiry))
                return bad(p.id + ": kenmen dates must be YYYYMMDD");
            if (!isDigits(p.kenmen.securityCode, 4))
                return bad(p.id + ": kenmen.securityCode must be 4 digits");
            if (p.kenmen.sex.size() != 1)
                return bad(p.id + ": kenmen.sex must be one digit");
        } else if (p.kind == CardKind::kMyNumber) {
            return bad(p.id + ": a My Number Card persona needs kenmen");
        }
        if (j.contains("photo")) {
            p.photo.sample = j.at("photo").value("sample", 1);
            p.photo.face = j.at("photo").value("face", 0);
        }
    } catch (const json::exception& e) {
        return bad(std::string("missing or mistyped field: ") + e.what());
    }
    if (p.id.empty())
        return bad("empty id");
    return p;
}

Result<Persona, SimFailure> loadPersona(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail(SimFailure{SimError::kFileMissing, file.string()});
    std::stringstream text;
    text << in.rdbuf();
    auto persona = parsePersona(text.str());
    if (!persona)
        return fail(
            SimFailure{persona.error().code, file.string() + ": " + persona.error().detail});
    return persona;
}

Result<std::map<std::string, Persona>, SimFailure> loadPersonaDir(
    const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path());
    if (ec)
        return fail(SimFailure{SimError::kFileMissing, dir.string() + ": " + ec.message()});
    std::sort(files.begin(), files.end());
    std::map<std::string, Persona> out;
    for (const auto& f : files) {
        auto persona = loadPersona(f);
        if (!persona)
            return persona.failure();
        Persona p = std::move(persona).takeValue();
        std::string id = p.id;
        out.emplace(std::move(id), std::move(p));
    }
    return out;
}

Bytes defaultAtr(CardKind kind) {
    if (kind == CardKind::kNotMyNumber)
        return Bytes(std::begin(kTransitCardAtr), std::end(kTransitCardAtr));
    return Bytes(std::begin(kMyNumberCardAtr), std::end(kMyNumberCardAtr));
}

int japaneseEraYear(int year, int month, int day) {
    struct Era {
        int year, month, day;
    };
    // First day of each era: 明治 (Gregorian 1868-01-25), 大正, 昭和, 平成, 令和 — newest first.
    static constexpr Era kEras[] = {
        {2019, 5, 1}, {1989, 1, 8}, {1926, 12, 25}, {1912, 7, 30}, {1868, 1, 25}};
    const int date = year * 10000 + month * 100 + day;
    for (const Era& e : kEras)
        if (date >= e.year * 10000 + e.month * 100 + e.day)
            return year - e.year + 1;
    return 0;
}

std::string verificationNumberB(const Persona& persona) {
    const std::string& b = persona.kenmen.birthDate;
    const int y = std::stoi(b.substr(0, 4));
    const int m = std::stoi(b.substr(4, 2));
    const int d = std::stoi(b.substr(6, 2));
    char eraYear[8];
    std::snprintf(eraYear, sizeof eraYear, "%02d", japaneseEraYear(y, m, d) % 100);
    return std::string(eraYear) + b.substr(4, 4) + persona.kenmen.cardExpiry.substr(0, 4) +
           persona.kenmen.securityCode;
}

}  // namespace uketsuke::sim
