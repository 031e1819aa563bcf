// Log review (staff): filter the confirmation log by day range, method and outcome, search by
// session, see one session's details, export what is shown as CSV, and the day's statistics with
// a chart. Everything comes from LogReviewModel (qml/log/log_review_model.h); no log logic here.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    property alias model: logModel
    property bool showStats: false
    property var stats: ({})
    property string exportNote: ""
    // The export's medium chooser (removable media only: the manager takes the file away).
    property bool choosingMedium: false
    property var media: []
    title: Tr.t("log_title")

    readonly property int smallPt: Theme.smallPt

    // Every logged code in the screen's language (issue 17: no raw code in Japanese mode).
    function resultText(code) {
        if (code === "")
            return "-"
        return /^[0-9]+$/.test(code) ? Tr.code("validity", code) : Tr.code("result_code", code)
    }
    function consentLabel(id) {
        const label = page.session ? page.session.consentItems.labelOf(id, Str.language) : ""
        return label !== "" ? label : Tr.t("log_consent_unknown_item")
    }

    LogReviewModel { id: logModel }
    Component.onCompleted: logModel.refresh()

    function applyFilters() {
        logModel.fromDate = fromField.text
        logModel.toDate = toField.text
        logModel.method = methodBox.currentValue
        logModel.outcome = outcomeBox.currentValue
        logModel.sessionSearch = searchField.text
        page.exportNote = ""
        if (logModel.refresh())
            list.currentIndex = logModel.count > 0 ? 0 : -1
        if (page.showStats)
            page.stats = logModel.dayStats(fromField.text)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        // Filters: days and the two choices on one row, the session search on the next, so every
        // box is wide enough for its longest label in both languages.
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            TextField {
                id: fromField
                objectName: "fromField"
                text: logModel.fromDate
                font.pointSize: page.smallPt
                Layout.preferredWidth: 170
                Accessible.name: Tr.t("log_from")
                placeholderText: Tr.t("log_from")
            }
            UkText { text: "–"; font.pointSize: page.smallPt }
            TextField {
                id: toField
                objectName: "toField"
                text: logModel.toDate
                font.pointSize: page.smallPt
                Layout.preferredWidth: 170
                Accessible.name: Tr.t("log_to")
                placeholderText: Tr.t("log_to")
            }
            ComboBox {
                id: methodBox
                objectName: "methodBox"
                font.pointSize: page.smallPt
                Layout.preferredWidth: 300
                model: logModel.methods.map(m => ({ value: m, text: m === "" ? Tr.t("log_any_method") : Tr.code("method", m) }))
                textRole: "text"
                valueRole: "value"
            }
            ComboBox {
                id: outcomeBox
                objectName: "outcomeBox"
                font.pointSize: page.smallPt
                Layout.preferredWidth: 300
                model: logModel.outcomes.map(o => ({ value: o, text: o === "" ? Tr.t("log_any_outcome") : Tr.code("outcome", o) }))
                textRole: "text"
                valueRole: "value"
            }
            Item { Layout.fillWidth: true }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            TextField {
                id: searchField
                objectName: "searchField"
                font.pointSize: page.smallPt
                Layout.fillWidth: true
                placeholderText: Tr.t("log_search_session")
                Accessible.name: Tr.t("log_search_session")
                onAccepted: page.applyFilters()
            }
            BigButton {
                objectName: "searchButton"
                text: Tr.t("log_search")
                onClicked: page.applyFilters()
            }
        }

        UkText {
            objectName: "logError"
            Layout.fillWidth: true
            color: Theme.danger
            text: logModel.error === "" ? "" : Tr.code("log", logModel.error)
        }

        // Sessions and the selected one's details, or the day's statistics.
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            visible: !page.showStats

            ListView {
                id: list
                objectName: "sessionList"
                Layout.fillHeight: true
                Layout.fillWidth: true
                Layout.preferredWidth: 650  // shares the row with the detail pane, 650 : 500
                clip: true
                model: logModel
                currentIndex: -1
                header: UkText {
                    width: list.width
                    font.pointSize: page.smallPt
                    text: Tr.n("log_count", logModel.count)
                }
                delegate: Rectangle {
                    id: row
                    required property int index
                    required property string started
                    required property string method
                    required property string outcome
                    required property string resultCode
                    required property string terminalId
                    width: list.width
                    height: Math.max(56, rowText.contentHeight + 16)
                    color: ListView.isCurrentItem ? Theme.secondary : Theme.background
                    border.color: "#888888"
                    Text {
                        id: rowText
                        anchors.fill: parent
                        anchors.margins: 8
                        font.family: Theme.fontFamily
                        font.pointSize: page.smallPt
                        wrapMode: Text.Wrap
                        color: Theme.text
                        text: row.started + "  " + row.terminalId + "  " + Tr.code("method", row.method) + "  "
                              + Tr.code("outcome", row.outcome)
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: list.currentIndex = row.index
                    }
                }
            }

            Flickable {
                id: detailPane
                objectName: "detailPane"
                Layout.fillWidth: true
                Layout.preferredWidth: 500
                Layout.fillHeight: true
                clip: true
                contentHeight: detailText.contentHeight
                readonly property var detail: list.currentIndex >= 0 && logModel.count > 0 ? logModel.detail(list.currentIndex) : ({})
                Text {
                    id: detailText
                    objectName: "detailText"
                    width: detailPane.width
                    font.family: Theme.fontFamily
                    font.pointSize: page.smallPt
                    wrapMode: Text.WrapAnywhere
                    color: Theme.text
                    text: {
                        const d = detailPane.detail
                        if (d.sessionId === undefined)
                            return Tr.t("log_no_selection")
                        let lines = [
                            Tr.t("log_session") + ": " + d.sessionId,
                            Tr.t("log_terminal") + ": " + d.terminalId,
                            Tr.t("log_time") + ": " + d.started + " – " + d.ended + " (" + d.durationMs + " ms)",
                            Tr.t("log_card_class") + ": " + Tr.code("card_class", d.cardClass),
                            Tr.t("log_method") + ": " + Tr.code("method", d.method),
                            Tr.t("log_outcome") + ": " + Tr.code("outcome", d.outcome)
                                + (d.failureReason !== "" ? " / " + Tr.code("reason", d.failureReason) : ""),
                            Tr.t("log_result_code") + ": " + page.resultText(d.resultCode),
                            Tr.t("log_attempts") + ": " + Tr.t("log_attempts_value").arg(d.faceAttempts).arg(d.pinAttempts).arg(d.staffAttempts)
                        ]
                        if (d.matchDistance !== undefined && d.matchDistance !== null)
                            lines.push(Tr.t("log_match_distance") + ": " + Number(d.matchDistance).toFixed(3))
                        if (d.staffId !== "")
                            lines.push(Tr.t("log_staff_id") + ": " + d.staffId)
                        for (const c of d.consent)
                            lines.push(Tr.t("log_consent") + " " + page.consentLabel(c.id) + ": " + (c.agreed ? Tr.t("log_agreed") : Tr.t("log_not_agreed")) + " (" + c.at + ")")
                        for (const p of d.phases)
                            lines.push(Tr.code("phase", p.phase) + ": " + p.ms + " ms")
                        return lines.join("\n")
                    }
                }
            }
        }

        // Daily statistics of the "from" day, with a bar chart by method and by outcome.
        ColumnLayout {
            objectName: "statsPane"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.showStats
            spacing: 6
            UkText {
                objectName: "statsSummary"
                Layout.fillWidth: true
                font.pointSize: page.smallPt
                text: page.stats.sessions === undefined ? "" :
                      Tr.t("log_stats_summary").arg(page.stats.day).arg(page.stats.sessions)
                        .arg(page.stats.medianSessionMs < 0 ? "-" : (page.stats.medianSessionMs / 1000).toFixed(1))
                        .arg(page.stats.staffRate < 0 ? "-" : (page.stats.staffRate * 100).toFixed(1))
            }
            Repeater {
                objectName: "statsBars"
                model: {
                    const s = page.stats
                    if (s.sessions === undefined)
                        return []
                    let bars = []
                    for (const m of ["face", "pin", "staff", "none"])
                        bars.push({ label: Tr.code("method", m), n: s.byMethod[m] || 0, colour: Theme.primary })
                    for (const o of ["confirmed", "refused", "aborted", "error"])
                        bars.push({ label: Tr.code("outcome", o), n: s.byOutcome[o] || 0, colour: o === "confirmed" ? Theme.ok : Theme.danger })
                    return bars
                }
                RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 8
                    Text {
                        Layout.preferredWidth: 220
                        font.family: Theme.fontFamily
                        font.pointSize: page.smallPt
                        wrapMode: Text.Wrap
                        text: modelData.label
                    }
                    Rectangle {
                        Layout.preferredHeight: 28
                        Layout.preferredWidth: Math.max(2, 600 * modelData.n / Math.max(1, page.stats.sessions))
                        color: modelData.colour
                    }
                    Text {
                        font.family: Theme.fontFamily
                        font.pointSize: page.smallPt
                        text: modelData.n
                    }
                }
            }
            UkText {
                Layout.fillWidth: true
                font.pointSize: page.smallPt
                text: page.stats.failureReasons === undefined || page.stats.failureReasons.length === 0 ? "" :
                      Tr.t("log_failure_reasons") + ": " + page.stats.failureReasons.slice(0, 5).map(r => Tr.code("reason", r.reason) + " " + r.count).join(", ")
            }
            Item { Layout.fillHeight: true }
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
                objectName: "exportNote"
                Layout.fillWidth: true
                font.pointSize: page.smallPt
                text: page.exportNote
            }
            BigButton {
                objectName: "statsButton"
                text: page.showStats ? Tr.t("log_show_sessions") : Tr.t("log_show_stats")
                onClicked: {
                    page.showStats = !page.showStats
                    if (page.showStats)
                        page.stats = logModel.dayStats(fromField.text)
                }
            }
            BigButton {
                objectName: "exportButton"
                text: Tr.t("log_export_csv")
                onClicked: {
                    page.media = logModel.removableMedia()
                    page.choosingMedium = true
                }
            }
        }
    }

    Rectangle {
        objectName: "mediumChooser"
        anchors.fill: parent
        visible: page.choosingMedium
        color: Theme.background
        MouseArea { anchors.fill: parent }
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacing
            UkText {
                Layout.fillWidth: true
                font.bold: true
                text: page.media.length > 0 ? Tr.t("log_choose_medium") : Tr.t("log_no_medium")
            }
            Repeater {
                model: page.media
                BigButton {
                    required property var modelData
                    required property int index
                    objectName: "medium-" + index
                    Layout.fillWidth: true
                    text: Tr.t("log_medium").arg(modelData.name)
                    onClicked: {
                        const path = logModel.exportPathOn(modelData.path)
                        page.exportNote = logModel.exportSpreadsheet(path)
                                          ? Tr.t("log_exported_to").arg(modelData.name) : ""
                        page.choosingMedium = false
                    }
                }
            }
            Item { Layout.fillHeight: true }
            RowLayout {
                Layout.fillWidth: true
                BigButton {
                    objectName: "mediumBackButton"
                    text: Tr.t("back")
                    fill: Theme.secondary; ink: Theme.inkSecondary
                    onClicked: page.choosingMedium = false
                }
                Item { Layout.fillWidth: true }
                BigButton {
                    objectName: "mediumRefreshButton"
                    text: Tr.t("status_refresh")
                    onClicked: page.media = logModel.removableMedia()
                }
            }
        }
    }
}
