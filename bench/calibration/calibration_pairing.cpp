// Face-matching calibration: genuine and impostor pairs per group, and their error rates.
// See calibration.h and docs/calibration.md (method).
#include "bench/calibration/calibration.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace uketsuke::calibration {
namespace fs = std::filesystem;

namespace {

struct Person {
    std::string set;
    std::string folder;
    const PersonLabel* label = nullptr;
    bool colour = false;
    std::vector<std::size_t> images;  // indices into EmbeddedData::images
};

double dist(const vision::Embedding& a, const vision::Embedding& b) {
    return vision::distance(a, b).value;
}

GroupResult pairGroup(const EmbeddedData& data, const std::vector<const Person*>& people,
                      const std::string& group, const std::string& description,
                      const AnalysisOptions& options) {
    GroupResult result;
    result.group = group;
    result.description = description;
    result.people = people.size();
    for (const Person* person : people)
        result.images += person->images.size();
    const std::size_t primary = data.levelIndex(data.primaryLevel);

    for (std::size_t levelIdx = 0; levelIdx < data.compressionLevels.size(); ++levelIdx) {
        PairDistances& distances = result.byLevel[data.compressionLevels[levelIdx]];
        const bool isPrimary = levelIdx == primary;
        for (std::size_t p = 0; p < people.size(); ++p) {
            for (std::size_t q = 0; q < people.size(); ++q) {
                const bool samePerson = p == q;
                const bool matched =
                    !samePerson && people[p]->label && people[q]->label &&
                    similarPeople(*people[p]->label, *people[q]->label, options.maxAgeGapYears);
                if (!samePerson && !matched && !isPrimary)
                    continue;
                for (std::size_t i : people[p]->images) {
                    const auto& chip = data.images[i].chip[levelIdx].embedding;
                    if (!chip)
                        continue;
                    for (std::size_t j : people[q]->images) {
                        const auto& live = data.images[j].live.embedding;
                        if (!live)
                            continue;
                        if (samePerson) {
                            if (i == j) {
                                if (isPrimary)
                                    result.sameImage.push_back(dist(*chip, *live));
                                continue;
                            }
                            distances.genuine.push_back(dist(*chip, *live));
                            continue;
                        }
                        const double d = dist(*chip, *live);
                        if (matched)
                            distances.impostorMatched.push_back(d);
                        if (isPrimary)
                            distances.impostorAll.push_back(d);
                    }
                }
            }
        }
    }
    result.chipVsLive = result.byLevel[data.compressionLevels[primary]];

    // live-vs-live: unordered pairs of originals.
    for (std::size_t p = 0; p < people.size(); ++p) {
        for (std::size_t q = p; q < people.size(); ++q) {
            const bool samePerson = p == q;
            const bool matched =
                !samePerson && people[p]->label && people[q]->label &&
                similarPeople(*people[p]->label, *people[q]->label, options.maxAgeGapYears);
            for (std::size_t a = 0; a < people[p]->images.size(); ++a) {
                const auto& first = data.images[people[p]->images[a]].live.embedding;
                if (!first)
                    continue;
                for (std::size_t b = samePerson ? a + 1 : 0; b < people[q]->images.size(); ++b) {
                    const auto& second = data.images[people[q]->images[b]].live.embedding;
                    if (!second)
                        continue;
                    const double d = dist(*first, *second);
                    if (samePerson) {
                        result.liveVsLive.genuine.push_back(d);
                    } else {
                        if (matched)
                            result.liveVsLive.impostorMatched.push_back(d);
                        result.liveVsLive.impostorAll.push_back(d);
                    }
                }
            }
        }
    }
    return result;
}

}  // namespace

Analysis analyse(const EmbeddedData& data, const LabelTable& labels,
                 const AnalysisOptions& options) {
    Analysis analysis;
    analysis.options = options;

    std::map<std::pair<std::string, std::string>, Person> people;
    std::map<std::string, bool> colourOf;
    for (const auto& set : standardDevSets())
        colourOf[set.name] = set.colour;
    for (std::size_t i = 0; i < data.images.size(); ++i) {
        const auto& record = data.images[i];
        Person& person = people[{record.set, record.person}];
        person.set = record.set;
        person.folder = record.person;
        person.label = labels.find(record.set, record.person);
        person.colour = colourOf[record.set];
        person.images.push_back(i);
    }

    // Per dev set.
    for (const auto& set : standardDevSets()) {
        std::vector<const Person*> members;
        for (const auto& [key, person] : people) {
            if (person.set == set.name)
                members.push_back(&person);
        }
        if (members.empty())
            continue;
        analysis.groups.push_back(
            pairGroup(data, members, "set:" + set.name,
                      set.dir.string() + (set.colour ? " (colour)" : " (grey)"), options));
    }

    // Per population, across sets. LFW's East-Asian folders are byte-identical copies of lfw-ea's
    // (same files): count each person once, from lfw-ea.
    auto duplicate = [&](const Person& person) {
        return person.set == "lfw" && people.count({"lfw-ea", person.folder}) != 0;
    };
    std::set<std::string> populations;
    for (const auto& [key, person] : people) {
        if (person.label)
            populations.insert(person.label->population);
    }
    auto addPopulationGroup = [&](const std::string& name, const std::string& description,
                                  const std::function<bool(const Person&)>& member) {
        std::vector<const Person*> members;
        std::set<std::string> sets;
        for (const auto& [key, person] : people) {
            if (!duplicate(person) && member(person)) {
                members.push_back(&person);
                sets.insert(person.set);
            }
        }
        if (members.empty())
            return;
        std::string setList;
        for (const auto& s : sets)
            setList += (setList.empty() ? "" : " + ") + s;
        analysis.groups.push_back(
            pairGroup(data, members, name, description + " [" + setList + "]", options));
    };
    addPopulationGroup(kPrimaryGroup, "East-Asian people, all sets", [](const Person& p) {
        return p.label && p.label->population == "east-asian";
    });
    addPopulationGroup(
        "population:east-asian-colour", "East-Asian people, colour sets only",
        [](const Person& p) { return p.label && p.label->population == "east-asian" && p.colour; });
    for (const auto& population : populations) {
        if (population == "east-asian")
            continue;
        addPopulationGroup(
            "population:" + population, population + " people, all sets",
            [&](const Person& p) { return p.label && p.label->population == population; });
    }
    return analysis;
}

const GroupResult* findGroup(const Analysis& analysis, const std::string& group) {
    for (const auto& result : analysis.groups) {
        if (result.group == group)
            return &result;
    }
    return nullptr;
}

}  // namespace uketsuke::calibration
