#include "terminal/session/consent.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>

namespace uketsuke::terminal {
namespace {

bool validId(const std::string& id) {
    if (id.empty() || id.size() > 48)
        return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

bool validPrefix(const std::string& prefix) {
    if (prefix.empty())
        return false;
    for (char c : prefix) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

std::string formatTm(const std::tm& tm, const char* format) {
    char buffer[32];
    const std::size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
    return std::string(buffer, n);
}

}  // namespace

Result<ConsentCatalog, std::string> ConsentCatalog::fromJson(const nlohmann::json& doc) {
    ConsentCatalog catalog;
    try {
        catalog.version = doc.at("version").get<std::string>();
        if (catalog.version.empty())
            return fail(std::string("consent file: empty version"));
        if (doc.contains("comprehensive")) {
            catalog.comprehensiveLabel = doc.at("comprehensive").value("label", "");
            catalog.comprehensiveLabelEn = doc.at("comprehensive").value("label_en", "");
        }
        std::set<std::string> seen;
        for (const auto& item : doc.at("items")) {
            ConsentItem c;
            c.id = item.at("id").get<std::string>();
            c.label = item.value("label", "");
            c.labelEn = item.value("label_en", "");
            c.elementPrefix = item.at("element_prefix").get<std::string>();
            c.informationSharing = item.value("information_sharing", true);
            if (!validId(c.id))
                return fail(std::string("consent file: invalid item id"));
            if (!validPrefix(c.elementPrefix))
                return fail("consent file: invalid element prefix for " + c.id);
            if (!seen.insert(c.id).second)
                return fail("consent file: duplicate item " + c.id);
            catalog.items.push_back(std::move(c));
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(std::string("consent file: ") + e.what());
    }
    if (catalog.items.empty())
        return fail(std::string("consent file: no items"));
    return catalog;
}

Result<ConsentCatalog, std::string> ConsentCatalog::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail("cannot open consent file " + file.string());
    try {
        return fromJson(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
        return fail("consent file " + file.string() + " is not valid JSON: " + e.what());
    }
}

Result<ConsentRecord, std::string> recordConsent(const ConsentCatalog& catalog,
                                                 const ConsentChoices& choices,
                                                 bool qualificationOnly,
                                                 std::chrono::system_clock::time_point at) {
    for (const auto& [id, _] : choices.items) {
        bool known = false;
        for (const auto& item : catalog.items)
            known = known || item.id == id;
        if (!known)
            return fail("unknown consent item " + id);
    }
    ConsentRecord record;
    record.version = catalog.version;
    record.qualificationOnly = qualificationOnly;
    for (const auto& item : catalog.items) {
        if (qualificationOnly && item.informationSharing)
            continue;
        ConsentAnswer answer{item.id, choices.comprehensive, at};
        if (!choices.comprehensive) {
            const auto it = choices.items.find(item.id);
            answer.agreed = it != choices.items.end() && it->second;
        }
        record.answers.push_back(answer);
    }
    return record;
}

nlohmann::json ConsentRecord::toLogJson() const {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : answers)
        items.push_back({{"id", a.id}, {"agreed", a.agreed}, {"at", utcTimestamp(a.at)}});
    return {{"version", version}, {"items", items}};
}

std::vector<ConsentEntry> ConsentRecord::toResultEntries(
    const std::vector<ConsentItem>& items) const {
    std::vector<ConsentEntry> entries;
    for (const auto& a : answers) {
        for (const auto& item : items) {
            if (item.id == a.id)
                entries.push_back(
                    {item.elementPrefix, a.agreed ? "1" : "0", jstTimestamp(a.at), ""});
        }
    }
    return entries;
}

std::string jstTimestamp(std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t) + std::time_t{9} * 3600;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return formatTm(tm, "%Y%m%d%H%M%S");
}

std::string utcTimestamp(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
    const std::time_t seconds = std::chrono::system_clock::to_time_t(ms);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    const int millis = static_cast<int>(ms.time_since_epoch().count() % 1000);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ", millis < 0 ? 0 : millis);
    return formatTm(tm, "%Y-%m-%dT%H:%M:%S") + frac;
}

}  // namespace uketsuke::terminal
