// The staff side of the kiosk, above the patient screens: sign-in, then the menu and its pages.
// Every page gets the session and emits back() (and the menu openPage(file)). Closing the panel
// signs the staff member out.
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
        reload()
    }
    function close() {
        panel.shown = false
        panel.session.staffSignOut()
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
