// The QML state enum against the session's (issue 15): SessionModel::State, which the screens
// compare with (SessionModel.FaceCapture), must hold every terminal::SessionState with the same
// value (a static_assert in session_model.h) and the same name (this test, through Qt's meta
// object: what QML itself sees), followed by the bridge's own start-up states.
#include <gtest/gtest.h>

#include <QMetaEnum>
#include <string>

#include "qml/bridge/session_model.h"
#include "terminal/session/session_state.h"

namespace uketsuke::qml {
namespace {

// "showing-result" -> "ShowingResult"
std::string camel(std::string_view kebab) {
    std::string out;
    bool upper = true;
    for (char c : kebab) {
        if (c == '-') {
            upper = true;
            continue;
        }
        out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        upper = false;
    }
    return out;
}

TEST(SessionStateEnum, QmlNamesAndValuesMatchTheSessionStates) {
    const QMetaEnum e = QMetaEnum::fromType<SessionModel::State>();
    using S = terminal::SessionState;
    const int sessionStates = static_cast<int>(S::kRemoveCard) + 1;
    ASSERT_EQ(e.keyCount(), sessionStates + 2);  // + Starting, Unavailable
    for (int i = 0; i < sessionStates; ++i) {
        const auto state = static_cast<S>(i);
        const char* key = e.valueToKey(SessionModel::stateOf(state));
        ASSERT_NE(key, nullptr) << terminal::toString(state);
        EXPECT_EQ(std::string(key), camel(terminal::toString(state)));
        EXPECT_EQ(e.keyToValue(key), i) << key;
    }
    EXPECT_EQ(e.keyToValue("Starting"), sessionStates);
    EXPECT_EQ(e.keyToValue("Unavailable"), sessionStates + 1);
}

}  // namespace
}  // namespace uketsuke::qml
