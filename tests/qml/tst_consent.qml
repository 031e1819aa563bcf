// Consent: labels and items come from the consent data; comprehensive and per-item answers.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Consent"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: screen; Consent { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        fake.setState(SessionModel.Consent)
    }

    function test_comprehensive_label_from_catalog_in_both_languages() {
        const page = createTemporaryObject(screen, testCase)
        const button = findChild(page, "comprehensiveButton")
        compare(button.text, fake.consentItems.comprehensiveLabel)
        verify(button.text.indexOf("包括同意") === 0)
        Str.language = "en"
        compare(button.text, fake.consentItems.comprehensiveLabelEn)
        mouseClick(button)
        compare(fake.lastCall, "giveConsent:comprehensive:")
    }

    function test_items_from_catalog_and_per_item_answers() {
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "individualButton"))
        const list = findChild(page, "consentItems")
        verify(list.visible)
        // "Done" and "Cancel" do not overlap once the per-item list is shown.
        waitForRendering(page)
        const done = findChild(page, "doneButton"), cancel = findChild(page, "cancelButton")
        verify(done.mapToItem(page, 0, 0).x >= cancel.mapToItem(page, cancel.width, 0).x)
        compare(list.count, fake.consentItems.count)
        verify(list.count >= 2)
        const ids = fake.consentItems.itemIds()
        tryVerify(() => findChild(page, "disagree-" + ids[1]) !== null)
        waitForRendering(page)
        mouseClick(findChild(page, "agree-" + ids[0]))
        mouseClick(findChild(page, "disagree-" + ids[1]))
        mouseClick(findChild(page, "doneButton"))
        compare(fake.lastCall, "giveConsent:items:" + [ids[0] + "=1", ids[1] + "=0"].sort().join(","))
    }

    function test_qualification_only_asks_only_non_information_items() {
        const all = fake.consentItems.count
        fake.set("notice", "qualification-only")
        verify(fake.consentItems.count < all)
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "individualButton"))
        compare(findChild(page, "consentItems").count, fake.consentItems.count)
        fake.set("notice", "")
        compare(fake.consentItems.count, all)
    }
}
