// Method choice: face / PIN / staff, as offered by the identity policy (§3 step 2).
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("choose_method_title")
    // One column; in large-text mode two: the explanations on the left, the method buttons on the
    // right (one column of large text and buttons would not fit the screen).
    GridLayout {
        readonly property bool two: Theme.enlarged
        anchors.fill: parent
        columns: two ? 2 : 1
        columnSpacing: Theme.spacing * 2
        rowSpacing: Theme.spacing
        UkText {
            objectName: "noticeText"
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            Layout.row: 0
            Layout.column: 0
            text: Tr.code("notice", page.session.notice)
        }
        UkText {
            objectName: "messageText"
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            Layout.row: 1
            Layout.column: 0
            // After a failed path (e.g. the chip photo could not be read) say why it is gone.
            text: page.session.message === page.session.notice ? "" : Tr.code("message", page.session.message)
        }
        BigButton {
            objectName: "faceButton"
            Layout.fillWidth: true
            Layout.preferredWidth: 2
            Layout.alignment: Qt.AlignTop
            Layout.row: parent.two ? 0 : 2
            Layout.column: parent.two ? 1 : 0
            visible: page.session.offerFace
            text: Tr.t("method_face")
            onClicked: page.session.chooseMethod("face")
        }
        BigButton {
            objectName: "pinButton"
            Layout.fillWidth: true
            Layout.preferredWidth: 2
            Layout.alignment: Qt.AlignTop
            Layout.row: parent.two ? 1 : 3
            Layout.column: parent.two ? 1 : 0
            visible: page.session.offerPin
            text: Tr.t("method_pin")
            onClicked: page.session.chooseMethod("pin")
        }
        UkText {
            objectName: "pinTriesText"
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            Layout.row: parent.two ? 2 : 4
            Layout.column: 0
            visible: page.session.offerPin && page.session.pinTriesLeft >= 0
            text: Tr.n("method_pin_tries", page.session.pinTriesLeft)
        }
        // Why there is no PIN button: a 顔認証マイナンバーカード has no PIN; a locked PIN is
        // unlocked at the municipal office.
        UkText {
            objectName: "pinReasonText"
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            Layout.row: parent.two ? 2 : 5  // (large: the cell of pinTriesText, never both shown)
            Layout.column: 0
            visible: !page.session.offerPin && text.length > 0
            text: Tr.code("pin_unavailable", page.session.pinUnavailableReason)
        }
        BigButton {
            objectName: "staffButton"
            Layout.fillWidth: true
            Layout.preferredWidth: 2
            Layout.alignment: Qt.AlignTop
            Layout.row: parent.two ? 2 : 6
            Layout.column: parent.two ? 1 : 0
            visible: page.session.offerStaff
            text: Tr.t("method_staff")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.session.chooseMethod("staff")
        }
        Item { Layout.fillHeight: true; Layout.row: 7; Layout.column: 0 }
        RowLayout {
            Layout.row: 8
            Layout.column: 0
            Layout.columnSpan: parent.two ? 2 : 1
            Layout.fillWidth: true
            spacing: Theme.spacing
            BigButton {
                objectName: "cancelButton"
                text: Tr.t("cancel")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.cancel()
            }
            Item { Layout.fillWidth: true }
            BigButton {
                objectName: "certCheckButton"
                visible: page.session.certExpiry.length > 0
                text: Tr.t("cert_check")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: certCheck.open()
            }
        }
    }
    CertificateCheck {
        id: certCheck
        objectName: "certificateCheck"
        anchors.fill: parent
        session: page.session
    }
}
