// PIN entry (§3 step 3b): masked digits, tries left, a strong warning before the last try, and a
// fixed keypad (the digits never move, so patients can rely on position). The digits go to the
// model one by one; the PIN never exists as a QML string.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("pin_title")
    // Info left, keypad right, the ways out below both; in large-text mode the ways out go under
    // the keypad (the larger texts need the left column's full height).
    GridLayout {
    id: grid
    readonly property bool large: Theme.enlarged
    anchors.fill: parent
    columns: 2
    rowSpacing: Theme.spacing
    columnSpacing: Theme.spacing * 2
        // A positioner, not a layout: each box is as tall as its wrapped text at this width.
        Column {
            id: info
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.row: 0
            Layout.column: 0
            Layout.rowSpan: grid.large ? 2 : 1
            spacing: Theme.spacing
            Row {
                objectName: "pinDots"
                spacing: 16
                Accessible.role: Accessible.StaticText
                Accessible.name: Tr.t("pin_entered").arg(page.session.pinLength)
                Repeater {
                    model: page.session.pinMaxLength
                    Rectangle {
                        required property int index
                        width: 72; height: grid.large ? 72 : 88
                        radius: 8
                        color: Theme.background
                        border.color: Theme.border; border.width: 3
                        Rectangle {
                            anchors.centerIn: parent
                            width: 28; height: 28; radius: 14
                            color: Theme.text
                            visible: index < page.session.pinLength
                        }
                    }
                }
            }
            UkText {
                objectName: "triesText"
                width: info.width
                visible: page.session.pinTriesLeft >= 0
                text: Tr.n("pin_tries_left", page.session.pinTriesLeft)
            }
            // After the camera gave up: say why the kiosk moved to the PIN pad.
            Rectangle {
                width: info.width
                visible: whyPin.text.length > 0
                height: whyPin.contentHeight + 16
                color: Theme.secondary
                radius: 8
                UkText {
                    id: whyPin
                    objectName: "whyPinText"
                    anchors.fill: parent
                    anchors.margins: 8
                    text: Tr.code("why_pin", page.session.message)
                }
            }
            UkText {
                objectName: "pinMessage"
                width: info.width
                color: Theme.danger
                visible: text.length > 0 && !page.session.message.startsWith("face-")
                text: Tr.code("message", page.session.message)
            }
            Rectangle {
                objectName: "lastTryWarning"
                width: info.width
                visible: page.session.lastTryWarning
                height: warning.contentHeight + 32
                color: Theme.warning
                border.color: Theme.border; border.width: 4
                radius: 8
                UkText {
                    id: warning
                    anchors.fill: parent
                    anchors.margins: 16
                    font.bold: true
                    color: Theme.inkWarning
                    text: Tr.t("pin_last_try_warning")
                }
            }
        }
        GridLayout {
            id: keypadGrid
            objectName: "keypad"
            Layout.alignment: Qt.AlignTop
            Layout.row: 0
            Layout.column: 1
            columns: 3
            rowSpacing: 12
            columnSpacing: 12
            Repeater {
                model: [1, 2, 3, 4, 5, 6, 7, 8, 9]
                BigButton {
                    required property int modelData
                    objectName: "digit" + modelData
                    text: modelData
                    Accessible.name: Tr.t("pin_digit").arg(modelData)
                    Layout.preferredWidth: Theme.touchTarget * (grid.large ? 2 : 1.7)
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.session.pinDigit(modelData)
                }
            }
            BigButton {
                objectName: "deleteButton"
                text: Tr.t("pin_delete")
                Layout.preferredWidth: Theme.touchTarget * (grid.large ? 2 : 1.7)
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.pinBackspace()
            }
            BigButton {
                objectName: "digit0"
                text: "0"
                Accessible.name: Tr.t("pin_digit").arg(0)
                Layout.preferredWidth: Theme.touchTarget * (grid.large ? 2 : 1.7)
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.pinDigit(0)
            }
            Item { visible: !grid.large; Layout.preferredWidth: Theme.touchTarget * 1.7 }
            // Large text: "cancel" takes the free key (the row below keeps one button, one line).
            BigButton {
                objectName: "padCancelButton"
                visible: grid.large
                text: Tr.t("cancel")
                Layout.preferredWidth: Theme.touchTarget * 2
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.cancel()
            }
            // Its own row, the keypad's full width: room for the last-try confirmation text.
            BigButton {
                objectName: "submitButton"
                text: page.session.lastTryWarning ? Tr.t("pin_confirm_last_try") : Tr.t("pin_submit")
                Layout.columnSpan: 3
                Layout.fillWidth: true
                enabled: page.session.pinLength === page.session.pinMaxLength && !page.session.busy
                // After the warning the patient's explicit press is the last-try confirmation.
                onClicked: page.session.pinSubmit(page.session.lastTryWarning)
            }
        }
    // The ways out, apart from the digits.
    RowLayout {
        Layout.fillWidth: true
        Layout.row: 1
        Layout.column: grid.large ? 1 : 0
        Layout.columnSpan: grid.large ? 1 : 2
        Layout.alignment: Qt.AlignBottom
        // (large: as wide as the keypad, the labels wrap rather than widen the column)
        Layout.maximumWidth: grid.large ? keypadGrid.width : Number.POSITIVE_INFINITY
        spacing: Theme.spacing
        BigButton {
            objectName: "cancelButton"
            visible: !grid.large
            text: Tr.t("cancel")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.session.cancel()
        }
        BigButton {
            objectName: "otherMethodButton"
            Layout.fillWidth: grid.large
            text: Tr.t("other_method")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.session.chooseAnotherMethod()
        }
        Item { Layout.fillWidth: true; visible: !grid.large }
    }
    }
}
