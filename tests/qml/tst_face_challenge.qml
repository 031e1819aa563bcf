// The active liveness challenge screen, the staff 目視 screen's reasons after a refused
// presentation, and the 「デモ」 mark of the demo camera mode (issue 13).
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "FaceChallenge"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: screen; FaceChallenge { session: fake; width: 1280; height: 720 } }
    Component { id: staffScreen; StaffCheck { session: fake; width: 1280; height: 720 } }
    Component { id: mainWindow; Main { session: fake; visible: true } }

    function init() {
        fake.reset()
        fake.setDemoPersonas([], "")
        Str.language = "ja"
        fake.setState(SessionModel.FaceChallenge)
    }

    function test_waits_then_asks_the_action_with_a_countdown() {
        const page = createTemporaryObject(screen, testCase)
        const prompt = findChild(page, "challengePromptText")
        fake.set("challengeAction", "turn-left")
        fake.set("challengePrompted", false)
        // Before the random moment: no action is told (a recording must not learn it early).
        compare(prompt.text, "そのままカメラを見ていてください。")
        verify(!findChild(page, "challengeAnimation").visible)
        verify(!findChild(page, "challengeCountdown").visible)
        fake.set("challengePrompted", true)
        fake.set("challengeSecondsLeft", 4)
        compare(prompt.text, "顔をゆっくり左に向けてください")
        verify(findChild(page, "challengeAnimation").visible)
        compare(findChild(page, "challengeCountdown").text, "残り 4 秒")
        fake.set("challengeAction", "turn-right")
        compare(prompt.text, "顔をゆっくり右に向けてください")
        fake.set("challengeAction", "blink-twice")
        compare(prompt.text, "まばたきを2回してください")
        Str.language = "en"
        compare(prompt.text, "Please blink twice")
        fake.set("challengeSecondsLeft", 1)
        compare(findChild(page, "challengeCountdown").text, "1 second left")
    }

    function test_animation_turns_the_way_asked() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("challengeAction", "turn-left")
        fake.set("challengePrompted", true)
        const anim = findChild(page, "challengeAnimation")
        tryVerify(() => anim.turn < -0.5, 2000, "the face turns to the left (mirror view)")
        fake.set("challengeAction", "turn-right")
        tryVerify(() => anim.turn > 0.5, 3000, "the face turns to the right")
        fake.set("challengeAction", "blink-twice")
        tryVerify(() => anim.lid > 0.5, 2000, "the eyes close")
    }

    function test_other_method_leaves_the_challenge() {
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "otherMethodButton"))
        compare(fake.lastCall, "chooseAnotherMethod")
    }

    // The 目視 screen says why, in words, never the code.
    function test_staff_check_says_why_the_presentation_was_refused() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffScreen, testCase)
        const why = findChild(page, "staffCheckPatient")
        fake.set("message", "presentation-attack-suspected")
        verify(why.text.indexOf("写真や画面の可能性") >= 0, why.text)
        fake.set("message", "presentation-attack-suspected:challenge-no-response")
        verify(why.text.indexOf("お願いした動作") === 0, why.text)
        fake.set("message", "presentation-attack-suspected:challenge-identity-mismatch")
        verify(why.text.indexOf("カードの写真と一致しなかった") >= 0, why.text)
        Str.language = "en"
        fake.set("message", "presentation-attack-suspected:challenge-wrong-answer")
        verify(why.text.indexOf("did not match the request") >= 0, why.text)
        verify(why.text.indexOf("presentation") < 0, why.text)
    }

    function test_demo_mark_on_every_screen_in_demo_camera_mode() {
        const win = createTemporaryObject(mainWindow, testCase)
        const mark = findChild(win.contentItem, "demoCameraMark")
        fake.setState(SessionModel.Idle)
        verify(!mark.visible)
        fake.set("demoCamera", true)
        for (const state of [SessionModel.Idle, SessionModel.FaceCapture, SessionModel.StaffCheck,
                             SessionModel.ShowingResult]) {
            fake.setState(state)
            verify(mark.visible, "state " + state)
        }
        verify(findChild(win.contentItem, "demoCameraMarkText").text.indexOf("デモ") === 0)
    }
}
