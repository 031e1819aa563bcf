// "Please take your card" (§3 step 11), with the alarm when the card is left behind. The screen
// says how the session ended and what to do next (issue 17 "honest endings"): checked in, not
// possible, stopped by the patient, or stopped because no one answered in time.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("remove_card_title")
    readonly property string ending: page.session.ending.length > 0 ? page.session.ending : "cancelled"
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            objectName: "endingBox"
            Layout.fillWidth: true
            implicitHeight: endingColumn.implicitHeight + 32
            color: page.ending === "confirmed" ? Theme.ok : Theme.secondary
            radius: 12
            border.color: Theme.border
            ColumnLayout {
                id: endingColumn
                anchors.fill: parent
                anchors.margins: 16
                spacing: 8
                UkText {
                    objectName: "endingTitle"
                    Layout.fillWidth: true
                    font.pointSize: Theme.titlePt
                    font.bold: true
                    color: page.ending === "confirmed" ? Theme.inkPrimary : Theme.text
                    text: Tr.code("ending_title", page.ending)
                }
                UkText {
                    objectName: "endingNext"
                    Layout.fillWidth: true
                    color: page.ending === "confirmed" ? Theme.inkPrimary : Theme.text
                    text: Tr.code("ending_next", page.ending)
                }
            }
        }
        UkText { Layout.fillWidth: true; text: Tr.t("remove_card_body") }
        Rectangle {
            id: alarm
            objectName: "leftBehindAlarm"
            Layout.fillWidth: true
            visible: page.session.cardLeftBehindAlarm
            implicitHeight: alarmText.implicitHeight + 48
            color: Theme.danger
            radius: 12
            Accessible.role: Accessible.AlertMessage
            Accessible.name: alarmText.text
            UkText {
                id: alarmText
                anchors.fill: parent
                anchors.margins: 24
                font.pointSize: Theme.titlePt
                font.bold: true
                color: Theme.inkDanger
                text: Tr.t("remove_card_alarm")
            }
            SequentialAnimation on opacity {
                running: alarm.visible
                loops: Animation.Infinite
                NumberAnimation { to: 0.35; duration: 500 }
                NumberAnimation { to: 1.0; duration: 500 }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
