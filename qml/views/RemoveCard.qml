// "Please take your card" (§3 step 11), with the alarm when the card is left behind.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("remove_card_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
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
