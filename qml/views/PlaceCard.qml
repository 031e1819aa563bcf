// Idle: "place your card" (qualification-domain.md §3 step 0). When the previous card was pulled
// out mid-session, the next screen says so first (issue 17: pulling the card used to say nothing).
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("place_card_title")
    // Shown for a while after the pull, then the ordinary idle screen.
    property bool showPulled: page.session.ending === "card-removed"
    Timer {
        interval: 20000
        running: page.showPulled
        onTriggered: page.showPulled = false
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            objectName: "cardPulledBox"
            Layout.fillWidth: true
            visible: page.showPulled
            implicitHeight: pulledText.implicitHeight + 32
            color: Theme.warning
            radius: 12
            border.color: Theme.border
            UkText {
                id: pulledText
                objectName: "cardPulledText"
                anchors.fill: parent
                anchors.margins: 16
                font.bold: true
                color: Theme.inkWarning
                text: Tr.code("ending_title", "card-removed") + " " + Tr.code("ending_next", "card-removed")
            }
        }
        UkText { Layout.fillWidth: true; text: Tr.t("place_card_body") }
        // A card outline in the reader, photo side up.
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: Theme.spacing
            implicitWidth: 428; implicitHeight: 270
            radius: 16
            color: Theme.secondary
            border.color: Theme.border; border.width: 4
            Rectangle {
                x: 24; y: 40; width: 110; height: 140
                color: "#B0BEC5"; border.color: Theme.border
            }
        }
        Item { Layout.fillHeight: true }
    }
}
