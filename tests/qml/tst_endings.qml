// Honest endings and recovery (issue 17): each way a session ends has its own words and next
// step; 「別の方法を選ぶ」 on the face and PIN screens; why the PIN pad is missing and why the kiosk
// moved on; co-payment as 「3割」; English plurals.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Endings"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: removal; RemoveCard { session: fake; width: 1280; height: 720 } }
    Component { id: placeCard; PlaceCard { session: fake; width: 1280; height: 720 } }
    Component { id: choose; ChooseMethod { session: fake; width: 1280; height: 720 } }
    Component { id: face; FaceCapture { session: fake; width: 1280; height: 720 } }
    Component { id: pin; PinEntry { session: fake; width: 1280; height: 720 } }
    Component { id: result; Result { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
    }

    function test_each_ending_has_its_own_words_and_next_step() {
        fake.setState(SessionModel.RemoveCard)
        const page = createTemporaryObject(removal, testCase)
        const seen = {}
        for (const ending of ["confirmed", "refused", "error", "cancelled", "timeout"]) {
            fake.set("ending", ending)
            const title = findChild(page, "endingTitle").text
            const next = findChild(page, "endingNext").text
            verify(title.length > 0 && next.length > 0, ending)
            verify(seen[title] === undefined, ending + " shares its title with " + seen[title])
            seen[title] = ending
        }
        fake.set("ending", "timeout")
        compare(findChild(page, "endingTitle").text, "時間が過ぎたため、受付を中止しました")
        fake.set("ending", "confirmed")
        compare(findChild(page, "endingNext").text, "お名前が呼ばれるまで、待合室でお待ちください。")
        Str.language = "en"
        fake.set("ending", "cancelled")
        compare(findChild(page, "endingTitle").text, "Check-in stopped")
        compare(findChild(page, "endingNext").text, "To check in again, place your card on the reader again.")
    }

    function test_pulled_card_is_told_on_the_next_screen() {
        fake.setState(SessionModel.Idle)
        fake.set("ending", "card-removed")
        const page = createTemporaryObject(placeCard, testCase)
        verify(findChild(page, "cardPulledBox").visible)
        compare(findChild(page, "cardPulledText").text,
                "カードが抜かれたため、受付を中止しました。 もう一度、カードを置いてください。")
        fake.set("ending", "confirmed")  // a normal end: no notice
        const next = createTemporaryObject(placeCard, testCase)
        verify(!findChild(next, "cardPulledBox").visible)
    }

    function test_why_no_pin_pad() {
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("offerFace", true)
        fake.set("offerStaff", true)
        fake.set("pinUnavailableReason", "face-auth-card")
        const page = createTemporaryObject(choose, testCase)
        verify(!findChild(page, "pinButton").visible)
        const why = findChild(page, "pinReasonText")
        verify(why.visible)
        verify(why.text.indexOf("顔認証マイナンバーカード") >= 0)
        fake.set("pinUnavailableReason", "pin-locked")
        verify(why.text.indexOf("市区町村の窓口") >= 0)
        fake.set("offerPin", true)
        fake.set("pinUnavailableReason", "")
        verify(!why.visible)
    }

    function test_other_method_on_face_and_pin_screens() {
        fake.setState(SessionModel.FaceCapture)
        const f = createTemporaryObject(face, testCase)
        compare(findChild(f, "otherMethodButton").text, "別の方法を選ぶ")
        mouseClick(findChild(f, "otherMethodButton"))
        compare(fake.lastCall, "chooseAnotherMethod")
        fake.setState(SessionModel.PinEntry)
        const p = createTemporaryObject(pin, testCase)
        mouseClick(findChild(p, "otherMethodButton"))
        compare(fake.lastCall, "chooseAnotherMethod")
        compare(fake.calls.indexOf("cancel"), -1)
    }

    function test_pin_pad_says_why_after_face() {
        fake.setState(SessionModel.PinEntry)
        fake.set("pinTriesLeft", 3)
        fake.set("message", "face-mismatch")
        const p = createTemporaryObject(pin, testCase)
        compare(findChild(p, "whyPinText").text, "顔で確認できなかったため、暗証番号で確認します。")
        verify(!findChild(p, "pinMessage").visible)
        fake.set("message", "pin-wrong")
        compare(findChild(p, "whyPinText").text, "")
        verify(findChild(p, "pinMessage").visible)
    }

    function test_english_plurals() {
        Str.language = "en"
        fake.setState(SessionModel.PinEntry)
        fake.set("pinTriesLeft", 1)
        const p = createTemporaryObject(pin, testCase)
        compare(findChild(p, "triesText").text, "1 try left")
        fake.set("pinTriesLeft", 2)
        compare(findChild(p, "triesText").text, "2 tries left")
        fake.setState(SessionModel.ChoosingMethod)
        fake.set("offerPin", true)
        fake.set("pinTriesLeft", 1)
        const c = createTemporaryObject(choose, testCase)
        compare(findChild(c, "pinTriesText").text, "You can enter the PIN 1 more time")
    }

    function test_copayment_in_wari() {
        fake.setState(SessionModel.ShowingResult)
        fake.set("resultOutcome", "confirmed")
        fake.set("insurerName", "協会けんぽ")
        fake.set("contributionRatio", "30")
        const page = createTemporaryObject(result, testCase)
        compare(findChild(page, "ratioText").text, "3割")
        Str.language = "en"
        compare(findChild(page, "ratioText").text, "30 %")
    }
}
