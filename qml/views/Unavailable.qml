// The terminal could not start (configuration, models, log): patients are sent to the desk in
// their language; the technical cause (an English developer message with file paths) is for staff
// only and is shown on the staff side (terminal status), not here.
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
        UkText {
            objectName: "unavailableStaffHint"
            Layout.fillWidth: true
            font.pointSize: Theme.smallPt
            text: Tr.t("unavailable_staff_hint")
        }
        Item { Layout.fillHeight: true }
    }
}
