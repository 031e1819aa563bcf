// Manual 照合番号B entry (staff): birth date, card expiry year and security code from the card
// front, handed to the session once (StaffEntryCardFront::enter). The security code is masked.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    signal done()
    title: Tr.t("card_front_title")
    readonly property bool valid: page.session.cardFrontValid(birth.text, parseInt(expiry.text) || 0, code.text)

    function submit() {
        if (page.session.enterCardFront(birth.text, parseInt(expiry.text) || 0, code.text)) {
            birth.clear(); expiry.clear(); code.clear()
            page.done()
        }
    }

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: Theme.spacing
        UkText { text: Tr.t("birth_date"); Layout.preferredWidth: 420 }
        TextField {
            id: birth
            objectName: "birthField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            font.pointSize: Theme.bodyPt
            inputMethodHints: Qt.ImhDate
            placeholderText: "1980-02-17"
            Accessible.name: Tr.t("birth_date")
        }
        UkText { text: Tr.t("expiry_year"); Layout.preferredWidth: 420 }
        TextField {
            id: expiry
            objectName: "expiryField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            font.pointSize: Theme.bodyPt
            inputMethodHints: Qt.ImhDigitsOnly
            maximumLength: 4
            placeholderText: "2035"
            Accessible.name: Tr.t("expiry_year")
        }
        UkText { text: Tr.t("security_code"); Layout.preferredWidth: 420 }
        TextField {
            id: code
            objectName: "codeField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            font.pointSize: Theme.bodyPt
            inputMethodHints: Qt.ImhDigitsOnly
            echoMode: TextInput.Password
            maximumLength: 4
            Accessible.name: Tr.t("security_code")
        }
        UkText {
            objectName: "invalidText"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            color: Theme.danger
            text: (birth.text.length > 0 && code.text.length === 4 && expiry.text.length === 4 && !page.valid)
                  ? Tr.t("card_front_invalid") : ""
        }
        Item { Layout.columnSpan: 2; Layout.fillHeight: true }
        BigButton {
            objectName: "backButton"
            text: Tr.t("back")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.back()
        }
        BigButton {
            objectName: "enterButton"
            Layout.alignment: Qt.AlignRight
            text: Tr.t("enter")
            enabled: page.valid
            onClicked: page.submit()
        }
    }
}
