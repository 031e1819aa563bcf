// Consent (§3 steps 5-8; issue 17 "consent as patients know it"): after 「ご本人と確認できました」,
// the items from the consent data listed on one screen and one tap for 「同意する」 (all items) or
// 「同意しない」 (none). 「項目ごとに選ぶ」 opens a choice per item with explicit check marks; 決定
// stays off until every item is answered, so no item is ever counted as "not agreed" silently.
// Cancelling here asks first: identity is already verified (a clerk's 目視 approval would be lost).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    objectName: "consentScreen"
    title: Tr.t("consent_title")
    property bool individual: false
    // itemId -> agreed, for the per-item answers.
    property var answers: ({})
    readonly property int unanswered: {
        let n = 0
        for (const id of page.session.consentItems.itemIds())
            if (page.answers[id] === undefined)
                ++n
        return n
    }

    function answer(id, agreed) {
        const next = Object.assign({}, page.answers)
        next[id] = agreed
        page.answers = next
    }
    function refuseAll() {
        let none = {}
        for (const id of page.session.consentItems.itemIds())
            none[id] = false
        page.session.giveConsent(false, none)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        VerifiedBanner { session: page.session; Layout.fillWidth: true }
        UkText {
            Layout.fillWidth: true
            text: page.session.qualificationOnly || page.session.notice === "qualification-only"
                  ? Tr.t("consent_qualification_only") : Tr.t("consent_body")
        }
        // The items, all on this screen.
        GridLayout {
            objectName: "consentSummary"
            Layout.fillWidth: true
            visible: !page.individual && !Theme.enlarged
            columns: 2
            columnSpacing: Theme.spacing
            rowSpacing: 4
            Repeater {
                model: page.session.consentItems
                UkText {
                    required property string label
                    required property string labelEn
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    text: "・" + Tr.pick(label, labelEn)
                }
            }
        }
        // Large text: the items one after the other in one paragraph (two columns would wrap
        // most of them).
        UkText {
            objectName: "consentSummaryLarge"
            Layout.fillWidth: true
            visible: !page.individual && Theme.enlarged
            text: page.session.consentItems.count >= 0
                  ? page.session.consentItems.itemIds()
                        .map(id => "・" + page.session.consentItems.labelOf(id, Str.language))
                        .join(Str.language === "en" ? "   " : "　")
                  : ""
        }
        ListView {
            id: list
            objectName: "consentItems"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.individual
            clip: true
            spacing: 6
            model: page.session.consentItems
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AlwaysOn; width: 16 }
            delegate: Rectangle {
                id: row
                required property string itemId
                required property string label
                required property string labelEn
                readonly property var answer: page.answers[row.itemId]
                width: ListView.view.width - 24
                implicitHeight: rowLayout.implicitHeight + 8
                color: row.answer === undefined ? Theme.warningSoft : Theme.background
                border.color: Theme.border
                radius: 6
                RowLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: 4
                    spacing: 8
                    UkText {
                        Layout.fillWidth: true
                        text: Tr.pick(row.label, row.labelEn)
                    }
                    BigButton {
                        objectName: "agree-" + row.itemId
                        Layout.preferredWidth: 250
                        text: (row.answer === true ? "✓ " : "") + Tr.t("consent_agree")
                        checkable: true
                        checked: row.answer === true
                        fill: checked ? Theme.primary : Theme.secondary
                        ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                        Accessible.name: Tr.pick(row.label, row.labelEn) + " " + Tr.t("consent_agree")
                        onClicked: page.answer(row.itemId, true)
                    }
                    BigButton {
                        objectName: "disagree-" + row.itemId
                        Layout.preferredWidth: 250
                        text: (row.answer === false ? "✓ " : "") + Tr.t("consent_disagree")
                        checkable: true
                        checked: row.answer === false
                        fill: checked ? Theme.primary : Theme.secondary
                        ink: checked ? Theme.inkPrimary : Theme.inkSecondary
                        Accessible.name: Tr.pick(row.label, row.labelEn) + " " + Tr.t("consent_disagree")
                        onClicked: page.answer(row.itemId, false)
                    }
                }
            }
        }
        UkText {
            objectName: "unansweredText"
            Layout.fillWidth: true
            visible: page.individual
            font.bold: true
            text: page.unanswered > 0 ? Tr.n("consent_unanswered", page.unanswered) : Tr.t("consent_all_answered")
        }
        Item { Layout.fillHeight: true; visible: !page.individual }
        // One row of buttons: the answer on the right (where the eye ends), the ways out on the left.
        RowLayout {
            id: buttonRow
            Layout.fillWidth: true
            // Qt 6.4's layouts may miss the switch of which buttons are visible (seen in large-text
            // mode: every button left at x = 0); a spacing nudged once the switch is done re-lays
            // the row.
            property real nudge: 0
            spacing: Theme.spacing + nudge
            Timer {
                id: relayout
                interval: 50
                onTriggered: buttonRow.nudge = buttonRow.nudge ? 0 : 0.01
            }
            Connections {
                target: page
                function onIndividualChanged() { relayout.restart() }
            }
            BigButton {
                id: cancelButton
                objectName: "cancelButton"
                text: Tr.t("cancel")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: confirmCancel.open()
            }
            BigButton {
                objectName: "individualButton"
                visible: !page.individual
                text: Tr.t("consent_individual")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.individual = true
            }
            BigButton {
                objectName: "summaryButton"
                visible: page.individual
                text: Tr.t("back")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: { page.individual = false; page.answers = ({}) }
            }
            Item { Layout.fillWidth: true; visible: page.individual }
            BigButton {
                objectName: "refuseAllButton"
                visible: !page.individual
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: Tr.t("consent_disagree")
                fill: Theme.secondary; ink: Theme.inkSecondary
                onClicked: page.refuseAll()
            }
            BigButton {
                objectName: "agreeAllButton"
                visible: !page.individual
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: Tr.t("consent_agree")
                onClicked: page.session.giveConsent(true, {})
            }
            BigButton {
                id: doneButton
                objectName: "doneButton"
                visible: page.individual
                enabled: page.unanswered === 0 && !page.session.busy
                text: Tr.t("consent_done")
                onClicked: page.session.giveConsent(false, page.answers)
            }
        }
    }
    ConfirmCancel {
        id: confirmCancel
        objectName: "confirmCancel"
        anchors.fill: parent
        session: page.session
    }
}
