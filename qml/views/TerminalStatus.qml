// Terminal status (staff): reader, camera, qualification service, log, and what to do when one
// is down (the advice is in the string table, keyed by the detail code). "Full check" runs
// `uketsuke doctor`'s checks off the GUI thread (session.doctor) and lists each with its verdict.
import QtQuick
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    title: Tr.t("status_title")
    readonly property DoctorModel doctor: page.session.doctor
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
        // The full check (issue 16): every doctor check, kept until the next run.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            visible: page.doctor !== null && (page.doctor.running || page.doctor.hasResult)
            UkText {
                objectName: "doctorRunning"
                visible: page.doctor !== null && page.doctor.running
                text: Tr.t("doctor_running")
                font.pointSize: Theme.smallPt
            }
            UkText {
                objectName: "doctorSummary"
                visible: page.doctor !== null && !page.doctor.running && page.doctor.hasResult
                text: page.doctor ? Tr.t("doctor_summary").arg(page.doctor.failCount)
                                                          .arg(page.doctor.warnCount) : ""
                font.pointSize: Theme.smallPt
            }
            UkText {
                objectName: "doctorCameraNote"
                Layout.fillWidth: true
                text: Tr.t("doctor_camera_note")
                font.pointSize: Theme.smallPt
            }
        }
        ListView {
            id: doctorList
            objectName: "doctorList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            model: page.doctor ? page.doctor.checks : []
            delegate: RowLayout {
                id: checkRow
                required property var modelData
                required property int index
                objectName: "doctor-" + modelData.name
                readonly property string statusText: Tr.t("doctor_" + modelData.status)
                readonly property string nameText: Tr.code("doctor", modelData.name)
                width: doctorList.width
                spacing: Theme.spacing
                UkText {
                    objectName: "doctorName"
                    Layout.preferredWidth: 330
                    text: checkRow.nameText
                    font.pointSize: Theme.smallPt
                }
                Rectangle {
                    objectName: "doctorBadge"
                    implicitWidth: 120
                    implicitHeight: doctorBadgeText.implicitHeight + 4
                    radius: 6
                    color: checkRow.modelData.status === "ok" ? Theme.ok
                         : checkRow.modelData.status === "warn" ? Theme.warning : Theme.danger
                    UkText {
                        id: doctorBadgeText
                        anchors.centerIn: parent
                        font.pointSize: Theme.smallPt
                        color: checkRow.modelData.status === "warn" ? Theme.inkWarning : "#FFFFFF"
                        text: checkRow.statusText
                    }
                }
                UkText {
                    objectName: "doctorDetail"
                    Layout.fillWidth: true
                    text: checkRow.modelData.detail
                    font.pointSize: Theme.smallPt
                    wrapMode: Text.NoWrap
                    elide: Text.ElideRight
                }
            }
        }
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
                objectName: "doctorButton"
                visible: page.doctor !== null
                enabled: page.doctor !== null && !page.doctor.running
                text: Tr.t("doctor_run")
                onClicked: page.doctor.run()
            }
            BigButton {
                objectName: "refreshButton"
                text: Tr.t("status_refresh")
                onClicked: page.session.refreshStatus()
            }
        }
    }
}
