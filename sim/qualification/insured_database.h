// The reference service's insured-persons database (sim/qualification/insured.json) and the map
// from auth-certificate serial to persona (build/pki/personas/<id>/auth.pem).
//
// The certificate serial is the per-person key the real system links at 健康保険証利用登録
// (card-protocol.md §8); here a persona id stands in for that link. Record fields carry the element
// names of qualification-domain.md §4.3 so that they map 1:1 to the result XML.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "uketsuke/result.h"

namespace uketsuke::sim {

// Maps to QualificationValidity (qualification-domain.md §4.2) when exactly one record matches.
enum class RecordStatus {
    kValid,                        // 1 有効
    kInvalid,                      // 2 無効
    kInvalidNewQualification,      // 3 無効(新しい資格あり)
    kValidUnregisteredMedicalAid,  // 6 有効(未登録, 医療扶助)
};

struct InsuredRecord {
    RecordStatus status = RecordStatus::kValid;
    nlohmann::json fields;  // object: element name -> string, or a nested group of §4.3
};

class InsuredDatabase {
  public:
    static Result<InsuredDatabase, std::string> load(const std::string& path);
    static Result<InsuredDatabase, std::string> parse(const nlohmann::json& doc);

    // Records of a persona: empty for a person without insurance (該当資格なし).
    std::vector<InsuredRecord> recordsFor(const std::string& persona) const;
    const std::set<std::string>& suspendedPersonas() const { return suspended_; }

  private:
    std::map<std::string, std::vector<InsuredRecord>> persons_;
    std::set<std::string> suspended_;
};

class PersonaDirectory {
  public:
    // Reads every <dir>/<id>/auth.pem; directories without one (not a My Number Card) are skipped.
    static Result<PersonaDirectory, std::string> scan(const std::string& dir);

    std::optional<std::string> personaOfSerial(const std::string& serialHex) const;
    std::size_t size() const { return bySerial_.size(); }

  private:
    std::map<std::string, std::string> bySerial_;
};

}  // namespace uketsuke::sim
