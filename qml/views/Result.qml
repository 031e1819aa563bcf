// The result (§3 step 4 answers, terminal refusals): what happened and what to do next.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    readonly property bool confirmed: page.session.resultOutcome === "confirmed"
    title: confirmed ? Tr.t("result_confirmed_title")
                     : page.session.resultOutcome === "error" ? Tr.t("result_error_title")
                                                              : Tr.t("result_refused_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 12
            color: page.confirmed ? Theme.ok : Theme.danger
        }
        UkText {
            objectName: "validityText"
            Layout.fillWidth: true
            font.bold: true
            text: page.session.resultValidity > 0 ? Tr.code("validity", String(page.session.resultValidity)) : ""
        }
        GridLayout {
            columns: 2
            columnSpacing: Theme.spacing
            visible: page.session.insurerName.length > 0
            Layout.fillWidth: true
            UkText { text: Tr.t("result_insurer") }
            UkText { objectName: "insurerText"; Layout.fillWidth: true; text: page.session.insurerName }
            UkText { text: Tr.t("result_ratio"); visible: page.session.contributionRatio.length > 0 }
            UkText {
                objectName: "ratioText"
                Layout.fillWidth: true
                visible: page.session.contributionRatio.length > 0
                // 「3割」 in Japanese (how patients know it), "30 %" in English.
                text: {
                    const percent = parseInt(page.session.contributionRatio)
                    return Str.language === "ja" && percent % 10 === 0
                           ? Tr.t("result_ratio_wari").arg(percent / 10)
                           : Tr.t("result_ratio_value").arg(percent)
                }
            }
        }
        UkText {
            objectName: "resultMessage"
            Layout.fillWidth: true
            text: page.session.refusal.length > 0 ? Tr.code("refusal", page.session.refusal)
                                                  : Tr.code("message", page.session.message)
        }
        UkText {
            objectName: "noticeText"
            Layout.fillWidth: true
            text: Tr.code("notice", page.session.notice)
        }
        UkText {
            Layout.fillWidth: true
            visible: !page.confirmed
            font.bold: true
            text: Tr.t("result_ask_staff")
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "okButton"
            Layout.alignment: Qt.AlignRight
            text: Tr.t("result_ok")
            onClicked: page.session.acknowledgeResult()
        }
    }
}
