// Demo panel (the demo build, `uketsuke ui --demo`, only): swaps the simulated card for another
// one through the demo adapter (qml/demo/demo_card.h). Not part of a clinic terminal.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: panel
    required property QtObject demo
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
            model: panel.demo.personas
            Button {
                required property string modelData
                objectName: "persona-" + modelData
                text: modelData
                height: 40
                font.pointSize: Theme.demoPt
                highlighted: modelData === panel.demo.persona
                Accessible.name: text
                onClicked: panel.demo.insert(modelData)
            }
        }
        Button {
            objectName: "demoRemove"
            text: Tr.t("demo_remove")
            height: 40
            font.pointSize: Theme.demoPt
            Accessible.name: text
            onClicked: panel.demo.remove()
        }
    }
}
