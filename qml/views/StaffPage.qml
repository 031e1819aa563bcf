// The frame of every staff screen (issue 17 "staff mode separate from patient mode"): a dark staff
// header with the title, the time left before the automatic sign-out and the sign-out button; no
// patient header (no countdown of the patient's session, no language or call-staff button).
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: page
    required property SessionModel session
    property string title
    default property alias content: body.data
    color: Theme.background

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        Rectangle {
            objectName: "staffHeader"
            Layout.fillWidth: true
            implicitHeight: headerRow.implicitHeight + 16
            color: Theme.staffHeader
            radius: 8
            RowLayout {
                id: headerRow
                anchors.fill: parent
                anchors.margins: 8
                spacing: Theme.spacing
                Text {
                    objectName: "staffTitle"
                    Layout.fillWidth: true
                    text: page.title
                    font.family: Theme.fontFamily
                    font.pointSize: Theme.titlePt
                    font.bold: true
                    color: Theme.inkPrimary
                    wrapMode: Text.Wrap
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                }
                // Fixed width (the widest text), like the patient countdown.
                Item {
                    implicitWidth: Math.ceil(widest.advanceWidth) + 16
                    implicitHeight: staffCountdown.implicitHeight
                    TextMetrics {
                        id: widest
                        font: staffCountdown.font
                        text: Tr.t("staff_time_left").arg(888)
                    }
                    Text {
                        id: staffCountdown
                        objectName: "staffCountdown"
                        anchors.centerIn: parent
                        visible: page.session.staffTimeLeftSeconds >= 0
                        text: Tr.t("staff_time_left").arg(page.session.staffTimeLeftSeconds)
                        font.family: Theme.fontFamily
                        font.pointSize: Theme.smallPt
                        color: Theme.inkPrimary
                    }
                }
                BigButton {
                    objectName: "staffSignOutButton"
                    text: Tr.t("staff_leave")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.session.leaveStaffMode("signed-out")
                }
            }
        }
        Item {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }
}
