// Idle: "place your card" (qualification-domain.md §3 step 0).
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("place_card_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
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
