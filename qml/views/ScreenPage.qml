// The frame of every screen: the common header above the screen's own content.
import QtQuick
import QtQuick.Layouts
import Uketsuke

Rectangle {
    id: page
    required property SessionModel session
    property string title
    default property alias content: body.data
    color: Theme.background

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        ScreenHeader {
            session: page.session
            title: page.title
            Layout.fillWidth: true
        }
        Item {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }
}
