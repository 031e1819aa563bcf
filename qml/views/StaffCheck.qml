// 目視 (§3 step 3c): staff authenticate with their ID and the facility's 目視 password, compare
// the chip photo with the live camera side by side, and approve or reject with a reason.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("staff_check_title")
    property string reason: ""

    function decide(approve) {
        page.session.staffDecision(staffId.text, password.text, approve, approve ? "" : page.reason)
        password.clear()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText { Layout.fillWidth: true; text: Tr.t("staff_check_patient") }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            // Photos side by side.
            Repeater {
                model: [
                    { key: "chip_photo", chip: true },
                    { key: "live_camera", chip: false }
                ]
                ColumnLayout {
                    required property var modelData
                    Layout.fillHeight: true
                    Layout.preferredWidth: 250
                    UkText { Layout.fillWidth: true; text: Tr.t(modelData.key) }
                    Rectangle {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        color: "#202020"
                        border.color: Theme.border
                        Image {
                            objectName: modelData.chip ? "chipPhoto" : "liveCapture"
                            anchors.fill: parent
                            anchors.margins: 2
                            fillMode: Image.PreserveAspectFit
                            cache: false
                            source: modelData.chip
                                    ? (page.session.chipPhotoAvailable ? "image://uketsuke/chip/" + page.session.chipPhotoRevision : "")
                                    : (page.session.cameraAvailable ? "image://uketsuke/live/" + page.session.previewRevision : "")
                        }
                        UkText {
                            anchors.centerIn: parent
                            width: parent.width - 24
                            horizontalAlignment: Text.AlignHCenter
                            color: "#FFFFFF"
                            visible: modelData.chip && !page.session.chipPhotoAvailable
                            text: Tr.t("chip_photo_none")
                        }
                    }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.minimumWidth: 660
                Layout.fillHeight: true
                spacing: 8
                TextField {
                    id: staffId
                    objectName: "staffIdField"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    font.pointSize: Theme.bodyPt
                    placeholderText: Tr.t("staff_id")
                    Accessible.name: Tr.t("staff_id")
                }
                TextField {
                    id: password
                    objectName: "passwordField"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    font.pointSize: Theme.bodyPt
                    echoMode: TextInput.Password
                    placeholderText: Tr.t("staff_password")
                    Accessible.name: Tr.t("staff_password")
                }
                UkText { Layout.fillWidth: true; text: Tr.t("reject_reason") }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    Repeater {
                        model: ["face-differs", "card-damaged", "other"]
                        BigButton {
                            required property string modelData
                            objectName: "reason-" + modelData
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                            // Room for two lines: the three reasons share one row.
                            Layout.preferredHeight: Theme.touchTarget * 1.25
                            text: Tr.t("reason_" + modelData.replace("-", "_"))
                            checkable: true
                            checked: page.reason === modelData
                            fill: checked ? Theme.primary : Theme.secondary
                            ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                            onClicked: page.reason = modelData
                        }
                    }
                }
                UkText {
                    objectName: "staffMessage"
                    Layout.fillWidth: true
                    color: Theme.danger
                    text: page.session.staffAuthMessage === "staff-accepted" ? "" : Tr.code("message", page.session.staffAuthMessage)
                }
                Item { Layout.fillHeight: true }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    BigButton {
                        objectName: "approveButton"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        text: Tr.t("approve")
                        fill: Theme.ok
                        enabled: staffId.text.length > 0 && password.text.length > 0 && !page.session.busy
                        onClicked: page.decide(true)
                    }
                    BigButton {
                        objectName: "rejectButton"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        text: Tr.t("reject")
                        fill: Theme.danger
                        enabled: staffId.text.length > 0 && password.text.length > 0 && page.reason.length > 0 && !page.session.busy
                        onClicked: page.decide(false)
                    }
                }
            }
        }
    }
}
