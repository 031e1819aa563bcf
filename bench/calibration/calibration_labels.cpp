// Face-matching calibration: the persons' label table (labels.tsv).
// See calibration.h and docs/calibration.md (method).
#include "bench/calibration/calibration.h"

#include <fstream>
#include <sstream>

namespace uketsuke::calibration {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t'))
        fields.push_back(field);
    return fields;
}

std::optional<Sex> parseSex(const std::string& text) {
    if (text == "F")
        return Sex::kFemale;
    if (text == "M")
        return Sex::kMale;
    if (text == "unknown")
        return Sex::kUnknown;
    return std::nullopt;
}

}  // namespace

Result<LabelTable, std::string> LabelTable::load(const fs::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail(std::string("cannot read labels file ") + file.string());
    LabelTable table;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line[0] == '#' || line.rfind("set\t", 0) == 0)
            continue;
        const auto fields = splitTabs(line);
        const auto where = file.string() + ":" + std::to_string(lineNo);
        if (fields.size() != 6)
            return fail(where + ": expected 6 tab-separated fields");
        PersonLabel label;
        label.set = fields[0];
        label.folder = fields[1];
        const auto sex = parseSex(fields[2]);
        if (!sex)
            return fail(where + ": sex must be F, M or unknown");
        label.sex = *sex;
        if (fields[3] != "unknown") {
            try {
                label.ageYears = std::stoi(fields[3]);
            } catch (const std::exception&) {
                return fail(where + ": age_est must be a number or unknown");
            }
        }
        label.population = fields[4];
        label.basis = fields[5];
        table.labels_[{label.set, label.folder}] = label;
    }
    return table;
}

const PersonLabel* LabelTable::find(const std::string& set, const std::string& folder) const {
    const auto it = labels_.find({set, folder});
    return it == labels_.end() ? nullptr : &it->second;
}

bool similarPeople(const PersonLabel& a, const PersonLabel& b, int maxAgeGapYears) {
    if (a.sex == Sex::kUnknown || a.sex != b.sex)
        return false;
    if (!a.ageYears || !b.ageYears || std::abs(*a.ageYears - *b.ageYears) > maxAgeGapYears) {
        return false;
    }
    return a.population == b.population;
}

}  // namespace uketsuke::calibration
