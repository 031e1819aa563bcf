// The staff station (issue 17 "real help"): a small window on the reception desk's PC listing the
// kiosks that need a clerk, with the reason and since when, newest last. A new call flashes the
// list header (and the station chime sounds, qml/sound/).
import QtQuick
import QtQuick.Layouts
import QtQuick.Window
import Uketsuke

Window {
    id: root
    required property StaffStationModel station
    width: 900
    height: 600
    color: Theme.background
    title: Tr.t("station_title")

    Connections {
        target: root.station
        function onCallArrived(terminal, reason) {
            flash.restart()
            Sound.chime("station_call")
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        Rectangle {
            id: header
            objectName: "stationHeader"
            Layout.fillWidth: true
            implicitHeight: headerText.implicitHeight + 16
            color: root.station.count > 0 ? Theme.warning : Theme.staffHeader
            radius: 8
            UkText {
                id: headerText
                objectName: "stationTitle"
                anchors.fill: parent
                anchors.margins: 8
                font.pointSize: Theme.titlePt
                font.bold: true
                color: root.station.count > 0 ? Theme.inkWarning : Theme.inkPrimary
                text: root.station.count > 0 ? Tr.n("station_calls", root.station.count)
                                             : Tr.t("station_no_calls")
            }
            SequentialAnimation on opacity {
                id: flash
                running: false
                loops: 3
                NumberAnimation { to: 0.3; duration: 200 }
                NumberAnimation { to: 1.0; duration: 200 }
            }
        }
        ListView {
            objectName: "stationCalls"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: root.station
            delegate: Rectangle {
                id: row
                required property string terminal
                required property string reason
                required property string since
                width: ListView.view.width
                implicitHeight: rowText.implicitHeight + 24
                color: row.reason === "card-left-behind" ? Theme.danger : Theme.secondary
                border.color: Theme.border
                radius: 8
                UkText {
                    id: rowText
                    objectName: "call-" + row.terminal + "-" + row.reason
                    anchors.fill: parent
                    anchors.margins: 12
                    color: row.reason === "card-left-behind" ? Theme.inkDanger : Theme.text
                    text: Tr.t("station_row").arg(row.terminal).arg(Tr.code("station_reason", row.reason)).arg(row.since)
                }
            }
        }
        UkText {
            Layout.fillWidth: true
            font.pointSize: Theme.smallPt
            text: root.station.listening ? Tr.t("station_listening").arg(root.station.port)
                                         : Tr.t("station_not_listening")
        }
    }
}
