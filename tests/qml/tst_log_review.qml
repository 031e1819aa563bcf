// Log review (staff): today's sessions from the fixture log (tests/qml/test_setup.cpp: face,
// PIN, staff confirmed; one aborted; one refused), filters, detail, statistics, CSV export,
// language switch and a bad date.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "LogReview"
    width: 1280; height: 800
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: review; LogReview { session: fake; width: 1280; height: 800 } }

    function init() {
        fake.reset()
        Str.language = "ja"
    }

    function test_lists_today_sessions_newest_first() {
        const page = createTemporaryObject(review, testCase)
        compare(page.model.count, 5)
        const list = findChild(page, "sessionList")
        compare(list.count, 5)
        compare(page.model.error, "")
    }

    function test_method_and_outcome_filters() {
        const page = createTemporaryObject(review, testCase)
        const methods = findChild(page, "methodBox")
        methods.currentIndex = methods.indexOfValue("face")
        mouseClick(findChild(page, "searchButton"))
        compare(page.model.count, 2)
        const outcomes = findChild(page, "outcomeBox")
        outcomes.currentIndex = outcomes.indexOfValue("refused")
        mouseClick(findChild(page, "searchButton"))
        compare(page.model.count, 1)
    }

    function test_detail_of_the_selected_session() {
        const page = createTemporaryObject(review, testCase)
        const list = findChild(page, "sessionList")
        list.currentIndex = 2
        const detail = findChild(page, "detailText").text
        const id = page.model.detail(2).sessionId
        verify(id.length > 0)
        verify(detail.indexOf(id) >= 0, detail)
        verify(detail.indexOf("staff-07") >= 0, "the staff session shows its staff ID: " + detail)
    }

    function test_daily_statistics() {
        const page = createTemporaryObject(review, testCase)
        mouseClick(findChild(page, "statsButton"))
        verify(findChild(page, "statsPane").visible)
        verify(findChild(page, "statsSummary").text.indexOf(": 5 ") > 0, findChild(page, "statsSummary").text)
        mouseClick(findChild(page, "statsButton"))
        verify(!findChild(page, "statsPane").visible)
    }

    // The export goes to a removable medium the manager picks (the test's stand-in stick), as a
    // spreadsheet CSV with a BOM.
    function test_csv_export_to_removable_medium() {
        const page = createTemporaryObject(review, testCase)
        mouseClick(findChild(page, "exportButton"))
        const chooser = findChild(page, "mediumChooser")
        verify(chooser.visible)
        tryVerify(() => findChild(page, "medium-0") !== null)
        const medium = page.media[0]
        compare(findChild(page, "medium-0").text, "USB メモリ: " + medium.name)
        mouseClick(findChild(page, "medium-0"))
        verify(!chooser.visible)
        compare(findChild(page, "exportNote").text, "USB メモリ (" + medium.name + ") に保存しました")
        const xhr = new XMLHttpRequest()
        xhr.open("GET", "file://" + page.model.exportPathOn(medium.path), false)
        xhr.responseType = "arraybuffer"
        xhr.send()
        const bytes = new Uint8Array(xhr.response)
        verify(bytes.length > 100)
        compare([bytes[0], bytes[1], bytes[2]], [0xEF, 0xBB, 0xBF])  // the UTF-8 BOM
        compare(String.fromCharCode(bytes[3], bytes[4], bytes[5]), "seq")
    }

    // Every code in Japanese words (issue 17: no raw codes for the manager).
    function test_detail_in_japanese_words() {
        const page = createTemporaryObject(review, testCase)
        findChild(page, "sessionList").currentIndex = 0
        const detail = findChild(page, "detailText").text
        // The fixture's card class "mynumber" is no class the card layer names: "不明", not the code.
        verify(detail.indexOf("カード種別: 不明") >= 0, detail)
        verify(detail.indexOf("mynumber") < 0, detail)
        verify(detail.indexOf("試行回数: 顔認証") >= 0, detail)
        verify(detail.indexOf("card_read") < 0, detail)
    }

    function test_language_switch() {
        const page = createTemporaryObject(review, testCase)
        compare(findChild(page, "searchButton").text, "検索")
        Str.language = "en"
        compare(findChild(page, "searchButton").text, "Search")
    }

    function test_bad_date_is_explained() {
        const page = createTemporaryObject(review, testCase)
        findChild(page, "fromField").text = "2025-13-01"
        mouseClick(findChild(page, "searchButton"))
        compare(page.model.error, "log-bad-dates")
        verify(findChild(page, "logError").text.length > 0)
    }
}
