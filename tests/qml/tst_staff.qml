// Staff screens: 目視 decision, manual 照合番号B entry, terminal status.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Staff"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: staffCheck; StaffCheck { session: fake; width: 1280; height: 720 } }
    Component { id: cardFront; CardFrontEntry { session: fake; width: 1280; height: 720 } }
    Component { id: status; TerminalStatus { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
    }

    function test_staff_check_approve_needs_credentials() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        const approve = findChild(page, "approveButton")
        verify(!approve.enabled)
        findChild(page, "staffIdField").text = "S001"
        verify(!approve.enabled)
        findChild(page, "passwordField").text = "secret"
        verify(approve.enabled)
        mouseClick(approve)
        compare(fake.lastCall, "staffDecision:S001:password:approve:")
        compare(findChild(page, "passwordField").text, "")
    }

    function test_staff_check_reject_needs_reason() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        findChild(page, "staffIdField").text = "S001"
        findChild(page, "passwordField").text = "secret"
        const reject = findChild(page, "rejectButton")
        verify(!reject.enabled)
        mouseClick(findChild(page, "reason-face-differs"))
        verify(reject.enabled)
        mouseClick(reject)
        compare(fake.lastCall, "staffDecision:S001:password:reject:face-differs")
    }

    function test_staff_check_photos_and_auth_message() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        compare(findChild(page, "chipPhoto").source.toString(), "")
        fake.set("chipPhotoAvailable", true)
        fake.set("chipPhotoRevision", 3)
        compare(findChild(page, "chipPhoto").source.toString(), "image://uketsuke/chip/3")
        verify(findChild(page, "liveCapture").source.toString().indexOf("image://uketsuke/live/") === 0)
        fake.set("staffAuthMessage", "staff-locked-out")
        verify(findChild(page, "staffMessage").text.length > 0)
    }

    function test_card_front_entry_validates_and_sends() {
        const page = createTemporaryObject(cardFront, testCase)
        const enter = findChild(page, "enterButton")
        findChild(page, "birthField").text = "1980-02-30"
        findChild(page, "expiryField").text = "2035"
        findChild(page, "codeField").text = "2285"
        verify(!enter.enabled)
        verify(findChild(page, "invalidText").text.length > 0)
        findChild(page, "birthField").text = "1980-02-17"
        verify(enter.enabled)
        mouseClick(enter)
        compare(fake.lastCall, "enterCardFront:1980-02-17:2035")
        compare(findChild(page, "codeField").text, "")
    }

    function test_terminal_status_shows_advice_when_down() {
        const page = createTemporaryObject(status, testCase)
        compare(fake.lastCall, "refreshStatus")
        compare(findChild(page, "status-reader").color, Theme.ok)
        compare(findChild(page, "status-qualification").color, Theme.danger)
        mouseClick(findChild(page, "refreshButton"))
        compare(fake.calls.filter(c => c === "refreshStatus").length, 2)
    }
}
