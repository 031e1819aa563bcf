// The header of every screen: title, countdown, large-text switch, language switch and "call
// staff". One row; in large-text mode the title has a row of its own above the others (the
// larger buttons would leave it a few characters per line).
import QtQuick
import QtQuick.Layouts
import Uketsuke

GridLayout {
    id: header
    required property SessionModel session
    property string title
    columns: 5
    rowSpacing: Theme.spacing / 2
    columnSpacing: Theme.spacing

    Text {
        objectName: "screenTitle"
        Layout.fillWidth: true
        Layout.columnSpan: Theme.enlarged ? 5 : 1
        text: header.title
        font.family: Theme.fontFamily
        font.pointSize: Theme.titlePt
        font.bold: true
        color: Theme.text
        wrapMode: Text.Wrap
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    Item { Layout.fillWidth: true; visible: Theme.enlarged }  // the buttons to the right
    Countdown { session: header.session }
    // One press: large text, high contrast (Theme.large), until this patient's session ends.
    BigButton {
        objectName: "largeTextButton"
        text: Theme.large ? Tr.t("text_size_normal") : Tr.t("text_size_large")
        fill: Theme.secondary
        ink: Theme.inkSecondary
        onClicked: Theme.large = !Theme.large
    }
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
