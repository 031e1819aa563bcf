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
        const pad = findChild(page, "credentialPad")
        verify(!pad.visible)
        mouseClick(findChild(page, "approveButton"))
        verify(pad.visible)
        const confirm = findChild(page, "confirmDecisionButton")
        verify(!confirm.enabled)
        findChild(page, "staffIdField").text = "S001"
        verify(!confirm.enabled)
        findChild(page, "passwordField").insert(0, "secret")
        verify(confirm.enabled)
        mouseClick(confirm)
        compare(fake.lastCall, "staffDecision:S001:password:approve:")
        compare(fake.lastSecretLength, 6)  // the whole password reached the session as bytes
        compare(findChild(page, "passwordField").text, "")
        compare(findChild(page, "passwordField").entry.length, 0)  // the entry was wiped
    }

    function test_staff_check_reject_needs_reason() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        const reject = findChild(page, "rejectButton")
        verify(!reject.enabled)
        mouseClick(findChild(page, "reason-face-differs"))
        verify(reject.enabled)
        mouseClick(reject)
        verify(findChild(page, "credentialTitle").text.indexOf("顔が違う") >= 0)
        findChild(page, "staffIdField").text = "S001"
        findChild(page, "passwordField").insert(0, "secret")
        mouseClick(findChild(page, "confirmDecisionButton"))
        compare(fake.lastCall, "staffDecision:S001:password:reject:face-differs")
    }

    // The password is typed on the masked on-screen keyboard; a refused password keeps the pad
    // open with the reason; "back" returns to the photos and clears the password.
    function test_staff_check_credentials_by_touch() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        mouseClick(findChild(page, "approveButton"))
        waitForRendering(page)
        const kb = findChild(page, "staffKeyboard")
        mouseClick(findChild(kb, "key-shift"))
        mouseClick(findChild(kb, "key-s"))
        mouseClick(findChild(kb, "key-1"))
        compare(findChild(page, "staffIdField").text, "S1")
        mouseClick(findChild(page, "passwordField"))
        mouseClick(findChild(kb, "key-p"))
        mouseClick(findChild(kb, "key-w"))
        // QML sees dots only; the characters are in the SecretEntry.
        compare(findChild(page, "passwordField").text, "\u2022\u2022")
        compare(findChild(page, "passwordField").echoMode, TextInput.Password)
        mouseClick(findChild(page, "confirmDecisionButton"))
        compare(fake.lastCall, "staffDecision:S1:password:approve:")
        compare(fake.lastSecretLength, 2)
        fake.set("staffAuthMessage", "staff-wrong-password")
        verify(findChild(page, "credentialPad").visible)
        compare(findChild(page, "staffMessage").text, "パスワードが違います。")
        findChild(page, "passwordField").insert(0, "x")
        mouseClick(findChild(page, "padBackButton"))
        verify(!findChild(page, "credentialPad").visible)
        compare(findChild(page, "passwordField").text, "")
    }

    function test_staff_check_photos_large_and_hint() {
        fake.setState(SessionModel.StaffCheck)
        const page = createTemporaryObject(staffCheck, testCase)
        compare(findChild(page, "chipPhoto").source.toString(), "")
        fake.set("chipPhotoAvailable", true)
        fake.set("chipPhotoRevision", 3)
        compare(findChild(page, "chipPhoto").source.toString(), "image://uketsuke/chip/3")
        verify(findChild(page, "liveCapture").source.toString().indexOf("image://uketsuke/live/") === 0)
        waitForRendering(page)
        // Side by side, each at least 40 % of the screen's width (was 250 px).
        const chip = findChild(page, "chipPhoto"), live = findChild(page, "liveCapture")
        verify(chip.width >= 0.4 * page.width - 30, "chip photo " + chip.width)
        verify(live.width >= 0.4 * page.width - 30, "live capture " + live.width)
        verify(live.mapToItem(page, 0, 0).x > chip.mapToItem(page, chip.width, 0).x - 1)
        compare(findChild(page, "compareHint").text, "カードに印刷された顔写真とも見比べてください。")
    }

    // The patient sees why the kiosk moved to a staff check.
    function test_staff_check_says_why() {
        fake.setState(SessionModel.StaffCheck)
        fake.set("message", "face-mismatch")
        const page = createTemporaryObject(staffCheck, testCase)
        verify(findChild(page, "staffCheckPatient").text.indexOf("顔で確認できなかったため") === 0)
        fake.set("message", "pin-locked")
        verify(findChild(page, "staffCheckPatient").text.indexOf("暗証番号がロックされたため") === 0)
        fake.set("message", "")
        compare(findChild(page, "staffCheckPatient").text, "職員が本人確認を行います。その場でお待ちください。")
    }

    function test_card_front_entry_validates_and_sends() {
        const page = createTemporaryObject(cardFront, testCase)
        const enter = findChild(page, "enterButton")
        findChild(page, "birthField").text = "1980-02-30"
        findChild(page, "expiryField").text = "2035"
        findChild(page, "codeField").insert(0, "2285")
        verify(!enter.enabled)
        verify(findChild(page, "invalidText").text.length > 0)
        findChild(page, "birthField").text = "1980-02-17"
        verify(enter.enabled)
        mouseClick(enter)
        compare(fake.lastCall, "enterCardFront:1980-02-17:2035")
        compare(fake.lastSecretLength, 4)
        compare(findChild(page, "codeField").text, "")
    }

    // The card-front entry by touch (issue 17): the number pad types the date with its '-' by
    // itself, a full field moves on, the security code stays masked, delete takes the '-' too.
    function test_card_front_entry_by_touch() {
        const page = createTemporaryObject(cardFront, testCase)
        waitForRendering(page)
        const pad = findChild(page, "numberPad")
        const tap = keys => { for (const k of keys) mouseClick(findChild(pad, "pad-" + k)) }
        tap("19800217")
        compare(findChild(page, "birthField").text, "1980-02-17")
        compare(pad.target, findChild(page, "expiryField"))
        tap("2035")
        compare(findChild(page, "expiryField").text, "2035")
        compare(pad.target, findChild(page, "codeField"))
        tap("22859")  // the fifth digit does not fit
        compare(findChild(page, "codeField").text, "\u2022\u2022\u2022\u2022")  // dots, never the digits
        compare(findChild(page, "codeField").echoMode, TextInput.Password)
        // Back to the date by tapping it: delete removes the digit and the '-' before it.
        mouseClick(findChild(page, "birthField"))
        compare(pad.target, findChild(page, "birthField"))
        tap(["delete", "delete"])
        compare(findChild(page, "birthField").text, "1980-02")
        tap("17")
        compare(findChild(page, "birthField").text, "1980-02-17")
        mouseClick(findChild(pad, "pad-next"))
        compare(pad.target, findChild(page, "codeField"))
        const enter = findChild(page, "enterButton")
        verify(enter.enabled)
        mouseClick(enter)
        compare(fake.lastCall, "enterCardFront:1980-02-17:2035")
        compare(findChild(page, "codeField").text, "")
        compare(pad.target, findChild(page, "birthField"))
    }

    function test_card_front_pad_keys_are_touch_sized() {
        const page = createTemporaryObject(cardFront, testCase)
        waitForRendering(page)
        const pad = findChild(page, "numberPad")
        for (const k of ["0", "1", "9", "delete", "next"]) {
            const key = findChild(pad, "pad-" + k)
            verify(key.width >= Theme.touchTarget && key.height >= Theme.touchTarget, k)
            const p = key.mapToItem(page, 0, 0)
            verify(p.x >= 0 && p.y >= 0 && p.x + key.width <= page.width && p.y + key.height <= page.height, k)
        }
    }

    function test_terminal_status_shows_advice_when_down() {
        const page = createTemporaryObject(status, testCase)
        compare(fake.lastCall, "refreshStatus")
        compare(findChild(page, "status-reader").color, Theme.ok)
        compare(findChild(page, "status-qualification").color, Theme.danger)
        mouseClick(findChild(page, "refreshButton"))
        compare(fake.calls.filter(c => c === "refreshStatus").length, 2)
    }

    // The full check (issue 16): the button runs the doctor checks (off the GUI thread), a running
    // indicator shows meanwhile, then every check is listed with its verdict and detail, in the
    // chosen language, and stays until the next run.
    function doctorRows(page) {
        const list = findChild(page, "doctorList")
        const rows = []
        for (let i = 0; i < list.count; ++i) {
            list.positionViewAtIndex(i, ListView.Contain)
            rows.push(list.itemAtIndex(i))
        }
        return rows
    }
    function doctorRow(page, name) {
        return doctorRows(page).find(r => r.modelData.name === name)
    }

    function test_full_check_lists_every_check_in_both_languages() {
        const page = createTemporaryObject(status, testCase)
        const doctor = fake.doctor
        verify(doctor !== null)
        const runsBefore = doctor.runs
        const button = findChild(page, "doctorButton")
        verify(button.visible && button.enabled)
        compare(button.text, "詳しい点検")
        mouseClick(button)
        compare(fake.lastCall, "runDoctor")
        verify(doctor.running)
        verify(findChild(page, "doctorRunning").visible)
        verify(!button.enabled)  // one run at a time
        tryVerify(() => doctor.runs === runsBefore + 1, 5000)
        verify(!doctor.running)
        verify(!findChild(page, "doctorRunning").visible)
        verify(findChild(page, "doctorCameraNote").visible)
        compare(findChild(page, "doctorSummary").text, "異常 3 件、注意 2 件")

        const expected = ["pcscd", "reader", "card", "camera", "models", "terminal-key",
                          "qualification", "client-certificate", "log", "result-folder",
                          "staff-file", "clock", "disk"]
        let rows = doctorRows(page)
        compare(rows.map(r => r.modelData.name), expected)
        const other = Str.code("doctor", "_default", "ja")
        for (const r of rows) {
            // A Japanese name from the table, never the raw check code.
            verify(r.nameText !== r.modelData.name && r.nameText !== other, r.modelData.name)
            verify(/[\u3040-\u30ff\u4e00-\u9fff]/.test(r.nameText), r.nameText)
            verify(["正常", "注意", "異常"].includes(r.statusText), r.statusText)
            verify(r.modelData.detail.length > 0, r.modelData.name)
        }
        compare(doctorRow(page, "disk").statusText, "異常")
        compare(doctorRow(page, "disk").nameText, "ディスクの空き")
        compare(doctorRow(page, "client-certificate").statusText, "注意")
        compare(doctorRow(page, "reader").statusText, "正常")
        compare(findChild(doctorRow(page, "disk"), "doctorBadge").color, Theme.danger)
        compare(findChild(doctorRow(page, "client-certificate"), "doctorBadge").color,
                Theme.warning)
        verify(findChild(doctorRow(page, "client-certificate"), "doctorDetail").text
               .indexOf("10") >= 0)

        Str.language = "en"
        compare(button.text, "Full check")
        compare(findChild(page, "doctorSummary").text, "3 failed, 2 warnings")
        compare(doctorRow(page, "disk").nameText, "Disk space")
        compare(doctorRow(page, "disk").statusText, "Failed")
        compare(doctorRow(page, "client-certificate").nameText, "Client certificate")
        compare(doctorRow(page, "client-certificate").statusText, "Warning")
        compare(doctorRow(page, "reader").statusText, "OK")
        // The result stays (no new run) until the button is pressed again.
        compare(doctor.runs, runsBefore + 1)
        mouseClick(button)
        tryVerify(() => doctor.runs === runsBefore + 2, 5000)
        compare(doctorRows(page).length, expected.length)
    }
}
