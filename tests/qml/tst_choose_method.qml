// Method choice: only offered methods are shown; a tap sends the choice.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "ChooseMethod"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: screen; ChooseMethod { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        fake.setState(SessionModel.ChoosingMethod)
    }

    function test_offers_drive_buttons() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("offerFace", false); fake.set("offerPin", true); fake.set("offerStaff", true)
        verify(!findChild(page, "faceButton").visible)
        verify(findChild(page, "pinButton").visible)
        fake.set("offerFace", true)
        verify(findChild(page, "faceButton").visible)
        fake.set("offerPin", false)
        verify(!findChild(page, "pinButton").visible)
    }

    function test_choices_are_sent() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("offerFace", true); fake.set("offerPin", true); fake.set("offerStaff", true)
        waitForRendering(page)  // the layout places the newly shown buttons
        mouseClick(findChild(page, "faceButton"))
        compare(fake.lastCall, "chooseMethod:face")
        mouseClick(findChild(page, "pinButton"))
        compare(fake.lastCall, "chooseMethod:pin")
        mouseClick(findChild(page, "staffButton"))
        compare(fake.lastCall, "chooseMethod:staff")
        mouseClick(findChild(page, "cancelButton"))
        compare(fake.lastCall, "cancel")
    }

    function test_pin_tries_and_notice() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("offerPin", true); fake.set("pinTriesLeft", 2)
        compare(findChild(page, "pinTriesText").text, "暗証番号はあと 2 回まで入力できます")
        fake.set("notice", "renewal-due")
        verify(findChild(page, "noticeText").text.indexOf("更新") >= 0)
    }
}
