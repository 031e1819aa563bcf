// 目視 (§3 step 3c; issue 17 "clerk tools on touch"): the chip photo and the live camera large and
// side by side, with the reminder to compare them with the photo printed on the card; the clerk
// decides (approve, or reject with a reason) and then proves who they are — staff ID and the
// facility's 目視 password — on a masked on-screen keyboard. The patient sees why the kiosk moved
// to a staff check. This state runs on its own, longer timeout (SessionConfig.staffCheckTimeout).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("staff_check_title")
    property string reason: ""
    // "approve" / "reject" while the credential pad is open, "" otherwise.
    property string pending: ""

    function decide() {
        page.session.staffDecision(staffId.text, password.entry, page.pending === "approve",
                                   page.pending === "approve" ? "" : page.reason)
        password.clear()
    }
    // An accepted staff check moves the session on; a refused one keeps the pad open with why.
    Connections {
        target: page.session
        function onChanged() {
            if (page.session.staffAuthMessage === "staff-accepted")
                page.pending = ""
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        UkText {
            objectName: "staffCheckPatient"
            Layout.fillWidth: true
            text: {
                const why = Tr.code("why_staff", page.session.message)
                return why.length > 0 ? why + " " + Tr.t("staff_check_patient") : Tr.t("staff_check_patient")
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            Repeater {
                model: [
                    { key: "chip_photo", chip: true },
                    { key: "live_camera", chip: false }
                ]
                ColumnLayout {
                    required property var modelData
                    Layout.fillHeight: true
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    spacing: 4
                    UkText { Layout.fillWidth: true; font.bold: true; text: Tr.t(modelData.key) }
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
        }
        UkText {
            objectName: "compareHint"
            Layout.fillWidth: true
            font.bold: true
            text: Tr.t("staff_check_hint")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            UkText { text: Tr.t("reject_reason"); font.pointSize: Theme.smallPt }
            Repeater {
                model: ["face-differs", "card-damaged", "other"]
                BigButton {
                    required property string modelData
                    objectName: "reason-" + modelData
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: Math.max(Theme.touchTarget * 1.25, implicitHeight)
                    text: (checked ? "✓ " : "") + Tr.t("reason_" + modelData.replace("-", "_"))
                    checkable: true
                    checked: page.reason === modelData
                    fill: checked ? Theme.primary : Theme.secondary
                    ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                    onClicked: page.reason = modelData
                }
            }
            BigButton {
                objectName: "approveButton"
                Layout.fillWidth: true
                Layout.preferredWidth: 1.3
                Layout.preferredHeight: Math.max(Theme.touchTarget * 1.25, implicitHeight)
                text: Tr.t("approve")
                fill: Theme.ok
                enabled: !page.session.busy
                onClicked: page.pending = "approve"
            }
            BigButton {
                objectName: "rejectButton"
                Layout.fillWidth: true
                Layout.preferredWidth: 1.3
                Layout.preferredHeight: Math.max(Theme.touchTarget * 1.25, implicitHeight)
                text: Tr.t("reject")
                fill: Theme.danger
                enabled: page.reason.length > 0 && !page.session.busy
                onClicked: page.pending = "reject"
            }
        }
    }

    // The credential pad: above the photos and the patient header once the clerk has decided
    // (the clerk's task: the whole screen for the keyboard, in either text size).
    Rectangle {
        id: pad
        objectName: "credentialPad"
        parent: page
        anchors.fill: parent
        z: 10
        visible: page.pending.length > 0
        color: Theme.background
        MouseArea { anchors.fill: parent }
        ColumnLayout {
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.spacing
            UkText {
                objectName: "credentialTitle"
                Layout.fillWidth: true
                font.bold: true
                text: page.pending === "approve" ? Tr.t("staff_credentials_approve")
                                                 : Tr.t("staff_credentials_reject").arg(Tr.t("reason_" + page.reason.replace("-", "_")))
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                TextField {
                    id: staffId
                    objectName: "staffIdField"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    font.pointSize: Theme.bodyPt
                    placeholderText: Tr.t("staff_id")
                    Accessible.name: Tr.t("staff_id")
                    color: Theme.text
                    placeholderTextColor: Theme.inkDisabled
                    background: Rectangle { color: Theme.background; border.width: keyboard.target === staffId ? 4 : 1; border.color: keyboard.target === staffId ? Theme.primary : Theme.border }
                    onActiveFocusChanged: if (activeFocus) keyboard.target = staffId
                }
                SecretField {
                    id: password
                    objectName: "passwordField"
                    Layout.fillWidth: true
                    placeholderText: Tr.t("staff_password")
                    Accessible.name: Tr.t("staff_password")
                    highlighted: keyboard.target === password
                    onActiveFocusChanged: if (activeFocus) keyboard.target = password
                }
            }
            StaffKeyboard {
                id: keyboard
                objectName: "staffKeyboard"
                Layout.fillWidth: true
                target: staffId
            }
            Item { Layout.fillHeight: true }
            RowLayout {
                Layout.fillWidth: true
                // Re-laid once the pad is open (Qt 6.4 may keep a button's height from before).
                id: padButtons
                property real nudge: 0
                spacing: Theme.spacing + nudge
                Timer {
                    id: relayout
                    interval: 50
                    onTriggered: padButtons.nudge = padButtons.nudge ? 0 : 0.01
                }
                Connections {
                    target: pad
                    function onVisibleChanged() { relayout.restart() }
                }
                BigButton {
                    objectName: "padBackButton"
                    text: Tr.t("back")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: { password.clear(); page.pending = "" }
                }
                UkText {
                    objectName: "staffMessage"
                    Layout.fillWidth: true
                    font.pointSize: Theme.smallPt
                    color: Theme.danger
                    text: page.session.staffAuthMessage === "staff-accepted" ? "" : Tr.code("message", page.session.staffAuthMessage)
                }
                BigButton {
                    objectName: "confirmDecisionButton"
                    text: page.pending === "approve" ? Tr.t("approve") : Tr.t("reject")
                    fill: page.pending === "approve" ? Theme.ok : Theme.danger
                    enabled: staffId.text.length > 0 && password.text.length > 0 && !page.session.busy
                    onClicked: page.decide()
                }
            }
        }
    }
}
