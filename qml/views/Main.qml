// The kiosk window: one screen per session state (SessionModel.state), the call-staff overlay,
// the staff panel above them and, in the demo build (`uketsuke ui --demo`), the demo panel at the
// bottom, bound to the demo adapter (qml/demo/) the demo build sets as `demo`.
import QtQuick
import QtQuick.Window
import Uketsuke

Window {
    id: root
    required property SessionModel session
    // The demo build's adapter of the simulated card (qml/demo/demo_card.h): personas, persona,
    // insert(id), remove(). null on a clinic's kiosk: no demo panel.
    property QtObject demo: null
    width: 1280
    height: 800
    color: Theme.background
    title: "Uketsuke"
    // The name of the screen on show (tests and the screenshot test use it).
    readonly property string screenName: screen.item ? screen.item.objectName || "" : ""

    function componentFor(state, cardFrontNeeded) {
        switch (state) {
        case SessionModel.Idle: return placeCard
        case SessionModel.ReadingCard: return readingCard
        case SessionModel.ChoosingMethod: return cardFrontNeeded ? cardFaceReading : chooseMethod
        case SessionModel.ReadingCardFace: return cardFaceReading
        case SessionModel.FaceCapture: return faceCapture
        case SessionModel.FaceChallenge: return faceChallenge
        case SessionModel.PinEntry: return pinEntry
        case SessionModel.StaffCheck: return staffCheck
        case SessionModel.Consent: return consent
        case SessionModel.Confirming: return confirming
        case SessionModel.ShowingResult: return result
        case SessionModel.RemoveCard: return removeCard
        case SessionModel.Starting: return starting
        default: return unavailable
        }
    }

    // Each patient starts in the terminal's language and normal text, whatever the last one chose.
    Connections {
        target: root.session
        function onSessionEnded() { Str.language = Str.defaultLanguage; Theme.large = false }
    }
    // Large text chosen on the idle screen by someone who then left without a card: normal again.
    property int largeTextIdleResetMs: 90000
    Timer {
        interval: root.largeTextIdleResetMs
        running: Theme.large && root.session.state === SessionModel.Idle
        onTriggered: Theme.large = false
    }
    Binding { target: Theme; property: "staffShowing"; value: staffPanel.visible }

    Loader {
        id: screen
        objectName: "screenLoader"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: demoPanel.top }
        sourceComponent: root.componentFor(root.session.state, root.session.cardFrontNeeded)
    }
    Component { id: placeCard; PlaceCard { objectName: "PlaceCard"; session: root.session } }
    Component { id: readingCard; ReadingCard { objectName: "ReadingCard"; session: root.session } }
    Component { id: starting; ReadingCard { objectName: "Starting"; session: root.session; titleId: "starting"; bodyId: "please_wait" } }
    Component { id: chooseMethod; ChooseMethod { objectName: "ChooseMethod"; session: root.session } }
    Component {
        id: cardFaceReading
        CardFaceReading {
            objectName: "CardFaceReading"
            session: root.session
            onStaffEntryRequested: staffPanel.open("CardFrontEntry.qml")
        }
    }
    Component { id: faceCapture; FaceCapture { objectName: "FaceCapture"; session: root.session } }
    Component { id: faceChallenge; FaceChallenge { objectName: "FaceChallenge"; session: root.session } }
    Component { id: pinEntry; PinEntry { objectName: "PinEntry"; session: root.session } }
    Component { id: staffCheck; StaffCheck { objectName: "StaffCheck"; session: root.session } }
    Component { id: consent; Consent { objectName: "Consent"; session: root.session } }
    Component { id: confirming; Confirming { objectName: "Confirming"; session: root.session } }
    Component { id: result; Result { objectName: "Result"; session: root.session } }
    Component { id: removeCard; RemoveCard { objectName: "RemoveCard"; session: root.session } }
    Component { id: unavailable; Unavailable { objectName: "Unavailable"; session: root.session } }

    CallStaffOverlay {
        id: callStaff
        objectName: "callStaffOverlay"
        anchors.fill: screen
        session: root.session
        visible: root.session.staffCalled
        onStaffMenuRequested: {
            root.session.dismissStaffCall()
            staffPanel.open("StaffMenu.qml")
        }
    }
    StaffPanel {
        id: staffPanel
        objectName: "staffPanel"
        anchors.fill: screen
        session: root.session
    }
    // Demo camera mode (vision.camera_mode "demo-still"): a still photo is the camera and is judged
    // without liveness. Never silent: the mark stays on every screen, patient and staff alike.
    Rectangle {
        objectName: "demoCameraMark"
        visible: root.session.demoCamera
        z: 100
        anchors { left: parent.left; top: parent.top; leftMargin: 8; topMargin: 8 }
        width: demoMark.implicitWidth + 24
        height: demoMark.implicitHeight + 12
        radius: 6
        color: Theme.danger
        Text {
            id: demoMark
            objectName: "demoCameraMarkText"
            anchors.centerIn: parent
            text: Tr.t("demo_camera_mark")
            font.family: Theme.fontFamily
            font.pointSize: Theme.smallPt
            font.bold: true
            color: "#FFFFFF"
        }
    }
    // Voice guidance, chimes and the card-left-behind alarm (issue 17, qml/sound/).
    VoiceGuide {
        objectName: "voiceGuide"
        session: root.session
        player: Sound
        language: Str.language
    }
    Loader {
        id: demoPanel
        objectName: "demoPanel"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        active: root.demo !== null
        visible: active
        height: item ? item.implicitHeight : 0
        sourceComponent: DemoPanel { demo: root.demo }
    }
}
