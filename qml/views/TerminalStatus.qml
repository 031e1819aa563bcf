// Terminal status (staff): reader, camera, qualification service, log, and what to do when one
// is down (the advice is in the string table, keyed by the detail code).
import QtQuick
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    title: Tr.t("status_title")
    Component.onCompleted: page.session.refreshStatus()
    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Repeater {
            model: page.session.statusItems
            RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                UkText { Layout.preferredWidth: 330; text: Tr.t("status_" + modelData.id) }
                Rectangle {
                    objectName: "status-" + modelData.id
                    implicitWidth: 120
                    implicitHeight: badge.implicitHeight + 8
                    color: modelData.ok ? Theme.ok : Theme.danger
                    radius: 6
                    UkText {
                        id: badge
                        anchors.centerIn: parent
                        color: "#FFFFFF"
                        text: modelData.ok ? Tr.t("status_ok") : Tr.t("status_down")
                    }
                }
                UkText {
                    Layout.fillWidth: true
                    text: modelData.ok ? "" : Tr.code("status", modelData.detail)
                }
            }
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
                objectName: "refreshButton"
                text: Tr.t("status_refresh")
                onClicked: page.session.refreshStatus()
            }
        }
    }
}
