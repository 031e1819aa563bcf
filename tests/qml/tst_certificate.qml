// The certificate self-check (issue 17): after the card is read, the patient sees the expiry date,
// the state and the renewal guidance in plain words, in both languages.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Certificate"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: choose; ChooseMethod { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("offerPin", true)
    }

    function test_no_button_without_a_certificate() {
        const page = createTemporaryObject(choose, testCase)
        verify(!findChild(page, "certCheckButton").visible)
    }

    function test_valid_certificate_in_plain_words() {
        fake.set("certExpiry", "2030-02-17")
        fake.set("certState", "valid")
        fake.set("certRenewalFrom", "2029-11-17")
        const page = createTemporaryObject(choose, testCase)
        const dialog = findChild(page, "certificateCheck")
        verify(!dialog.visible)
        mouseClick(findChild(page, "certCheckButton"))
        verify(dialog.visible)
        compare(findChild(dialog, "certExpiryText").text,
                "マイナ保険証として使う電子証明書 (利用者証明用) の有効期限は 2030年2月17日 です。")
        compare(findChild(dialog, "certStateText").text, "有効です。")
        verify(findChild(dialog, "certGuidanceText").text.indexOf("2029年11月17日 から") === 0)
        Str.language = "en"
        compare(findChild(dialog, "certStateText").text, "It is valid.")
        verify(findChild(dialog, "certExpiryText").text.indexOf("2030-2-17") > 0)
        mouseClick(findChild(dialog, "certCloseButton"))
        verify(!dialog.visible)
        compare(fake.calls.length, 0)  // looking changes nothing in the session
    }

    function test_grace_period_says_until_when() {
        fake.set("certExpiry", "2026-10-17")
        fake.set("certState", "expired-within-grace")
        fake.set("certRenewalFrom", "2026-07-17")
        fake.set("certGraceEnd", "2027-01-31")
        const page = createTemporaryObject(choose, testCase)
        mouseClick(findChild(page, "certCheckButton"))
        const dialog = findChild(page, "certificateCheck")
        compare(findChild(dialog, "certStateText").text,
                "有効期限が切れています。2027年1月31日 までは、保険の資格確認にだけ使えます。")
        verify(findChild(dialog, "certGuidanceText").text.indexOf("市区町村の窓口で更新") > 0)
    }
}
