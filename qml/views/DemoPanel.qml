// Demo panel (uketsuke-ui --demo only): swaps the virtual card for another persona, through the
// virtual card's control socket. Not part of a clinic terminal.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: panel
    required property SessionModel session
    color: "#263238"
    implicitHeight: flow.implicitHeight + 16
    Flow {
        id: flow
        anchors.fill: parent
        anchors.margins: 8
        spacing: 6
        Text {
            text: Tr.t("demo_panel")
            color: "#FFFFFF"
            font.family: Theme.fontFamily
            font.pointSize: Theme.demoPt
            height: 40
            verticalAlignment: Text.AlignVCenter
        }
        Repeater {
            model: panel.session.personas
            Button {
                required property string modelData
                objectName: "persona-" + modelData
                text: modelData
                height: 40
                font.pointSize: Theme.demoPt
                highlighted: modelData === panel.session.persona
                Accessible.name: text
                onClicked: panel.session.demoInsert(modelData)
            }
        }
        Button {
            objectName: "demoRemove"
            text: Tr.t("demo_remove")
            height: 40
            font.pointSize: Theme.demoPt
            Accessible.name: text
            onClicked: panel.session.demoRemove()
        }
    }
}
