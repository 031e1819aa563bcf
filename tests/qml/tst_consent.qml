// Consent as patients know it (issue 17): the items on one screen, one tap 「同意する」 or
// 「同意しない」, per-item answers with explicit check marks, no unanswered item sent, no jargon,
// 「ご本人と確認できました」 first, and a confirmation before cancelling a verified session.
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
        fake.set("verifiedMethod", "pin")
    }

    function texts(item, out) {
        if (item.visible === false)
            return out
        if (item.text !== undefined && typeof item.text === "string")
            out.push(item.text)
        for (let i = 0; i < item.children.length; ++i)
            texts(item.children[i], out)
        return out
    }

    function test_every_item_listed_on_one_screen_without_jargon() {
        const page = createTemporaryObject(screen, testCase)
        waitForRendering(page)
        const shown = texts(page, []).join("\n")
        for (let i = 0; i < fake.consentItems.count; ++i) {
            const id = fake.consentItems.itemIds()[i]
            verify(shown.indexOf(fake.consentItems.labelOf(id, "ja")) >= 0, id)
        }
        verify(shown.indexOf("包括") < 0, "no 包括同意 jargon")
        compare(findChild(page, "agreeAllButton").text, "同意する")
        compare(findChild(page, "refuseAllButton").text, "同意しない")
        Str.language = "en"
        compare(findChild(page, "agreeAllButton").text, "Agree")
        compare(findChild(page, "refuseAllButton").text, "Do not agree")
    }

    function test_one_tap_agree_and_refuse() {
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "agreeAllButton"))
        compare(fake.lastCall, "giveConsent:comprehensive:")
        mouseClick(findChild(page, "refuseAllButton"))
        // Every item explicitly answered "not agreed", none left to a default.
        const ids = fake.consentItems.itemIds()
        compare(fake.lastCall, "giveConsent:items:" + ids.map(id => id + "=0").sort().join(","))
    }

    function test_identity_confirmed_before_consent() {
        const page = createTemporaryObject(screen, testCase)
        const banner = findChild(page, "verifiedBanner")
        verify(banner.visible)
        compare(findChild(page, "verifiedText").text, "✓ ご本人と確認できました (暗証番号)")
        fake.set("verifiedMethod", "staff")
        compare(findChild(page, "verifiedText").text, "✓ ご本人と確認できました (職員による確認)")
    }

    function test_per_item_needs_every_answer_with_check_marks() {
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "individualButton"))
        const list = findChild(page, "consentItems")
        verify(list.visible)
        compare(list.count, fake.consentItems.count)
        const ids = fake.consentItems.itemIds()
        waitForRendering(page)
        const done = findChild(page, "doneButton")
        verify(!done.enabled, "nothing answered yet")
        compare(findChild(page, "unansweredText").text,
                "あと " + ids.length + " 項目、「同意する」か「同意しない」を選んでください")
        tryVerify(() => findChild(page, "agree-" + ids[0]) !== null)
        const agree = findChild(page, "agree-" + ids[0])
        mouseClick(agree)
        compare(agree.text, "✓ 同意する")
        compare(findChild(page, "disagree-" + ids[0]).text, "同意しない")
        mouseClick(findChild(page, "disagree-" + ids[0]))
        compare(agree.text, "同意する")
        compare(findChild(page, "disagree-" + ids[0]).text, "✓ 同意しない")
        verify(!done.enabled, "still unanswered items")
        // Answer the rest (scrolling the list to each), then 決定.
        for (let i = 1; i < ids.length; ++i) {
            list.positionViewAtIndex(i, ListView.Contain)
            tryVerify(() => findChild(page, "agree-" + ids[i]) !== null)
            waitForRendering(page)
            mouseClick(findChild(page, (i % 2 ? "agree-" : "disagree-") + ids[i]))
        }
        Str.language = "en"
        compare(findChild(page, "unansweredText").text, "All items answered. Please press Done.")
        verify(done.enabled)
        mouseClick(done)
        const expected = ids.map((id, i) => id + "=" + (i % 2 ? "1" : "0")).sort().join(",")
        compare(fake.lastCall, "giveConsent:items:" + expected)
    }

    function test_english_plural_of_unanswered() {
        Str.language = "en"
        const page = createTemporaryObject(screen, testCase)
        mouseClick(findChild(page, "individualButton"))
        const ids = fake.consentItems.itemIds()
        let answers = {}
        for (let i = 1; i < ids.length; ++i)
            answers[ids[i]] = true
        page.answers = answers
        compare(findChild(page, "unansweredText").text, "Please answer 1 more item")
    }

    function test_cancel_asks_first_and_names_the_staff_approval() {
        fake.set("verifiedMethod", "staff")
        const page = createTemporaryObject(screen, testCase)
        const dialog = findChild(page, "confirmCancel")
        mouseClick(findChild(page, "cancelButton"))
        verify(dialog.visible)
        compare(fake.lastCall, "")
        verify(findChild(dialog, "confirmCancelBody").text.indexOf("職員の確認も取り消され") >= 0)
        mouseClick(findChild(dialog, "confirmCancelNo"))
        verify(!dialog.visible)
        compare(fake.calls.indexOf("cancel"), -1)
        mouseClick(findChild(page, "cancelButton"))
        mouseClick(findChild(dialog, "confirmCancelYes"))
        compare(fake.lastCall, "cancel")
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
