// The visible countdown of the current state's timeout (SessionController::timeLeft()). Its width
// is fixed by the widest text it can show in the current language ("残り 888 秒"), so the title
// and the header buttons never move while it counts (issue 17 "stable layout"); when no timeout
// runs the box keeps its place and shows nothing.
import QtQuick
import Uketsuke

Rectangle {
    id: box
    required property SessionModel session
    readonly property bool running: session.timeLeftSeconds >= 0
    readonly property bool urgent: running && session.timeLeftSeconds <= 15
    TextMetrics {
        id: widest
        font: label.font
        text: Tr.t("time_left").arg(888)
    }
    implicitWidth: Math.ceil(widest.advanceWidth) + 32
    implicitHeight: label.implicitHeight + 12
    radius: 8
    color: !running ? "transparent" : urgent ? Theme.warning : Theme.secondary
    border.color: running ? Theme.border : "transparent"
    Accessible.role: Accessible.StaticText
    Accessible.name: label.text
    Text {
        id: label
        objectName: "countdown"
        anchors.centerIn: parent
        visible: box.running
        text: Tr.t("time_left").arg(box.session.timeLeftSeconds)
        font.family: Theme.fontFamily
        font.pointSize: Theme.bodyPt
        color: box.urgent ? Theme.inkWarning : Theme.text
    }
}
