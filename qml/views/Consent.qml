// Consent (§3 steps 5-8), driven by the consent data: one-tap 包括同意, or item by item.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    objectName: "consentScreen"
    title: Tr.t("consent_title")
    property bool individual: false
    // itemId -> agreed, for the per-item answers (an unanswered item counts as not agreed).
    property var answers: ({})

    function answer(id, agreed) {
        const next = Object.assign({}, page.answers)
        next[id] = agreed
        page.answers = next
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText {
            Layout.fillWidth: true
            text: page.session.qualificationOnly || page.session.notice === "qualification-only"
                  ? Tr.t("consent_qualification_only") : Tr.t("consent_body")
        }
        BigButton {
            objectName: "comprehensiveButton"
            Layout.fillWidth: true
            visible: !page.individual
            text: Tr.pick(page.session.consentItems.comprehensiveLabel, page.session.consentItems.comprehensiveLabelEn)
            onClicked: page.session.giveConsent(true, {})
        }
        BigButton {
            objectName: "individualButton"
            Layout.fillWidth: true
            visible: !page.individual
            text: Tr.t("consent_individual")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.individual = true
        }
        ListView {
            objectName: "consentItems"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.individual
            clip: true
            spacing: 8
            model: page.session.consentItems
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AlwaysOn; width: 16 }
            delegate: RowLayout {
                id: row
                required property string itemId
                required property string label
                required property string labelEn
                width: ListView.view.width - 24
                spacing: 8
                UkText {
                    Layout.fillWidth: true
                    text: Tr.pick(row.label, row.labelEn)
                }
                BigButton {
                    objectName: "agree-" + row.itemId
                    text: Tr.t("consent_agree")
                    checkable: true
                    checked: page.answers[row.itemId] === true
                    fill: checked ? Theme.primary : Theme.secondary
                    ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                    onClicked: page.answer(row.itemId, true)
                }
                BigButton {
                    objectName: "disagree-" + row.itemId
                    text: Tr.t("consent_disagree")
                    checkable: true
                    checked: page.answers[row.itemId] === false
                    fill: checked ? Theme.primary : Theme.secondary
                    ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                    onClicked: page.answer(row.itemId, false)
                }
            }
        }
        Item { Layout.fillHeight: true; visible: !page.individual }
        // Anchored, not a RowLayout: "Done" appears with the item list and must not land on
        // "Cancel" before the row is laid out again.
        Item {
            Layout.fillWidth: true
            implicitHeight: Math.max(cancelButton.implicitHeight, doneButton.implicitHeight)
            BigButton {
                id: cancelButton
                objectName: "cancelButton"
                anchors.left: parent.left
                text: Tr.t("cancel")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.session.cancel()
            }
            BigButton {
                id: doneButton
                objectName: "doneButton"
                anchors.right: parent.right
                visible: page.individual
                text: Tr.t("consent_done")
                onClicked: page.session.giveConsent(false, page.answers)
            }
        }

    }
}
