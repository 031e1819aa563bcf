// A masked field for a secret typed by staff — the password (sign-in, 目視) and the card front's
// security code (issue 15). The characters live in a SecretEntry (C++); this item shows only dots
// and never holds the secret as a string. It answers the calls the on-screen keyboard and number
// pad make on a field (text, maximumLength, cursorPosition, insert, remove, clear); a physical
// keyboard types into it too. Hand `entry` to the session (staffSignIn, staffDecision,
// enterCardFront), which takes the bytes and wipes the entry.
import QtQuick
import QtQuick.Controls.Basic
import Uketsuke

FocusScope {
    id: field
    readonly property SecretEntry entry: secret
    // Dots only: one per character typed.
    readonly property string text: secret.masked
    property alias maximumLength: secret.maxLength
    property alias digitsOnly: secret.digitsOnly
    readonly property int cursorPosition: secret.length
    readonly property int echoMode: TextInput.Password
    property string placeholderText: ""
    property bool highlighted: false
    property color textColor: Theme.text
    property color placeholderTextColor: Theme.inkDisabled
    property color fill: Theme.background
    property alias font: shown.font
    signal accepted()

    function insert(position, keys) { secret.type(keys) }
    function remove(start, end) {
        for (let i = start; i < end; ++i)
            secret.backspace()
    }
    function clear() { secret.clear() }

    implicitHeight: Theme.touchTarget
    implicitWidth: 200
    activeFocusOnTab: true
    Accessible.role: Accessible.EditableText
    Accessible.passwordEdit: true

    SecretEntry { id: secret }

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Backspace) {
            secret.backspace()
            event.accepted = true
        } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            field.accepted()
            event.accepted = true
        } else if (event.text.length > 0 && !(event.modifiers & Qt.ControlModifier)) {
            secret.type(event.text)
            event.accepted = true
        }
    }

    Rectangle {
        anchors.fill: parent
        color: field.fill
        border.width: field.highlighted ? 4 : 1
        border.color: field.highlighted ? Theme.primary : Theme.border
    }
    Text {
        id: shown
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pointSize: Theme.bodyPt
        color: secret.length > 0 ? field.textColor : field.placeholderTextColor
        text: secret.length > 0 ? secret.masked : field.placeholderText
    }
    MouseArea {
        anchors.fill: parent
        onClicked: field.forceActiveFocus()
    }
}
