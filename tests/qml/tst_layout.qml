// Stable layout (issue 17): the countdown has a fixed width, so the title and the header buttons
// do not move while it counts; every touch (a PIN digit, a consent item) restarts the countdown.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Layout"
    when: windowShown

    FakeSession { id: fake }
    Component { id: mainWindow; Main { session: fake; visible: true } }

    function init() {
        fake.reset()
        Str.language = "ja"
    }

    function geometry(win) {
        const title = findChild(win.contentItem, "screenTitle")
        const staff = findChild(win.contentItem, "callStaffButton")
        const lang = findChild(win.contentItem, "languageButton")
        const p = staff.mapToItem(win.contentItem, 0, 0)
        const q = lang.mapToItem(win.contentItem, 0, 0)
        return [title.width, title.height, p.x, p.y, q.x, staff.width].join(",")
    }

    function test_countdown_never_moves_the_header() {
        const win = createTemporaryObject(mainWindow, testCase)
        for (const lang of ["ja", "en"]) {
            Str.language = lang
            for (const state of [SessionModel.ChoosingMethod, SessionModel.PinEntry, SessionModel.Consent]) {
                fake.setState(state)
                fake.set("timeLeftSeconds", 120)
                waitForRendering(win.contentItem)
                const first = geometry(win)
                for (const t of [100, 99, 59, 15, 9, 1, 0, -1]) {
                    fake.set("timeLeftSeconds", t)
                    waitForRendering(win.contentItem)
                    compare(geometry(win), first, lang + " state " + state + " at " + t + " s")
                }
            }
        }
    }

    function test_every_touch_restarts_the_countdown() {
        const win = createTemporaryObject(mainWindow, testCase)
        fake.setState(SessionModel.PinEntry)
        waitForRendering(win.contentItem)
        const before = fake.activityCount, posts = fake.activityPosts
        mouseClick(findChild(win.contentItem, "digit5"))
        verify(fake.activityCount > before, "a PIN digit counts")
        verify(fake.activityPosts > posts, "and reaches the session core")
        fake.setState(SessionModel.Consent)
        waitForRendering(win.contentItem)
        const page = win.contentItem
        mouseClick(findChild(page, "individualButton"))
        waitForRendering(win.contentItem)
        const ids = fake.consentItems.itemIds()
        tryVerify(() => findChild(page, "agree-" + ids[0]) !== null)
        waitForRendering(win.contentItem)
        const n = fake.activityCount
        mouseClick(findChild(page, "agree-" + ids[0]))
        verify(fake.activityCount > n, "a consent item counts")
        const m = fake.activityCount
        mouseClick(findChild(win.contentItem, "screenTitle"))  // even a tap on plain text
        verify(fake.activityCount > m)
    }
}
