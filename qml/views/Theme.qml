// Sizes and colours of the kiosk: large text (body >= 24 pt), high contrast (black on white,
// white on dark blue: both above 10:1), touch targets of at least 15 mm.
pragma Singleton
import QtQuick

QtObject {
    // Physical pixels per millimetre of the screen; 6 px/mm (a 1280x800 10" panel is ~5.9)
    // when the platform does not report one (offscreen, VNC).
    readonly property real pxPerMm: {
        const screens = Qt.application.screens
        return screens.length > 0 && screens[0].pixelDensity > 1 ? screens[0].pixelDensity : 6
    }
    readonly property int touchTarget: Math.max(90, Math.ceil(15 * pxPerMm))
    readonly property int bodyPt: 24
    readonly property int titlePt: 32
    readonly property int demoPt: 14  // demo panel only: not patient-facing
    readonly property int smallPt: 18  // staff screens' dense parts (log review, staff header)
    readonly property string fontFamily: "Noto Sans CJK JP"
    readonly property int margin: 24
    readonly property int spacing: 16

    readonly property color background: "#FFFFFF"
    readonly property color text: "#000000"
    readonly property color primary: "#0B3D91"
    readonly property color inkPrimary: "#FFFFFF"
    readonly property color secondary: "#E8EEF7"
    readonly property color inkSecondary: "#000000"
    readonly property color warning: "#FFD600"
    readonly property color inkWarning: "#000000"
    readonly property color warningSoft: "#FFF3C4"  // an item still to answer (black text on it)
    readonly property color danger: "#B00020"
    readonly property color inkDanger: "#FFFFFF"
    readonly property color ok: "#1B5E20"
    readonly property color border: "#000000"
    // The staff screens' header: visibly not a patient screen (white on slate, above 10:1).
    readonly property color staffHeader: "#263238"
}
