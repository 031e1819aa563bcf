// Manual 照合番号B entry (staff): birth date, card expiry year and security code from the card
// front, handed to the session once (StaffEntryCardFront::enter). The security code is a
// SecretField: typed into C++, shown as dots, never a QML string (issue 15).
// Typed on the on-screen number pad (issue 17: a touch kiosk has no other keyboard): tap a field
// to choose it; a full field moves on to the next; the date gets its '-' by itself.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    signal done()
    title: Tr.t("card_front_title")
    // code.text (dots) only makes the binding follow the code's length.
    readonly property bool valid: code.text.length >= 0 && page.session.cardFrontValid(birth.text, parseInt(expiry.text) || 0, code.entry)
    readonly property var fields: [birth, expiry, code]

    function submit() {
        if (page.session.enterCardFront(birth.text, parseInt(expiry.text) || 0, code.entry)) {
            birth.clear(); expiry.clear(); code.clear()
            pad.target = birth
            page.done()
        }
    }
    function nextField() {
        const at = page.fields.indexOf(pad.target)
        pad.target = page.fields[(at + 1) % page.fields.length]
    }

    component EntryField: TextField {
        id: field
        Layout.fillWidth: true
        implicitHeight: Theme.touchTarget
        font.family: Theme.fontFamily
        font.pointSize: Theme.bodyPt
        background: Rectangle {
            color: Theme.background
            border.width: pad.target === field ? 4 : 1
            border.color: pad.target === field ? Theme.primary : Theme.border
        }
        onActiveFocusChanged: if (activeFocus) pad.target = field
        onAccepted: page.nextField()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 2
            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: 8
                UkText { text: Tr.t("birth_date"); Layout.fillWidth: true }
                EntryField {
                    id: birth
                    objectName: "birthField"
                    inputMethodHints: Qt.ImhDigitsOnly
                    maximumLength: 10
                    placeholderText: "1980-02-17"
                    Accessible.name: Tr.t("birth_date")
                }
                UkText { text: Tr.t("expiry_year"); Layout.fillWidth: true; Layout.topMargin: 8 }
                EntryField {
                    id: expiry
                    objectName: "expiryField"
                    inputMethodHints: Qt.ImhDigitsOnly
                    maximumLength: 4
                    placeholderText: "2035"
                    Accessible.name: Tr.t("expiry_year")
                }
                UkText { text: Tr.t("security_code"); Layout.fillWidth: true; Layout.topMargin: 8 }
                SecretField {
                    id: code
                    objectName: "codeField"
                    Layout.fillWidth: true
                    digitsOnly: true
                    maximumLength: 4
                    Accessible.name: Tr.t("security_code")
                    highlighted: pad.target === code
                    onActiveFocusChanged: if (activeFocus) pad.target = code
                    onAccepted: page.nextField()
                }
            }
            NumberPad {
                id: pad
                objectName: "numberPad"
                Layout.alignment: Qt.AlignTop
                target: birth
                dateTarget: birth
                onNextRequested: page.nextField()
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            BigButton {
                objectName: "backButton"
                text: Tr.t("back")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.back()
            }
            UkText {
                id: invalidText
                objectName: "invalidText"
                Layout.fillWidth: true
                color: Theme.danger
                text: (birth.text.length > 0 && code.text.length === 4 && expiry.text.length === 4 && !page.valid)
                      ? Tr.t("card_front_invalid") : ""
            }
            Item { Layout.fillWidth: true; visible: !invalidText.visible }
            BigButton {
                objectName: "enterButton"
                text: Tr.t("enter")
                enabled: page.valid
                onClicked: page.submit()
            }
        }
    }
}
