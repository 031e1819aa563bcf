// Face capture (§3 step 3a): live preview, a guide frame, the face engine's guidance.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("face_title")
    RowLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            Layout.fillHeight: true
            // At most 55 % of the width: the guidance column must stay readable in English too.
            // (45 % in large-text mode: the larger guidance needs the room.)
            Layout.preferredWidth: page.width * (Theme.enlarged ? 0.45 : 0.55)
            color: "#202020"
            border.color: Theme.border
            Image {
                id: preview
                objectName: "livePreview"
                anchors.fill: parent
                anchors.margins: 2
                fillMode: Image.PreserveAspectFit
                cache: false
                asynchronous: false
                source: page.session.cameraAvailable ? "image://uketsuke/live/" + page.session.previewRevision : ""
            }
            // The face guide: where the face should be.
            Rectangle {
                objectName: "faceGuide"
                anchors.centerIn: parent
                width: parent.height * 0.45
                height: parent.height * 0.62
                radius: width / 2
                color: "transparent"
                border.width: 6
                border.color: page.session.faceGuidance === "none" ? "#00E676" : Theme.warning
            }
            UkText {
                anchors.centerIn: parent
                width: parent.width - 40
                horizontalAlignment: Text.AlignHCenter
                color: "#FFFFFF"
                visible: !page.session.cameraAvailable
                text: Tr.t("face_no_camera")
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            UkText { Layout.fillWidth: true; text: Tr.t("face_body") }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: guidance.implicitHeight + 24
                visible: guidance.text.length > 0
                color: Theme.warning
                border.color: Theme.border
                radius: 8
                UkText {
                    id: guidance
                    objectName: "guidanceText"
                    anchors.fill: parent
                    anchors.margins: 12
                    font.bold: true
                    color: Theme.inkWarning
                    text: Tr.code("guidance", page.session.faceGuidance)
                }
            }
            UkText {
                objectName: "faceMessage"
                Layout.fillWidth: true
                text: page.session.faceAttempts > 0 ? Tr.code("message", page.session.message) : ""
            }
            UkText {
                Layout.fillWidth: true
                text: Tr.t("face_attempt").arg(page.session.faceAttempts + 1)
            }
            Item { Layout.fillHeight: true }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                BigButton {
                    objectName: "cancelButton"
                    text: Tr.t("cancel")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.session.cancel()
                }
                BigButton {
                    objectName: "otherMethodButton"
                    Layout.fillWidth: true
                    text: Tr.t("other_method")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.session.chooseAnotherMethod()
                }
            }
        }
    }
}
