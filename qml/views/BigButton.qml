// A touch button of at least Theme.touchTarget (15 mm) in both directions, text wrapped inside.
import QtQuick
import QtQuick.Controls.Basic

Button {
    id: control
    property color fill: Theme.primary
    property color ink: Theme.inkPrimary
    // contentHeight, not implicitHeight: it follows the wrapping at the button's actual width.
    implicitHeight: Math.max(Theme.touchTarget, label.contentHeight + topPadding + bottomPadding)
    implicitWidth: Math.max(Theme.touchTarget, Math.min(label.implicitWidth + 48, 520))
    font.family: Theme.fontFamily
    font.pointSize: Theme.bodyPt
    Accessible.name: text
    contentItem: Text {
        id: label
        text: control.text
        font: control.font
        color: control.enabled ? control.ink : Theme.inkDisabled
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.Wrap
    }
    background: Rectangle {
        radius: 12
        color: !control.enabled ? Theme.disabled : control.down ? Qt.darker(control.fill, 1.3) : control.fill
        border.color: Theme.border
        border.width: control.visualFocus ? 4 : Theme.borderWidth
    }
}
