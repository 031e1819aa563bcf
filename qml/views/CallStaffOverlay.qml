// "Call staff": reachable from every screen (the header button); staff can open their menu here.
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: overlay
    required property SessionModel session
    signal staffMenuRequested()
    color: "#CC000000"
    MouseArea { anchors.fill: parent }  // the screen below is not touchable meanwhile
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 900)
        height: box.implicitHeight + 2 * Theme.margin
        color: Theme.background
        radius: 16
        border.color: Theme.border; border.width: 4
        ColumnLayout {
            id: box
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.spacing
            UkText {
                objectName: "staffCalledTitle"
                Layout.fillWidth: true
                font.pointSize: Theme.titlePt
                font.bold: true
                text: Tr.t("staff_called_title")
            }
            UkText { Layout.fillWidth: true; text: Tr.t("staff_called_body") }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                BigButton {
                    objectName: "staffMenuButton"
                    text: Tr.t("staff_menu_open")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: overlay.staffMenuRequested()
                }
                Item { Layout.fillWidth: true }
                BigButton {
                    objectName: "closeButton"
                    text: Tr.t("close")
                    onClicked: overlay.session.dismissStaffCall()
                }
            }
        }
    }
}
