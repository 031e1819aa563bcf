// A numeric pad for staff entries on a touch kiosk (issue 17: the card-front / 照合番号B entry by
// touch, like the sign-in keyboard): 0-9, delete and "next field". It types into `target` (a
// TextField, or a SecretField whose digits go straight into its SecretEntry) at the end of its
// text. With `dateTarget` the date
// field gets its '-' separators by itself (YYYY-MM-DD from 8 digits). The keys never move.
import QtQuick
import QtQuick.Layouts
import Uketsuke

GridLayout {
    id: pad
    property Item target: null
    property Item dateTarget: null
    signal nextRequested()
    readonly property int keyWidth: Math.round(Theme.touchTarget * 1.8)
    columns: 3
    rowSpacing: 8
    columnSpacing: 8

    function type(digit) {
        if (!pad.target || pad.target.text.length >= pad.target.maximumLength)
            return
        if (pad.target.entry !== undefined) {  // a SecretField: never read back as text
            pad.target.insert(pad.target.cursorPosition, digit)
            if (pad.target.text.length >= pad.target.maximumLength)
                pad.nextRequested()
            return
        }
        let text = pad.target.text
        if (pad.target === pad.dateTarget && (text.length === 4 || text.length === 7))
            text += "-"
        pad.target.text = text + digit
        pad.target.cursorPosition = pad.target.text.length
        if (pad.target.text.length >= pad.target.maximumLength)
            pad.nextRequested()
    }
    function backspace() {
        if (!pad.target || pad.target.text.length === 0)
            return
        if (pad.target.entry !== undefined) {
            pad.target.remove(pad.target.cursorPosition - 1, pad.target.cursorPosition)
            return
        }
        let text = pad.target.text.slice(0, -1)
        if (pad.target === pad.dateTarget && text.endsWith("-"))
            text = text.slice(0, -1)
        pad.target.text = text
        pad.target.cursorPosition = text.length
    }

    Repeater {
        model: [1, 2, 3, 4, 5, 6, 7, 8, 9]
        BigButton {
            required property int modelData
            objectName: "pad-" + modelData
            text: modelData
            Layout.preferredWidth: pad.keyWidth
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: pad.type(String(modelData))
        }
    }
    BigButton {
        objectName: "pad-delete"
        text: Tr.t("key_delete")
        Layout.preferredWidth: pad.keyWidth
        fill: Theme.secondary; ink: Theme.inkSecondary
        onClicked: pad.backspace()
    }
    BigButton {
        objectName: "pad-0"
        text: "0"
        Layout.preferredWidth: pad.keyWidth
        fill: Theme.secondary; ink: Theme.inkSecondary
        onClicked: pad.type("0")
    }
    BigButton {
        objectName: "pad-next"
        text: Tr.t("key_next_field")
        Layout.preferredWidth: pad.keyWidth
        fill: Theme.secondary; ink: Theme.inkSecondary
        onClicked: pad.nextRequested()
    }
}
