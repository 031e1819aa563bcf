// Waiting screens (reading the card, start-up): nothing to do but wait.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    property string titleId: "reading_card"
    property string bodyId: "reading_card_body"
    title: Tr.t(titleId)
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText { Layout.fillWidth: true; text: Tr.t(page.bodyId) }
        BusyIndicator { Layout.alignment: Qt.AlignHCenter; implicitWidth: 160; implicitHeight: 160; running: true }
        Item { Layout.fillHeight: true }
    }
}
