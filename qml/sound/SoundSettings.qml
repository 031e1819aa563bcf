// Staff: voice guidance and volume (issue 17). Mute and volume apply at once and last until the
// terminal restarts; the configuration's "sound" section sets them at start. "Test" plays a
// prompt at the chosen volume.
import QtQuick
import QtQuick.Layouts
import Uketsuke

StaffPage {
    id: page
    signal back()
    title: Tr.t("sound_title")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        UkText {
            objectName: "soundState"
            Layout.fillWidth: true
            text: Sound.muted ? Tr.t("sound_state_muted") : Tr.t("sound_state_on")
        }
        BigButton {
            objectName: "muteButton"
            Layout.fillWidth: true
            text: Sound.muted ? Tr.t("sound_unmute") : Tr.t("sound_mute")
            onClicked: Sound.muted = !Sound.muted
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            BigButton {
                objectName: "volumeDown"
                text: "−"
                enabled: Sound.volume > 0
                onClicked: Sound.volume = Math.max(0, Sound.volume - 10)
            }
            UkText {
                objectName: "volumeText"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: Tr.t("sound_volume").arg(Sound.volume)
            }
            BigButton {
                objectName: "volumeUp"
                text: "+"
                enabled: Sound.volume < 100
                onClicked: Sound.volume = Math.min(100, Sound.volume + 10)
            }
        }
        BigButton {
            objectName: "testButton"
            Layout.fillWidth: true
            text: Tr.t("sound_test")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: Sound.guide("place_card", Str.language)
        }
        UkText {
            objectName: "soundProblem"
            Layout.fillWidth: true
            visible: !Sound.available
            text: Tr.t("sound_unavailable")
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "backButton"
            text: Tr.t("back")
            fill: Theme.secondary; ink: Theme.inkSecondary
            onClicked: page.back()
        }
    }
}
