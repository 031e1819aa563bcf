// The staff menu: one button per StaffMenuEntries entry; leaving it ends staff mode.
import QtQuick
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: menu
    signal back()
    signal openPage(string file)
    title: Tr.t("staff_menu_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Repeater {
            model: StaffMenuEntries { id: entries }
            BigButton {
                required property string key
                required property string titleId
                required property string page
                objectName: "menu-" + key
                Layout.fillWidth: true
                text: Tr.t(titleId)
                onClicked: menu.openPage(page)
            }
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "signOutButton"
            text: Tr.t("sign_out")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: menu.back()
        }
    }
}
