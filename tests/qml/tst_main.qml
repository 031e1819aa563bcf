// The window: one screen per state, language switch at any moment, countdown and timeout, the
// call-staff button and the staff panel, the demo panel.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Main"
    when: windowShown

    FakeSession { id: fake }
    Component { id: mainWindow; Main { session: fake; demo: fake.demo; visible: true } }

    function init() {
        fake.reset()
        fake.setDemoPersonas([], "")
        Str.language = "ja"
    }

    function screenTitle(win) { return findChild(win.contentItem, "screenTitle") }

    function test_every_state_has_its_screen() {
        const win = createTemporaryObject(mainWindow, testCase)
        const expected = [
            [SessionModel.Idle, "PlaceCard"], [SessionModel.ReadingCard, "ReadingCard"],
            [SessionModel.ChoosingMethod, "ChooseMethod"], [SessionModel.ReadingCardFace, "CardFaceReading"],
            [SessionModel.FaceCapture, "FaceCapture"], [SessionModel.FaceChallenge, "FaceChallenge"],
            [SessionModel.PinEntry, "PinEntry"],
            [SessionModel.StaffCheck, "StaffCheck"], [SessionModel.Consent, "Consent"],
            [SessionModel.Confirming, "Confirming"], [SessionModel.ShowingResult, "Result"],
            [SessionModel.RemoveCard, "RemoveCard"], [SessionModel.Starting, "Starting"],
            [SessionModel.Unavailable, "Unavailable"]]
        for (const [state, name] of expected) {
            fake.setState(state)
            compare(win.screenName, name, "state " + state)
            // The common header (call staff, language) is on every screen.
            verify(findChild(win.contentItem, "callStaffButton").visible, name)
            verify(findChild(win.contentItem, "languageButton").visible, name)
        }
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("cardFrontNeeded", true)
        compare(win.screenName, "CardFaceReading")
    }

    function test_language_switch_rerenders_at_once() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.Idle)
        compare(screenTitle(win).text, "マイナンバーカードを置いてください")
        const button = findChild(win.contentItem, "languageButton")
        compare(button.text, "English")
        mouseClick(button)
        compare(Str.language, "en")
        compare(screenTitle(win).text, "Please place your My Number Card")
        compare(button.text, "日本語")
        // Mid-session, too.
        fake.setState(SessionModel.PinEntry)
        compare(screenTitle(win).text, "Please enter your 4-digit PIN")
        mouseClick(findChild(win.contentItem, "languageButton"))
        compare(screenTitle(win).text, "暗証番号 (数字4桁) を入力してください")
    }

    function test_next_patient_starts_in_default_language() {
        createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.Idle)
        Str.language = "en"  // switching at the idle screen sticks for this patient
        fake.setState(SessionModel.ReadingCard)
        compare(Str.language, "en")
        fake.setState(SessionModel.RemoveCard)
        compare(Str.language, "en")
        fake.setState(SessionModel.Idle)  // card taken: the session is over
        compare(Str.language, Str.defaultLanguage)
    }

    function test_countdown_visible_and_timeout_returns_to_removal() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("timeLeftSeconds", 42)
        const countdown = findChild(win.contentItem, "countdown")
        verify(countdown.visible)
        compare(countdown.text, "残り 42 秒")
        fake.set("timeLeftSeconds", 41)
        compare(countdown.text, "残り 41 秒")
        Str.language = "en"
        compare(countdown.text, "41 s left")
        // The controller's timeout ends the session: card removal screen, no countdown.
        fake.setState(SessionModel.RemoveCard)
        fake.set("timeLeftSeconds", -1)
        compare(win.screenName, "RemoveCard")
        verify(!findChild(win.contentItem, "countdown").visible)
    }

    function test_call_staff_from_any_screen() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.Consent)
        const overlay = findChild(win.contentItem, "callStaffOverlay")
        verify(!overlay.visible)
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        verify(fake.staffCalled)
        verify(overlay.visible)
        mouseClick(findChild(overlay, "closeButton"))
        verify(!fake.staffCalled)
    }

    function test_staff_panel_sign_in_and_menu() {
        const win = createTemporaryObject(mainWindow, testCase)
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const panel = findChild(win.contentItem, "staffPanel")
        verify(panel.visible)
        const loader = findChild(panel, "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "signInButton"))
        const id = findChild(loader.item, "staffIdField")
        const pw = findChild(loader.item, "passwordField")
        id.text = "S001"
        pw.insert(0, "wrong")
        mouseClick(findChild(loader.item, "signInButton"))
        compare(fake.lastCall, "staffSignIn:S001")
        compare(pw.text, "")  // the password never stays in the field
        compare(findChild(loader.item, "loginMessage").text, "パスワードが違います。")
        pw.insert(0, "demo-password")
        mouseClick(findChild(loader.item, "signInButton"))
        tryVerify(() => loader.item && findChild(loader.item, "menu-status"))
        verify(findChild(loader.item, "menu-cardFront"))
        mouseClick(findChild(loader.item, "menu-status"))
        tryVerify(() => loader.item && findChild(loader.item, "refreshButton"))
        compare(fake.lastCall, "refreshStatus")
        mouseClick(findChild(loader.item, "backButton"))
        tryVerify(() => findChild(loader.item, "signOutButton"))
        mouseClick(findChild(loader.item, "signOutButton"))
        verify(!panel.visible)
        verify(!fake.staffSignedIn)
    }

    function test_card_front_needed_leads_to_staff_entry() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("cardFrontNeeded", true)
        mouseClick(findChild(win.contentItem, "staffEntryButton"))
        const panel = findChild(win.contentItem, "staffPanel")
        verify(panel.visible)
        compare(panel.wanted, "CardFrontEntry.qml")
        fake.set("staffSignedIn", true)
        const loader = findChild(panel, "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "enterButton"))
    }

    function test_demo_panel_only_in_demo_mode() {
        const win = createTemporaryObject(mainWindow, testCase)
        verify(!findChild(win.contentItem, "demoPanel").visible)
        fake.setDemoPersonas(["normal", "pin-locked"], "normal")
        verify(findChild(win.contentItem, "demoPanel").visible)
        mouseClick(findChild(win.contentItem, "persona-pin-locked"))
        compare(fake.lastCall, "demoInsert:pin-locked")
        compare(fake.demo.persona, "pin-locked")
    }
}
