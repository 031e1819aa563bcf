// What every QML test engine gets (tests/qml): the Basic style, the FakeSession type under
// "Uketsuke.Testing 1.0", and an image provider with a synthetic camera picture and chip photo.
#pragma once

#include <QQmlEngine>

namespace uketsuke::qml::testing {

// Once per process, before the first engine.
void registerTestTypes();
// Per engine.
void setUpEngine(QQmlEngine& engine);

}  // namespace uketsuke::qml::testing
