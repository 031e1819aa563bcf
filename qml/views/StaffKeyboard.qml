// An on-screen keyboard for staff sign-in and the 目視 password on a touch kiosk (issue 17 "clerk
// tools on touch"): digits, lower-case letters (one-shot shift for capitals), '-' and '.', delete.
// It types into `target` (a TextField; a password field stays masked) and never shows what was
// typed; the keys do not move.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ColumnLayout {
    id: keyboard
    property Item target: null
    property bool shift: false
    readonly property int keyWidth: Math.floor((width - 10 * spacing) / 11)
    spacing: 6

    function type(key) {
        if (!keyboard.target)
            return
        keyboard.target.insert(keyboard.target.cursorPosition, keyboard.shift ? key.toUpperCase() : key)
        keyboard.shift = false
    }
    function backspace() {
        if (!keyboard.target || keyboard.target.text.length === 0)
            return
        const at = keyboard.target.cursorPosition
        if (at > 0)
            keyboard.target.remove(at - 1, at)
    }

    Repeater {
        model: ["1234567890", "qwertyuiop-", "asdfghjkl.", "zxcvbnm"]
        RowLayout {
            required property string modelData
            required property int index
            spacing: keyboard.spacing
            Layout.alignment: Qt.AlignHCenter
            BigButton {
                visible: index === 3
                objectName: index === 3 ? "key-shift" : ""
                text: "⇧"
                Accessible.name: Tr.t("key_shift")
                Layout.preferredWidth: keyboard.keyWidth * 1.5
                fill: keyboard.shift ? Theme.primary : Theme.secondary
                ink: keyboard.shift ? Theme.inkPrimary : Theme.inkSecondary
                onClicked: keyboard.shift = !keyboard.shift
            }
            Repeater {
                model: modelData.split("")
                BigButton {
                    required property string modelData
                    objectName: "key-" + modelData
                    text: keyboard.shift ? modelData.toUpperCase() : modelData
                    Layout.preferredWidth: keyboard.keyWidth
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: keyboard.type(modelData)
                }
            }
            BigButton {
                visible: index === 3
                objectName: index === 3 ? "key-backspace" : ""
                text: Tr.t("key_delete")
                Layout.preferredWidth: keyboard.keyWidth * 2
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: keyboard.backspace()
            }
        }
    }
}
