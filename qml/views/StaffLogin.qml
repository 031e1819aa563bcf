// Staff sign-in: staff ID and the facility password (the same staff file as 目視).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    signal back()
    title: Tr.t("staff_login_title")
    function signIn() {
        page.session.staffSignIn(staffId.text, password.text)
        password.clear()
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        TextField {
            id: staffId
            objectName: "staffIdField"
            Layout.preferredWidth: 600
            implicitHeight: Theme.touchTarget
            font.pointSize: Theme.bodyPt
            placeholderText: Tr.t("staff_id")
            Accessible.name: Tr.t("staff_id")
        }
        TextField {
            id: password
            objectName: "passwordField"
            Layout.preferredWidth: 600
            implicitHeight: Theme.touchTarget
            font.pointSize: Theme.bodyPt
            echoMode: TextInput.Password
            placeholderText: Tr.t("staff_password")
            Accessible.name: Tr.t("staff_password")
            onAccepted: page.signIn()
        }
        UkText {
            objectName: "loginMessage"
            Layout.fillWidth: true
            color: Theme.danger
            text: page.session.staffAuthMessage === "staff-accepted" ? "" : Tr.code("message", page.session.staffAuthMessage)
        }
        Item { Layout.fillHeight: true }
        RowLayout {
            Layout.fillWidth: true
            BigButton {
                objectName: "backButton"
                text: Tr.t("back")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.back()
            }
            Item { Layout.fillWidth: true }
            BigButton {
                objectName: "signInButton"
                text: Tr.t("sign_in")
                enabled: staffId.text.length > 0 && password.text.length > 0 && !page.session.busy
                onClicked: page.signIn()
            }
        }
    }
}
