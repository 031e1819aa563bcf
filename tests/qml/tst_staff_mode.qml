// Staff mode separate from patient mode (issue 17 blockers): the staff pages have their own header
// and no patient header, the sign-in ends after the staff idle timeout and the moment a card is
// placed, and a patient can never reach a signed-in staff page afterwards.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "StaffMode"
    when: windowShown

    FakeSession { id: fake }
    Component { id: mainWindow; Main { session: fake; visible: true } }

    function init() {
        fake.reset()
        fake.setStaffIdleTimeoutMs(60000)
        Str.language = "ja"
    }
    function cleanup() {
        fake.leaveStaffMode("signed-out")
    }

    // Opens the staff panel from the call-staff overlay and signs in; returns the panel.
    function signIn(win) {
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const panel = findChild(win.contentItem, "staffPanel")
        const loader = findChild(panel, "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "signInButton"))
        findChild(loader.item, "staffIdField").text = "S001"
        findChild(loader.item, "passwordField").insert(0, "demo-password")
        mouseClick(findChild(loader.item, "signInButton"))
        tryVerify(() => loader.item && findChild(loader.item, "menu-status"))
        verify(fake.staffSignedIn)
        verify(fake.staffMode)
        return panel
    }

    function test_staff_pages_have_their_own_header() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("timeLeftSeconds", 90)
        const panel = signIn(win)
        const loader = findChild(panel, "staffPageLoader")
        // The staff header, and none of the patient header's controls on the staff page.
        verify(findChild(loader.item, "staffHeader"))
        verify(findChild(loader.item, "staffCountdown").visible)
        compare(findChild(loader.item, "staffCountdown").text, "自動ログアウトまで 60 秒")
        compare(findChild(loader.item, "callStaffButton"), null)
        compare(findChild(loader.item, "languageButton"), null)
        compare(findChild(loader.item, "countdown"), null)
    }

    function test_staff_idle_timeout_signs_out_and_closes() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.Idle)
        const panel = signIn(win)
        fake.setStaffIdleTimeoutMs(1500)
        fake.noteActivity()  // the clock restarts with the new timeout
        const ended = fake.calls.length
        tryVerify(() => !panel.visible, 4000, "the panel closes after the staff idle timeout")
        verify(!fake.staffSignedIn)
        verify(!fake.staffMode)
        verify(fake.calls.slice(ended).indexOf("staffSignOut") >= 0)
        compare(win.screenName, "PlaceCard")
        // The patient's next tap on "call staff" and "staff menu" asks for a sign-in again.
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const loader = findChild(panel, "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "signInButton"))
        compare(findChild(loader.item, "menu-status"), null)
    }

    function test_touches_keep_staff_signed_in() {
        const win = createTemporaryObject(mainWindow, testCase)
        const panel = signIn(win)
        fake.setStaffIdleTimeoutMs(1200)
        const loader = findChild(panel, "staffPageLoader")
        for (let i = 0; i < 4; ++i) {
            wait(500)
            mouseClick(findChild(loader.item, "staffHeader"))  // any touch on a staff page
        }
        verify(panel.visible, "2 s of regular touches outlive a 1.2 s idle timeout")
        verify(fake.staffSignedIn)
    }

    function test_card_placed_during_staff_mode_ends_it() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.Idle)
        const panel = signIn(win)
        // The menu's terminal status page is open when a patient puts a card down.
        mouseClick(findChild(findChild(panel, "staffPageLoader").item, "menu-status"))
        fake.setState(SessionModel.ReadingCard)
        verify(!panel.visible)
        verify(!fake.staffSignedIn)
        verify(!fake.staffMode)
        compare(win.screenName, "ReadingCard")
        // "Back"-like moves of the patient never reopen a staff page.
        fake.setState(SessionModel.ChoosingMethod)
        verify(!panel.visible)
    }

    function test_sign_in_page_also_times_out() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setStaffIdleTimeoutMs(1000)
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const panel = findChild(win.contentItem, "staffPanel")
        verify(panel.visible)
        tryVerify(() => !panel.visible, 3000)
    }

    function test_leaving_the_menu_signs_out() {
        const win = createTemporaryObject(mainWindow, testCase)
        const panel = signIn(win)
        mouseClick(findChild(findChild(panel, "staffPageLoader").item, "staffSignOutButton"))
        verify(!panel.visible)
        verify(!fake.staffSignedIn)
        verify(!fake.staffMode)
    }

    // The sign-in is typed on the on-screen keyboard; the password stays masked.
    function test_sign_in_by_touch_keyboard() {
        const win = createTemporaryObject(mainWindow, testCase)
        mouseClick(findChild(win.contentItem, "callStaffButton"))
        mouseClick(findChild(win.contentItem, "staffMenuButton"))
        const loader = findChild(findChild(win.contentItem, "staffPanel"), "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "staffKeyboard"))
        const page = loader.item
        const kb = findChild(page, "staffKeyboard")
        waitForRendering(page)
        mouseClick(findChild(kb, "key-shift"))
        mouseClick(findChild(kb, "key-s"))
        for (const k of ["0", "0", "1"])
            mouseClick(findChild(kb, "key-" + k))
        compare(findChild(page, "staffIdField").text, "S001")
        mouseClick(findChild(page, "passwordField"))
        for (const k of "demo-password")
            mouseClick(findChild(kb, "key-" + k))
        const pw = findChild(page, "passwordField")
        compare(pw.text, "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022")  // dots only
        compare(pw.echoMode, TextInput.Password)
        mouseClick(findChild(kb, "key-backspace"))
        compare(pw.entry.length, 12)
        mouseClick(findChild(kb, "key-d"))
        mouseClick(findChild(page, "signInButton"))
        tryVerify(() => fake.staffSignedIn)
    }
}
