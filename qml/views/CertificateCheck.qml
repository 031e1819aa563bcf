// The certificate self-check (issue 17; seed: the JPKI client's 有効性確認): after the card is
// read, the patient can see their 利用者証明用電子証明書's expiry date, whether it is still valid,
// and when and where to renew it, in plain words.
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: dialog
    required property SessionModel session
    visible: false
    color: "#CC000000"
    function open() { dialog.visible = true }
    function close() { dialog.visible = false }
    // "2030-02-17" -> 「2030年2月17日」 / "17 Feb 2030".
    function date(iso) {
        const p = iso.split("-")
        return p.length === 3 ? Tr.t("cert_date").arg(p[0]).arg(parseInt(p[1])).arg(parseInt(p[2])) : ""
    }
    // Only the states that name a date carry %1 ("valid" does not): QString::arg would warn.
    function withDate(text, iso) { return text.indexOf("%1") >= 0 ? text.arg(dialog.date(iso)) : text }
    MouseArea { anchors.fill: parent }
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 1100)
        height: box.implicitHeight + 2 * Theme.margin
        color: Theme.background
        radius: 16
        border.color: Theme.border; border.width: 4
        ColumnLayout {
            id: box
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.spacing
            UkText {
                Layout.fillWidth: true
                font.pointSize: Theme.titlePt
                font.bold: true
                text: Tr.t("cert_title")
            }
            UkText {
                objectName: "certExpiryText"
                Layout.fillWidth: true
                text: Tr.t("cert_expiry").arg(dialog.date(dialog.session.certExpiry))
            }
            UkText {
                objectName: "certStateText"
                Layout.fillWidth: true
                font.bold: true
                text: dialog.withDate(Tr.code("cert_state", dialog.session.certState), dialog.session.certGraceEnd)
            }
            UkText {
                objectName: "certGuidanceText"
                Layout.fillWidth: true
                text: dialog.withDate(Tr.code("cert_guidance", dialog.session.certState), dialog.session.certRenewalFrom)
            }
            BigButton {
                objectName: "certCloseButton"
                Layout.alignment: Qt.AlignRight
                text: Tr.t("close")
                onClicked: dialog.close()
            }
        }
    }
}
