// PIN entry (§3 step 3b): masked digits, tries left, a strong warning before the last try, and a
// fixed keypad (the digits never move, so patients can rely on position). The digits go to the
// model one by one; the PIN never exists as a QML string.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("pin_title")
    RowLayout {
        anchors.fill: parent
        spacing: Theme.spacing * 2
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
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
                        width: 72; height: 88
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
                Layout.fillWidth: true
                visible: page.session.pinTriesLeft >= 0
                text: Tr.t("pin_tries_left").arg(page.session.pinTriesLeft)
            }
            UkText {
                objectName: "pinMessage"
                Layout.fillWidth: true
                color: Theme.danger
                text: Tr.code("message", page.session.message)
            }
            Rectangle {
                objectName: "lastTryWarning"
                Layout.fillWidth: true
                visible: page.session.lastTryWarning
                implicitHeight: warning.implicitHeight + 32
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
            Item { Layout.fillHeight: true }
            BigButton {
                objectName: "cancelButton"
                text: Tr.t("cancel")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.cancel()
            }
        }
        GridLayout {
            objectName: "keypad"
            Layout.alignment: Qt.AlignTop
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
                    Layout.preferredWidth: Theme.touchTarget * 1.7
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.session.pinDigit(modelData)
                }
            }
            BigButton {
                objectName: "deleteButton"
                text: Tr.t("pin_delete")
                Layout.preferredWidth: Theme.touchTarget * 1.7
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.pinBackspace()
            }
            BigButton {
                objectName: "digit0"
                text: "0"
                Accessible.name: Tr.t("pin_digit").arg(0)
                Layout.preferredWidth: Theme.touchTarget * 1.7
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.pinDigit(0)
            }
            BigButton {
                objectName: "submitButton"
                text: page.session.lastTryWarning ? Tr.t("pin_confirm_last_try") : Tr.t("pin_submit")
                Layout.preferredWidth: Theme.touchTarget * 1.7
                enabled: page.session.pinLength === page.session.pinMaxLength && !page.session.busy
                // After the warning the patient's explicit press is the last-try confirmation.
                onClicked: page.session.pinSubmit(page.session.lastTryWarning)
            }
        }
    }
}
