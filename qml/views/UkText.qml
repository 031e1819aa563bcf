// Body text of the kiosk: >= 24 pt, wraps inside its box rather than overflowing it.
import QtQuick

Text {
    font.family: Theme.fontFamily
    font.pointSize: Theme.bodyPt
    color: Theme.text
    wrapMode: Text.Wrap
    visible: text.length > 0
}
