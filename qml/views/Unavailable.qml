// The terminal could not start (configuration, models, log): patients are sent to the desk,
// staff see the cause.
import QtQuick
import QtQuick.Layouts
import Uketsuke

ScreenPage {
    id: page
    title: Tr.t("unavailable_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText { Layout.fillWidth: true; text: Tr.t("unavailable_body") }
        UkText { objectName: "startupError"; Layout.fillWidth: true; text: page.session.startupError }
        Item { Layout.fillHeight: true }
    }
}
