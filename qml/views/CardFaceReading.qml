// 照合番号B from the card front: waiting while the chip photo is read, or waiting for staff to
// type the printed fields (until card-front OCR, issue 6).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    signal staffEntryRequested()
    title: Tr.t("card_face_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText {
            Layout.fillWidth: true
            text: page.session.cardFrontNeeded ? Tr.t("card_face_body") : Tr.t("reading_card_body")
        }
        BusyIndicator { Layout.alignment: Qt.AlignHCenter; implicitWidth: 120; implicitHeight: 120; running: true }
        Item { Layout.fillHeight: true }
        RowLayout {
            Layout.fillWidth: true
            visible: page.session.cardFrontNeeded
            spacing: Theme.spacing
            BigButton {
                objectName: "staffEntryButton"
                Layout.fillWidth: true
                text: Tr.t("card_face_staff_entry")
                onClicked: page.staffEntryRequested()
            }
            BigButton {
                objectName: "otherMethodButton"
                Layout.fillWidth: true
                text: Tr.t("card_face_other_method")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.cancelCardFront()
            }
        }
    }
}
