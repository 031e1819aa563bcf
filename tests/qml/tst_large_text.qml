// Large-text / high-contrast mode (issue 17 item 7): one button in every patient screen's header
// turns it on and off; the text grows and the colours turn to light on black at once, in both
// languages; staff pages keep their normal look; the next patient starts in normal text.
// (Every scene in the mode is rendered and scanned for overflow by qml.screenshots.)
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "LargeText"
    when: windowShown

    FakeSession { id: fake }
    Component { id: mainWindow; Main { session: fake; visible: true } }
    Component { id: quickResetWindow; Main { session: fake; visible: true; largeTextIdleResetMs: 300 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        Theme.large = false
    }
    function cleanup() { Theme.large = false }

    function test_button_on_every_patient_screen_toggles_the_mode() {
        const win = createTemporaryObject(mainWindow, testCase)
        const states = [SessionModel.Idle, SessionModel.ReadingCard, SessionModel.ChoosingMethod,
                        SessionModel.ReadingCardFace, SessionModel.FaceCapture, SessionModel.FaceChallenge,
                        SessionModel.PinEntry, SessionModel.StaffCheck, SessionModel.Consent,
                        SessionModel.Confirming, SessionModel.ShowingResult, SessionModel.RemoveCard,
                        SessionModel.Starting, SessionModel.Unavailable]
        for (const state of states) {
            fake.setState(state)
            const button = findChild(win.contentItem, "largeTextButton")
            verify(button && button.visible, "state " + state)
            verify(button.width >= Theme.touchTarget && button.height >= Theme.touchTarget)
        }
        fake.setState(SessionModel.ChoosingMethod)
        const title = findChild(win.contentItem, "screenTitle")
        compare(title.font.pointSize, 32)
        compare(Qt.colorEqual(title.color, "#000000"), true)
        const button = findChild(win.contentItem, "largeTextButton")
        compare(button.text, "大きな文字")
        mouseClick(button)
        verify(Theme.large && Theme.enlarged)
        compare(title.font.pointSize, 36)
        compare(Qt.colorEqual(title.color, "#FFFFFF"), true)
        verify(Qt.colorEqual(win.color, "#000000"))
        compare(Theme.bodyPt, 28)
        compare(button.text, "普通の文字")
        // The mode stays while the patient moves on, and survives a language switch.
        fake.setState(SessionModel.PinEntry)
        compare(findChild(win.contentItem, "screenTitle").font.pointSize, 36)
        mouseClick(findChild(win.contentItem, "languageButton"))
        compare(findChild(win.contentItem, "largeTextButton").text, "Normal text")
        verify(Theme.large)
        mouseClick(findChild(win.contentItem, "largeTextButton"))
        verify(!Theme.large)
        compare(findChild(win.contentItem, "largeTextButton").text, "Large text")
        compare(findChild(win.contentItem, "screenTitle").font.pointSize, 32)
    }

    // Chosen on the idle screen, then no card: back to normal text (90 s; 0.3 s here). Not while
    // a session runs.
    function test_idle_screen_resets_the_mode() {
        const win = createTemporaryObject(quickResetWindow, testCase)
        fake.setState(SessionModel.ChoosingMethod)
        mouseClick(findChild(win.contentItem, "largeTextButton"))
        wait(500)
        verify(Theme.large)  // a patient in a session keeps it
        Theme.large = false
        fake.setState(SessionModel.Idle)
        mouseClick(findChild(win.contentItem, "largeTextButton"))
        verify(Theme.large)
        tryVerify(() => !Theme.large, 2000)
    }

    // High contrast: every foreground/background pair of the theme is at least 7:1 (WCAG AAA).
    function test_high_contrast_pairs() {
        function lum(c) {
            const f = v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b)
        }
        function ratio(a, b) {
            const x = lum(a), y = lum(b)
            return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)
        }
        for (const large of [false, true]) {
            Theme.large = large
            const pairs = [["text", "background"], ["inkPrimary", "primary"], ["inkSecondary", "secondary"],
                           ["inkWarning", "warning"], ["text", "warningSoft"], ["inkPrimary", "ok"],
                           ["inkDisabled", "disabled"], ["border", "background"]]
            if (large)  // messages in Theme.danger are drawn on the page
                pairs.push(["danger", "background"], ["inkDanger", "danger"])
            for (const [fg, bg] of pairs) {
                const r = ratio(Theme[fg], Theme[bg])
                verify(r >= (fg === "inkDisabled" ? 4.5 : 7), (large ? "large " : "") + fg + "/" + bg + " " + r.toFixed(1))
            }
        }
    }

    // The next patient starts in normal text; a clerk's staff pages keep the normal look.
    function test_reset_for_the_next_patient_and_staff_pages_stay_normal() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.ChoosingMethod)
        mouseClick(findChild(win.contentItem, "largeTextButton"))
        verify(Theme.enlarged)
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const panel = findChild(win.contentItem, "staffPanel")
        verify(panel.visible)
        verify(Theme.large)
        verify(!Theme.enlarged)
        compare(Theme.bodyPt, 24)
        panel.close()
        verify(Theme.enlarged)
        compare(Theme.bodyPt, 28)
        fake.setState(SessionModel.RemoveCard)
        verify(Theme.large)
        fake.setState(SessionModel.Idle)  // the session ended
        verify(!Theme.large)
        compare(findChild(win.contentItem, "screenTitle").font.pointSize, 32)
        compare(findChild(win.contentItem, "largeTextButton").text, "大きな文字")
    }
}
