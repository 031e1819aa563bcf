// Result and "remove your card": outcome titles, insurer, refusal text, left-behind alarm.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "ResultAndRemoval"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: result; Result { session: fake; width: 1280; height: 720 } }
    Component { id: removal; RemoveCard { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
    }

    function test_confirmed_result() {
        fake.setState(SessionModel.ShowingResult)
        fake.set("resultOutcome", "confirmed")
        fake.set("resultValidity", 1)
        fake.set("insurerName", "全国健康保険協会東京支部")
        const page = createTemporaryObject(result, testCase)
        compare(page.title, "受付が完了しました")
        compare(findChild(page, "insurerText").text, "全国健康保険協会東京支部")
        compare(findChild(page, "validityText").text, "保険の資格は有効です。")
        mouseClick(findChild(page, "okButton"))
        compare(fake.lastCall, "acknowledgeResult")
    }

    function test_refused_card_says_why() {
        fake.setState(SessionModel.ShowingResult)
        fake.set("resultOutcome", "refused")
        fake.set("refusal", "certificate-expired")
        const page = createTemporaryObject(result, testCase)
        compare(page.title, "受付できませんでした")
        compare(findChild(page, "resultMessage").text, "電子証明書の有効期限が切れています。")
        Str.language = "en"
        compare(page.title, "Check-in was not possible")
    }

    function test_service_error_maps_message_family() {
        fake.setState(SessionModel.ShowingResult)
        fake.set("resultOutcome", "error")
        fake.set("message", "qualification-server-error")
        const page = createTemporaryObject(result, testCase)
        compare(findChild(page, "resultMessage").text, "資格を確認できませんでした。")
    }

    function test_left_behind_alarm() {
        fake.setState(SessionModel.RemoveCard)
        const page = createTemporaryObject(removal, testCase)
        verify(!findChild(page, "leftBehindAlarm").visible)
        fake.set("cardLeftBehindAlarm", true)
        verify(findChild(page, "leftBehindAlarm").visible)
    }
}
