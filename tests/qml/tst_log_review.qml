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

    function test_csv_export() {
        const page = createTemporaryObject(review, testCase)
        mouseClick(findChild(page, "exportButton"))
        verify(findChild(page, "exportNote").text.indexOf(".csv") > 0)
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
