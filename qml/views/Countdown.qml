// The visible countdown of the current state's timeout (SessionController::timeLeft()).
import QtQuick
import Uketsuke

Rectangle {
    id: box
    required property SessionModel session
    readonly property bool urgent: session.timeLeftSeconds >= 0 && session.timeLeftSeconds <= 15
    visible: session.timeLeftSeconds >= 0
    implicitWidth: label.implicitWidth + 24
    implicitHeight: label.implicitHeight + 12
    radius: 8
    color: urgent ? Theme.warning : Theme.secondary
    border.color: Theme.border
    Accessible.role: Accessible.StaticText
    Accessible.name: label.text
    Text {
        id: label
        objectName: "countdown"
        anchors.centerIn: parent
        text: Tr.t("time_left").arg(box.session.timeLeftSeconds)
        font.family: Theme.fontFamily
        font.pointSize: Theme.bodyPt
        color: box.urgent ? Theme.inkWarning : Theme.text
    }
}
