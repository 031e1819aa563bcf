// The staff side of the kiosk, above the patient screens: sign-in, then the menu and its pages.
// Every page gets the session and emits back() (and the menu openPage(file)).
//
// Staff mode (issue 17): opening the panel enters it, the patient's countdown waits meanwhile.
// It ends — and the sign-in with it — when staff leave, after SessionModel.staffIdleTimeoutSeconds
// without a touch, or the moment a card is placed: the panel closes and the patient's screen is
// back. A patient can never find a signed-in staff page: "back" from the menu signs out.
import QtQuick
import Uketsuke

Rectangle {
    id: panel
    required property SessionModel session
    property bool shown: false
    property string wanted: "StaffMenu.qml"
    visible: shown
    color: Theme.background

    function open(file) {
        panel.wanted = file || "StaffMenu.qml"
        panel.shown = true
        panel.session.enterStaffMode()
        reload()
    }
    function close() {
        hide()
        panel.session.leaveStaffMode("signed-out")
    }
    function hide() {
        panel.shown = false
        panel.wanted = "StaffMenu.qml"
        reload()
    }
    function reload() {
        if (!panel.shown)
            loader.source = ""
        else
            loader.setSource(panel.session.staffSignedIn ? panel.wanted : "StaffLogin.qml",
                             { session: panel.session })
    }

    Connections {
        target: panel.session
        function onChanged() {
            const page = panel.session.staffSignedIn ? panel.wanted : "StaffLogin.qml"
            if (panel.shown && loader.source.toString().indexOf(page.replace("../", "")) < 0)
                panel.reload()
        }
        // Idle timeout or a card placed: staff mode is over, the patient's screen comes back.
        function onStaffModeEnded(reason) { panel.hide() }
        function onStaffModeChanged() {
            if (!panel.session.staffMode && panel.shown)
                panel.hide()
        }
    }
    MouseArea { anchors.fill: parent }
    Loader {
        id: loader
        objectName: "staffPageLoader"
        anchors.fill: parent
    }
    Connections {
        target: loader.item
        ignoreUnknownSignals: true
        function onBack() {
            if (panel.wanted === "StaffMenu.qml" || !panel.session.staffSignedIn)
                panel.close()
            else
                panel.open("StaffMenu.qml")
        }
        function onOpenPage(file) { panel.open(file) }
        function onDone() { panel.close() }
    }
}
