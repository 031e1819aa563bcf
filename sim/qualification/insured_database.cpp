// Loading of the insured-persons database and of the persona certificate map
// (sim/qualification/README.md, "Insured-persons database").
#include "sim/qualification/insured_database.h"

#include <filesystem>
#include <fstream>

#include "sim/qualification/certificate_checker.h"
#include "sim/qualification/openssl_util.h"

namespace uketsuke::sim {
namespace {

struct StatusName {
    RecordStatus status;
    std::string_view name;
};
constexpr StatusName kStatusNames[] = {
    {RecordStatus::kValid, "valid"},
    {RecordStatus::kInvalid, "invalid"},
    {RecordStatus::kInvalidNewQualification, "invalid_new_qualification"},
    {RecordStatus::kValidUnregisteredMedicalAid, "valid_unregistered_medical_aid"},
};

// Element names become XML element names in the terminal's result file: letters and digits only.
bool isElementName(const std::string& s) {
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    return s[0] < '0' || s[0] > '9';
}

// A field is a string, a group (object of strings) or a list of groups (§4.3 nests no deeper).
bool validFields(const nlohmann::json& fields, int depth) {
    if (!fields.is_object())
        return false;
    for (const auto& [key, value] : fields.items()) {
        if (!isElementName(key))
            return false;
        if (value.is_string())
            continue;
        if (depth > 0)
            return false;
        if (value.is_object() && validFields(value, depth + 1))
            continue;
        if (value.is_array()) {
            for (const auto& item : value)
                if (!validFields(item, depth + 1))
                    return false;
            continue;
        }
        return false;
    }
    return true;
}

}  // namespace

Result<InsuredDatabase, std::string> InsuredDatabase::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot open insured database " + path);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded())
        return fail("insured database is not valid JSON: " + path);
    return parse(doc);
}

Result<InsuredDatabase, std::string> InsuredDatabase::parse(const nlohmann::json& doc) {
    if (!doc.is_object() || !doc.contains("persons") || !doc["persons"].is_object())
        return fail(std::string("insured database: 'persons' object missing"));
    InsuredDatabase db;
    for (const auto& [persona, records] : doc["persons"].items()) {
        if (!records.is_array())
            return fail("insured database: records of " + persona);
        std::vector<InsuredRecord>& out = db.persons_[persona];
        for (const auto& record : records) {
            if (!record.is_object() || !record.contains("status") ||
                !record["status"].is_string() || !record.contains("fields"))
                return fail("insured database: record of " + persona + " lacks status/fields");
            InsuredRecord r;
            bool known = false;
            for (const auto& s : kStatusNames) {
                if (record["status"].get<std::string>() == s.name) {
                    r.status = s.status;
                    known = true;
                }
            }
            if (!known)
                return fail("insured database: unknown status for " + persona);
            if (!validFields(record["fields"], 0))
                return fail("insured database: bad fields for " + persona);
            r.fields = record["fields"];
            out.push_back(std::move(r));
        }
    }
    if (doc.contains("suspended")) {
        if (!doc["suspended"].is_array())
            return fail(std::string("'suspended' must be a list"));
        for (const auto& id : doc["suspended"]) {
            if (!id.is_string())
                return fail(std::string("'suspended' must list persona ids"));
            db.suspended_.insert(id.get<std::string>());
        }
    }
    return db;
}

std::vector<InsuredRecord> InsuredDatabase::recordsFor(const std::string& persona) const {
    auto it = persons_.find(persona);
    return it == persons_.end() ? std::vector<InsuredRecord>{} : it->second;
}

Result<PersonaDirectory, std::string> PersonaDirectory::scan(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return fail("personas PKI directory missing: " + dir);
    PersonaDirectory d;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const fs::path pem = entry.path() / "auth.pem";
        if (!fs::is_regular_file(pem, ec))
            continue;
        UniqueX509 cert = loadCertificatePem(pem.string());
        if (!cert)
            return fail("cannot load " + pem.string());
        d.bySerial_[CertificateChecker::serialHexOf(cert.get())] = entry.path().filename().string();
    }
    if (ec)
        return fail("cannot list " + dir + ": " + ec.message());
    return d;
}

std::optional<std::string> PersonaDirectory::personaOfSerial(const std::string& serialHex) const {
    auto it = bySerial_.find(serialHex);
    if (it == bySerial_.end())
        return std::nullopt;
    return it->second;
}

}  // namespace uketsuke::sim
