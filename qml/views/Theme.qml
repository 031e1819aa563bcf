// Sizes and colours of the kiosk: large text (body >= 24 pt), high contrast (black on white,
// white on dark blue: both above 10:1), touch targets of at least 15 mm.
pragma Singleton
import QtQuick

QtObject {
    // The patient's large-text / high-contrast mode (issue 17 item 7): chosen with one button in
    // every patient screen's header, reset for the next patient (Main.qml). Staff screens keep
    // their normal, denser look (`staffShowing`: the staff panel is open).
    property bool large: false
    property bool staffShowing: false
    readonly property bool enlarged: large && !staffShowing

    // Physical pixels per millimetre of the screen; 6 px/mm (a 1280x800 10" panel is ~5.9)
    // when the platform does not report one (offscreen, VNC).
    readonly property real pxPerMm: {
        const screens = Qt.application.screens
        return screens.length > 0 && screens[0].pixelDensity > 1 ? screens[0].pixelDensity : 6
    }
    readonly property int touchTarget: Math.max(90, Math.ceil(15 * pxPerMm))
    // Large mode: body text 24 -> 28 pt (+17 %, with the high contrast), titles 32 -> 36 pt.
    readonly property int bodyPt: enlarged ? 28 : 24
    readonly property int titlePt: enlarged ? 36 : 32
    readonly property int demoPt: 14  // demo panel only: not patient-facing
    readonly property int smallPt: enlarged ? 24 : 18  // staff screens' dense parts (log review, staff header)
    readonly property string fontFamily: "Noto Sans CJK JP"
    readonly property int margin: enlarged ? 12 : 24
    readonly property int spacing: enlarged ? 10 : 16
    readonly property int borderWidth: enlarged ? 3 : 2

    // Normal: black on white, white on dark blue (both above 10:1). High contrast: white and
    // yellow on black, black on yellow / light green / light red (every pair above 9:1).
    readonly property color background: enlarged ? "#000000" : "#FFFFFF"
    readonly property color text: enlarged ? "#FFFFFF" : "#000000"
    readonly property color primary: enlarged ? "#FFE600" : "#0B3D91"
    readonly property color inkPrimary: enlarged ? "#000000" : "#FFFFFF"
    readonly property color secondary: enlarged ? "#000000" : "#E8EEF7"
    readonly property color inkSecondary: enlarged ? "#FFFFFF" : "#000000"
    readonly property color warning: "#FFD600"
    readonly property color inkWarning: "#000000"
    readonly property color warningSoft: enlarged ? "#3D3300" : "#FFF3C4"  // an item still to answer (Theme.text on it)
    readonly property color danger: enlarged ? "#FF8A80" : "#B00020"
    readonly property color inkDanger: enlarged ? "#000000" : "#FFFFFF"
    readonly property color ok: enlarged ? "#69F0AE" : "#1B5E20"
    readonly property color border: enlarged ? "#FFFFFF" : "#000000"
    readonly property color disabled: enlarged ? "#333333" : "#D0D0D0"
    readonly property color inkDisabled: enlarged ? "#BBBBBB" : "#555555"
    // The staff screens' header: visibly not a patient screen (white on slate, above 10:1).
    readonly property color staffHeader: "#263238"
}
