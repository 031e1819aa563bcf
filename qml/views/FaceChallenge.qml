// The active liveness challenge (issue 13 item 3): the live preview, "keep looking at the camera"
// until the random moment, then the one action asked (turn the head left or right, blink twice)
// with a simple animation of a face doing it and the seconds left to answer. The session decides
// from the camera; this screen only shows what is asked.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("challenge_title")
    readonly property string action: page.session.challengeAction
    readonly property bool prompted: page.session.challengePrompted && action.length > 0

    RowLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: page.width * 0.5
            color: "#202020"
            border.color: Theme.border
            Image {
                objectName: "livePreview"
                anchors.fill: parent
                anchors.margins: 2
                fillMode: Image.PreserveAspectFit
                cache: false
                source: page.session.cameraAvailable ? "image://uketsuke/live/" + page.session.previewRevision : ""
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
            Rectangle {
                objectName: "challengePrompt"
                Layout.fillWidth: true
                implicitHeight: promptText.implicitHeight + 32
                color: page.prompted ? Theme.primary : Theme.secondary
                border.color: Theme.border
                radius: 8
                UkText {
                    id: promptText
                    objectName: "challengePromptText"
                    anchors.fill: parent
                    anchors.margins: 16
                    font.bold: true
                    font.pointSize: Theme.titlePt
                    color: page.prompted ? Theme.inkPrimary : Theme.text
                    text: page.prompted ? Tr.t("challenge_" + page.action.replace(/-/g, "_"))
                                        : Tr.t("challenge_wait")
                }
            }
            // The animation: a face that does what is asked, as the patient sees themselves.
            Item {
                id: anim
                objectName: "challengeAnimation"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: 160
                visible: page.prompted
                property real turn: 0      // -1 .. 1: the head's turn (negative = to the left)
                property real lid: 0       // 0 open .. 1 closed
                Rectangle {
                    id: head
                    anchors.centerIn: parent
                    width: Math.min(parent.width, parent.height) * 0.55
                    height: width * 1.25
                    radius: width / 2
                    color: "#F5D6B8"
                    border.color: Theme.border
                    border.width: 3
                    transform: Scale { origin.x: head.width / 2; xScale: 1 - Math.abs(anim.turn) * 0.25 }
                    Repeater {
                        model: [-1, 1]
                        Rectangle {
                            required property int modelData
                            width: head.width * 0.16
                            height: Math.max(3, width * 0.6 * (1 - anim.lid))
                            radius: width / 2
                            color: "#202020"
                            x: head.width / 2 + modelData * head.width * 0.2 - width / 2 + anim.turn * head.width * 0.22
                            y: head.height * 0.38
                        }
                    }
                    Rectangle {  // nose
                        width: head.width * 0.08
                        height: head.height * 0.16
                        radius: width / 2
                        color: "#D9A982"
                        x: head.width / 2 - width / 2 + anim.turn * head.width * 0.3
                        y: head.height * 0.48
                    }
                }
                // One animation per direction (a running animation keeps the target it started
                // with): the one asked runs, the other stops.
                Repeater {
                    model: [{ action: "turn-left", to: -1 }, { action: "turn-right", to: 1 }]
                    Item {
                        required property var modelData
                        SequentialAnimation {
                            running: anim.visible && page.action === modelData.action
                            loops: Animation.Infinite
                            NumberAnimation {
                                target: anim; property: "turn"; from: 0; to: modelData.to
                                duration: 900; easing.type: Easing.InOutQuad
                            }
                            PauseAnimation { duration: 400 }
                            NumberAnimation { target: anim; property: "turn"; to: 0; duration: 700 }
                            PauseAnimation { duration: 500 }
                        }
                    }
                }
                SequentialAnimation {
                    running: anim.visible && page.action === "blink-twice"
                    loops: Animation.Infinite
                    NumberAnimation { target: anim; property: "lid"; from: 0; to: 1; duration: 120 }
                    NumberAnimation { target: anim; property: "lid"; to: 0; duration: 160 }
                    PauseAnimation { duration: 300 }
                    NumberAnimation { target: anim; property: "lid"; from: 0; to: 1; duration: 120 }
                    NumberAnimation { target: anim; property: "lid"; to: 0; duration: 160 }
                    PauseAnimation { duration: 1100 }
                }
            }
            Item { Layout.fillHeight: true; visible: !page.prompted }
            UkText {
                objectName: "challengeCountdown"
                Layout.fillWidth: true
                font.bold: true
                visible: page.prompted && page.session.challengeSecondsLeft >= 0
                text: Tr.n("challenge_seconds_left", Math.max(0, page.session.challengeSecondsLeft))
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
