// 「ご本人と確認できました」: shown once identity is verified, before consent (issue 17), with the
// method that proved it.
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: banner
    required property SessionModel session
    objectName: "verifiedBanner"
    visible: session.verifiedMethod.length > 0
    implicitHeight: visible ? text.implicitHeight + 16 : 0
    color: Theme.ok
    radius: 8
    UkText {
        id: text
        objectName: "verifiedText"
        anchors.fill: parent
        anchors.margins: 8
        color: Theme.inkPrimary
        font.bold: true
        text: "✓ " + Tr.t("identity_verified") + " (" + Tr.code("verified_by", banner.session.verifiedMethod) + ")"
    }
}
