// The string table (qml/bridge/ui_strings_table.cpp): complete in both languages, no duplicate
// keys, and a text for every code the session core and the face engine can produce.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "qml/bridge/ui_strings.h"
#include "terminal/session/failure_reason.h"
#include "terminal/session/identity_policy.h"
#include "terminal/session/session_outcome.h"
#include "terminal/session/staff_auth.h"
#include "vision/challenge.h"
#include "vision/quality.h"

namespace uketsuke::qml {
namespace {

// Every row has both languages, or neither (a code that deliberately shows nothing).
TEST(UiStrings, EveryEntryHasBothLanguagesAndAUniqueKey) {
    std::size_t count = 0;
    const StringEntry* table = stringTable(&count);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& e = table[i];
        const std::string key = std::string(e.kind) + "/" + e.id;
        EXPECT_TRUE(keys.insert(key).second) << "duplicate " << key;
        EXPECT_EQ(std::strlen(e.ja) == 0, std::strlen(e.en) == 0) << key;
    }
}

// Each face-engine guidance code (vision/quality.cpp) has its own text, not the fallback.
TEST(UiStrings, EveryGuidanceCodeHasItsOwnText) {
    Strings strings;
    const QString fallback = strings.code("guidance", "_default", "ja");
    for (int g = static_cast<int>(vision::Guidance::kComeCloser);
         g <= static_cast<int>(vision::Guidance::kHoldStill); ++g) {
        const auto name = vision::guidanceInfo(static_cast<vision::Guidance>(g)).name;
        const QString code = QString::fromUtf8(name.data(), static_cast<int>(name.size()));
        for (const char* lang : {"ja", "en"}) {
            const QString text = strings.code("guidance", code, lang);
            EXPECT_FALSE(text.isEmpty()) << name << " " << lang;
            EXPECT_NE(text, fallback) << name << " has no text of its own";
        }
    }
}

// Refusals, notices and staff outcomes the core names (identity_policy.cpp, staff_auth.cpp).
TEST(UiStrings, CoreCodesHaveText) {
    Strings strings;
    using terminal::AdmissionRefusal;
    for (auto r :
         {AdmissionRefusal::kNotAMyNumberCard, AdmissionRefusal::kSmartphoneToken,
          AdmissionRefusal::kCertificateExpired, AdmissionRefusal::kCertificateNotYetValid}) {
        const QString code = QString::fromStdString(std::string(terminal::admissionRefusalName(r)));
        EXPECT_NE(strings.code("refusal", code, "ja"), strings.code("refusal", "_default", "ja"))
            << code.toStdString();
    }
    for (auto n :
         {terminal::AdmissionNotice::kRenewalDue, terminal::AdmissionNotice::kQualificationOnly}) {
        const QString code = QString::fromStdString(std::string(terminal::admissionNoticeName(n)));
        EXPECT_FALSE(strings.code("notice", code, "en").isEmpty()) << code.toStdString();
    }
    for (auto o :
         {terminal::StaffAuthOutcome::kUnknownStaff, terminal::StaffAuthOutcome::kWrongPassword,
          terminal::StaffAuthOutcome::kLockedOut}) {
        const QString code =
            "staff-" + QString::fromStdString(std::string(terminal::staffAuthOutcomeName(o)));
        EXPECT_NE(strings.code("message", code, "ja"), strings.code("message", "staff-x", "ja"))
            << code.toStdString();
    }
    // A code family member without its own row gets the family's text, not nothing.
    EXPECT_EQ(strings.code("message", "pin-transport", "en"),
              strings.code("message", "pin-*", "en"));
    EXPECT_EQ(strings.t("no_such_id", "ja"), "[no_such_id]");
}

// Issue 13: every refused-presentation code the session forms ("presentation-attack-suspected",
// "...:challenge-<verdict>", "...:challenge-identity-mismatch") tells staff, the PIN pad and the
// log review why in both languages, never as the raw code; every challenge action has a prompt.
TEST(UiStrings, PresentationAttackCodesAndChallengePromptsHaveText) {
    Strings strings;
    std::vector<QString> codes{"presentation-attack-suspected",
                               "presentation-attack-suspected:challenge-identity-mismatch"};
    for (auto v : {vision::ChallengeVerdict::kWrongAnswer, vision::ChallengeVerdict::kTooEarly,
                   vision::ChallengeVerdict::kNoResponse, vision::ChallengeVerdict::kFaceLost}) {
        const auto name = vision::challengeVerdictName(v);
        codes.push_back("presentation-attack-suspected:challenge-" +
                        QString::fromUtf8(name.data(), static_cast<int>(name.size())));
    }
    for (const auto& code : codes) {
        for (const char* lang : {"ja", "en"}) {
            for (const char* kind : {"why_staff", "why_pin", "reason", "message"}) {
                const QString text = strings.code(kind, code, lang);
                EXPECT_FALSE(text.isEmpty()) << kind << " " << code.toStdString() << " " << lang;
                EXPECT_FALSE(text.contains("presentation-attack")) << text.toStdString();
                EXPECT_NE(text, strings.code(kind, "_default", lang)) << code.toStdString();
            }
        }
    }
    for (int a = 0; a < vision::kChallengeActionCount; ++a) {
        QString id = QString::fromUtf8(
            vision::challengeActionName(static_cast<vision::ChallengeAction>(a)).data());
        id.replace('-', '_');
        for (const char* lang : {"ja", "en"})
            EXPECT_FALSE(strings.t("challenge_" + id, lang).startsWith('[')) << id.toStdString();
    }
    EXPECT_FALSE(strings.t("demo_camera_mark", "ja").startsWith('['));
    EXPECT_TRUE(strings.t("demo_camera_mark", "ja").contains(QStringLiteral("デモ")));
}

// Issue 15: the text id of every outcome and failure reason (session_outcome.h, failure_reason.h)
// has a row of its own in both languages, and old spellings read from the log find theirs.
TEST(UiStrings, EveryOutcomeAndFailureReasonHasItsOwnText) {
    Strings strings;
    auto q = [](std::string_view s) {
        return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
    };
    for (const char* lang : {"ja", "en"}) {
        for (const auto& row : terminal::kSessionOutcomes) {
            const QString text = strings.code("outcome", q(row.textId), lang);
            EXPECT_FALSE(text.isEmpty()) << row.textId;
            EXPECT_NE(text, strings.code("outcome", "_default", lang)) << row.textId;
        }
        for (const auto& row : terminal::kFailureReasons) {
            const QString text = strings.code("reason", q(row.textId), lang);
            EXPECT_FALSE(text.isEmpty()) << row.textId;
            EXPECT_NE(text, strings.code("reason", "_default", lang)) << row.textId;
        }
        // A detail without a row of its own shows its reason's text.
        EXPECT_EQ(strings.code("reason", "face-failed:no-face", lang),
                  strings.code("reason", "face-failed", lang));
        EXPECT_NE(strings.code("reason", "face-failed:mismatch", lang),
                  strings.code("reason", "face-failed", lang));
        auto old =
            terminal::readStoredReason("certificate_revoked", terminal::SessionOutcome::kRefused);
        ASSERT_TRUE(old.ok());
        EXPECT_EQ(strings.code("reason", q(terminal::reasonWire(old.value())), lang),
                  strings.code("reason", "qualification-refused:certificate-revoked", lang));
        EXPECT_NE(strings.code("reason", "qualification-refused:certificate-revoked", lang),
                  strings.code("reason", "qualification-refused", lang));
    }
}

}  // namespace
}  // namespace uketsuke::qml
