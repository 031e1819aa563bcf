// PIN pad: masked digits, fixed keypad, tries left, last-try warning and confirmation.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "PinEntry"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: screen; PinEntry { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        fake.setState(SessionModel.PinEntry)
        fake.set("pinTriesLeft", 3)
    }

    function press(page, digits) {
        for (const d of digits)
            mouseClick(findChild(page, "digit" + d))
    }

    function test_digits_are_masked_and_counted() {
        const page = createTemporaryObject(screen, testCase)
        press(page, "12")
        compare(fake.pinLength, 2)
        // The screen says how many digits, never which.
        compare(findChild(page, "pinDots").Accessible.name, "2 / 4 桁入力済み")
        mouseClick(findChild(page, "deleteButton"))
        compare(fake.pinLength, 1)
    }

    function test_submit_needs_four_digits_and_sends_them() {
        const page = createTemporaryObject(screen, testCase)
        const submit = findChild(page, "submitButton")
        press(page, "123")
        verify(!submit.enabled)
        press(page, "45")  // the fifth digit is ignored
        compare(fake.pinLength, 4)
        verify(submit.enabled)
        mouseClick(submit)
        compare(fake.lastCall, "pin:1234:not-confirmed")
        compare(fake.pinLength, 0)  // wiped after the submit
    }

    function test_keypad_layout_is_fixed() {
        const page = createTemporaryObject(screen, testCase)
        const one = findChild(page, "digit1"), two = findChild(page, "digit2")
        const four = findChild(page, "digit4"), zero = findChild(page, "digit0")
        verify(one.mapToItem(page, 0, 0).x < two.mapToItem(page, 0, 0).x)
        verify(one.mapToItem(page, 0, 0).y < four.mapToItem(page, 0, 0).y)
        verify(four.mapToItem(page, 0, 0).y < zero.mapToItem(page, 0, 0).y)
        verify(one.height >= Theme.touchTarget && one.width >= Theme.touchTarget)
    }

    function test_tries_left_shown() {
        const page = createTemporaryObject(screen, testCase)
        compare(findChild(page, "triesText").text, "あと 3 回まで入力できます")
        fake.set("pinTriesLeft", 2)
        compare(findChild(page, "triesText").text, "あと 2 回まで入力できます")
        verify(!findChild(page, "lastTryWarning").visible)
    }

    function test_last_try_warning_and_confirmation() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("pinTriesLeft", 1)
        fake.set("lastTryWarning", true)
        verify(findChild(page, "lastTryWarning").visible)
        const submit = findChild(page, "submitButton")
        compare(submit.text, "わかりました。入力します")
        press(page, "9999")
        mouseClick(submit)
        compare(fake.lastCall, "pin:9999:confirmed")
    }

    function test_wrong_pin_message_and_wipe_on_retry() {
        const page = createTemporaryObject(screen, testCase)
        press(page, "12")
        fake.set("message", "pin-wrong")
        fake.set("pinTriesLeft", 2)  // a failed attempt: half-typed digits are wiped
        compare(fake.pinLength, 0)
        compare(findChild(page, "pinMessage").text, "暗証番号が違います。")
        Str.language = "en"
        compare(findChild(page, "pinMessage").text, "The PIN is not correct.")
    }

    function test_digits_ignored_outside_pin_entry() {
        createTemporaryObject(screen, testCase)
        fake.setState(SessionModel.Consent)
        fake.pinDigit(1)
        compare(fake.pinLength, 0)
    }
}
