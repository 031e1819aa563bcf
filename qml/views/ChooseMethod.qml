// Method choice: face / PIN / staff, as offered by the identity policy (§3 step 2).
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("choose_method_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText {
            objectName: "noticeText"
            Layout.fillWidth: true
            text: Tr.code("notice", page.session.notice)
        }
        UkText {
            objectName: "messageText"
            Layout.fillWidth: true
            // After a failed path (e.g. the chip photo could not be read) say why it is gone.
            text: page.session.message === page.session.notice ? "" : Tr.code("message", page.session.message)
        }
        BigButton {
            objectName: "faceButton"
            Layout.fillWidth: true
            visible: page.session.offerFace
            text: Tr.t("method_face")
            onClicked: page.session.chooseMethod("face")
        }
        BigButton {
            objectName: "pinButton"
            Layout.fillWidth: true
            visible: page.session.offerPin
            text: Tr.t("method_pin")
            onClicked: page.session.chooseMethod("pin")
        }
        UkText {
            objectName: "pinTriesText"
            Layout.fillWidth: true
            visible: page.session.offerPin && page.session.pinTriesLeft >= 0
            text: Tr.n("method_pin_tries", page.session.pinTriesLeft)
        }
        // Why there is no PIN button: a 顔認証マイナンバーカード has no PIN; a locked PIN is
        // unlocked at the municipal office.
        UkText {
            objectName: "pinReasonText"
            Layout.fillWidth: true
            visible: !page.session.offerPin && text.length > 0
            text: Tr.code("pin_unavailable", page.session.pinUnavailableReason)
        }
        BigButton {
            objectName: "staffButton"
            Layout.fillWidth: true
            visible: page.session.offerStaff
            text: Tr.t("method_staff")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.session.chooseMethod("staff")
        }
        Item { Layout.fillHeight: true }
        RowLayout {
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
