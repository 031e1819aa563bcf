// Staff sign-in: staff ID and the facility password (the same staff file as 目視), typed on the
// on-screen keyboard (a touch kiosk has no other). The password field is masked and cleared after
// every attempt; the sign-in ends with staff mode (idle, a card placed, or sign-out).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    title: Tr.t("staff_login_title")
    function signIn() {
        page.session.staffSignIn(staffId.text, password.entry)
        password.clear()
        keyboard.target = password
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TextField {
                id: staffId
                objectName: "staffIdField"
                Layout.fillWidth: true
                implicitHeight: Theme.touchTarget
                font.pointSize: Theme.bodyPt
                placeholderText: Tr.t("staff_id")
                Accessible.name: Tr.t("staff_id")
                background: Rectangle { border.width: keyboard.target === staffId ? 4 : 1; border.color: keyboard.target === staffId ? Theme.primary : Theme.border }
                onActiveFocusChanged: if (activeFocus) keyboard.target = staffId
                onAccepted: keyboard.target = password
            }
            SecretField {
                id: password
                objectName: "passwordField"
                Layout.fillWidth: true
                placeholderText: Tr.t("staff_password")
                Accessible.name: Tr.t("staff_password")
                highlighted: keyboard.target === password
                onActiveFocusChanged: if (activeFocus) keyboard.target = password
                onAccepted: page.signIn()
            }
        }
        StaffKeyboard {
            id: keyboard
            objectName: "staffKeyboard"
            Layout.fillWidth: true
            target: staffId
        }
        Item { Layout.fillHeight: true }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            BigButton {
                objectName: "backButton"
                text: Tr.t("back")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.back()
            }
            UkText {
                objectName: "loginMessage"
                Layout.fillWidth: true
                font.pointSize: Theme.smallPt
                color: Theme.danger
                text: page.session.staffAuthMessage === "staff-accepted" ? "" : Tr.code("message", page.session.staffAuthMessage)
            }
            BigButton {
                objectName: "signInButton"
                text: Tr.t("sign_in")
                enabled: staffId.text.length > 0 && password.text.length > 0 && !page.session.busy
                onClicked: page.signIn()
            }
        }
    }
}
