// The header of every screen: title, countdown, language switch and "call staff".
import QtQuick
import QtQuick.Layouts
import Uketsuke

RowLayout {
    id: header
    required property SessionModel session
    property string title
    spacing: Theme.spacing

    Text {
        objectName: "screenTitle"
        Layout.fillWidth: true
        text: header.title
        font.family: Theme.fontFamily
        font.pointSize: Theme.titlePt
        font.bold: true
        color: Theme.text
        wrapMode: Text.Wrap
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    Countdown { session: header.session }
    BigButton {
        objectName: "languageButton"
        text: Tr.t("language_switch")
        fill: Theme.secondary
        ink: Theme.inkSecondary
        onClicked: Str.toggleLanguage()
    }
    BigButton {
        objectName: "callStaffButton"
        text: Tr.t("call_staff")
        fill: Theme.warning
        ink: Theme.inkWarning
        onClicked: header.session.callStaff()
    }
}
