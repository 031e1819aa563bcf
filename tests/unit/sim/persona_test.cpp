// Persona files: parsing, the shipped set, Japanese-era years and 照合番号B.
#include "sim/persona.h"

#include <gtest/gtest.h>

#include <set>

#include "sim_test_support.h"

namespace uketsuke::sim::test {
namespace {

// Era years change on the era's first day (1989-01-07 昭和64, 01-08 平成1; 2019-04-30 平成31).
TEST(JapaneseEraYear, EraBoundaries) {
    EXPECT_EQ(japaneseEraYear(1980, 2, 17), 55);
    EXPECT_EQ(japaneseEraYear(1989, 1, 7), 64);
    EXPECT_EQ(japaneseEraYear(1989, 1, 8), 1);
    EXPECT_EQ(japaneseEraYear(2019, 4, 30), 31);
    EXPECT_EQ(japaneseEraYear(2019, 5, 1), 1);
    EXPECT_EQ(japaneseEraYear(2020, 2, 24), 2);
    EXPECT_EQ(japaneseEraYear(1926, 12, 24), 15);  // 大正15
    EXPECT_EQ(japaneseEraYear(1926, 12, 25), 1);   // 昭和1
}

// The normal persona's 照合番号B is the reference's measured test-card value (§5.1).
TEST(VerificationNumberB, MatchesReferenceTestCard) {
    EXPECT_EQ(verificationNumberB(persona("normal")), "55021720352285");
}

// Era-boundary personas get the era year of their own side of the boundary.
TEST(VerificationNumberB, EraBoundaryPersonas) {
    EXPECT_EQ(verificationNumberB(persona("normal-3")).substr(0, 6), "640107");
    EXPECT_EQ(verificationNumberB(persona("normal-2")).substr(0, 6), "010108");
    EXPECT_EQ(verificationNumberB(persona("no-signing-cert")).substr(0, 6), "010501");
}

// Every shipped persona loads, its id matches its file name, and the required set is there.
TEST(PersonaDir, ShippedPersonasLoad) {
    auto all = loadPersonaDir(personaDir());
    ASSERT_TRUE(all.ok()) << all.error().message();
    for (const char* id :
         {"normal", "normal-2", "normal-3", "pin-locked", "face-auth", "expired-cert",
          "expired-grace", "renewal-due", "revoked", "no-signing-cert", "not-mynumber",
          "smartphone", "face-auth-6984", "normal-query-9000"})
        EXPECT_EQ(all.value().count(id), 1u) << id;
    std::set<std::pair<int, int>> faces;
    int withPhoto = 0;
    for (const auto& [id, p] : all.value()) {
        if (p.kind != CardKind::kMyNumber)
            continue;
        if (!p.variantOf.empty()) {
            // A chip-behaviour variant: the same holder (face, birth date) as its original.
            ASSERT_EQ(all.value().count(p.variantOf), 1u) << id;
            const Persona& original = all.value().at(p.variantOf);
            EXPECT_EQ(original.photo.sample, p.photo.sample) << id;
            EXPECT_EQ(original.photo.face, p.photo.face) << id;
            EXPECT_EQ(original.kenmen.birthDate, p.kenmen.birthDate) << id;
            continue;
        }
        ++withPhoto;
        faces.insert({p.photo.sample, p.photo.face});
    }
    EXPECT_EQ(static_cast<int>(faces.size()), withPhoto) << "two personas share a face";
}

// Birth dates span 昭和, 平成 and 令和.
TEST(PersonaDir, BirthDatesSpanEras) {
    auto all = loadPersonaDir(personaDir());
    ASSERT_TRUE(all.ok());
    std::set<int> eraStarts;
    for (const auto& [id, p] : all.value()) {
        if (p.kind != CardKind::kMyNumber)
            continue;
        const int date = std::stoi(p.kenmen.birthDate);
        eraStarts.insert(date >= 20190501 ? 2019 : date >= 19890108 ? 1989 : 1926);
    }
    EXPECT_EQ(eraStarts, (std::set<int>{1926, 1989, 2019}));
}

// Bad persona files are refused with a typed error naming the problem.
TEST(ParsePersona, RejectsBadInput) {
    EXPECT_EQ(parsePersona("not json").error().code, SimError::kBadPersona);
    EXPECT_EQ(parsePersona("[]").error().code, SimError::kBadPersona);
    EXPECT_EQ(parsePersona(R"({"id":"x","kind":"robot"})").error().code, SimError::kBadPersona);
    EXPECT_EQ(parsePersona(R"({"id":"x","kind":"mynumber","signingCert":false})").error().code,
              SimError::kBadPersona);
    const auto badPin = parsePersona(
        R"({"id":"x","kind":"smartphone","signingCert":false,"authPin":{"value":"12a4"}})");
    ASSERT_FALSE(badPin.ok());
    EXPECT_NE(badPin.error().detail.find("authPin"), std::string::npos);
}

// The pinless answer of a 顔認証 card is configurable per persona (default 63C0, Errata 7).
TEST(ParsePersona, PinlessAnswerIsConfigurable) {
    const auto p = parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                                R"("authPin":{"pinless":true,"pinlessAnswer":"6984"}})");
    ASSERT_TRUE(p.ok()) << p.error().message();
    EXPECT_TRUE(p.value().authPin.pinless);
    EXPECT_EQ(p.value().authPin.pinlessAnswer, 0x6984);
    const auto byDefault = parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                                        R"("authPin":{"pinless":true}})");
    EXPECT_EQ(byDefault.value().authPin.pinlessAnswer, 0x63C0);
    EXPECT_FALSE(parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                              R"("authPin":{"pinless":true,"pinlessAnswer":"69"}})")
                     .ok());
}

// queryWhenVerified is a named variant; without it nothing is set (the query answers 63Cx).
TEST(ParsePersona, QueryWhenVerifiedVariant) {
    const auto p = parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                                R"("authPin":{"value":"1234","queryWhenVerified":"9000"}})");
    ASSERT_TRUE(p.ok()) << p.error().message();
    EXPECT_EQ(p.value().authPin.queryWhenVerified, 0x9000);
    EXPECT_FALSE(persona("normal").authPin.queryWhenVerified.has_value());
    EXPECT_EQ(persona("normal-query-9000").authPin.queryWhenVerified, 0x9000);
}

// The ATR: the My Number Card's by default, an ordinary card's for not-mynumber, or the file's.
TEST(ParsePersona, AnswerToReset) {
    const auto own = parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,)"
                                  R"("atr":"3B 02 14 50"})");
    ASSERT_TRUE(own.ok()) << own.error().message();
    EXPECT_EQ(own.value().atr, hex("3B 02 14 50"));
    EXPECT_EQ(parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false})").value().atr,
              hex("3B E0 00 FF 81 31 FE 45 14"));
    EXPECT_EQ(parsePersona(R"({"id":"x","kind":"not-mynumber","signingCert":false})").value().atr,
              Bytes(std::begin(kTransitCardAtr), std::end(kTransitCardAtr)));
    EXPECT_FALSE(
        parsePersona(R"({"id":"x","kind":"smartphone","signingCert":false,"atr":"3Z"})").ok());
}

}  // namespace
}  // namespace uketsuke::sim::test
