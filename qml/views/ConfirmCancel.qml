// "Do you really want to stop?" once identity is verified (issue 17): stopping now throws the
// verification away — for a 目視 check, the clerk's approval too — so the patient confirms first.
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: dialog
    required property SessionModel session
    visible: false
    color: "#CC000000"
    function open() { dialog.visible = true }
    function close() { dialog.visible = false }
    MouseArea { anchors.fill: parent }
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 1000)
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
                objectName: "confirmCancelTitle"
                Layout.fillWidth: true
                font.pointSize: Theme.titlePt
                font.bold: true
                text: Tr.t("confirm_cancel_title")
            }
            UkText {
                objectName: "confirmCancelBody"
                Layout.fillWidth: true
                text: dialog.session.verifiedMethod === "staff" ? Tr.t("confirm_cancel_body_staff")
                                                                : Tr.t("confirm_cancel_body")
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                BigButton {
                    objectName: "confirmCancelYes"
                    text: Tr.t("confirm_cancel_yes")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: { dialog.close(); dialog.session.cancel() }
                }
                Item { Layout.fillWidth: true }
                BigButton {
                    objectName: "confirmCancelNo"
                    text: Tr.t("confirm_cancel_no")
                    onClicked: dialog.close()
                }
            }
        }
    }
}
