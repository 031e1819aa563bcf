// The staff menu's entries: a title id (Str "ui" table) and the page file in this module that the
// entry opens (resolved next to StaffPanel.qml). One more ListElement adds an entry, e.g. the log
// review: ListElement { key: "log"; titleId: "menu_log"; page: "../log/LogReview.qml" }
import QtQuick

ListModel {
    ListElement { key: "status"; titleId: "menu_status"; page: "TerminalStatus.qml" }
    ListElement { key: "cardFront"; titleId: "menu_card_front"; page: "CardFrontEntry.qml" }
    ListElement { key: "log"; titleId: "menu_log"; page: "../log/LogReview.qml" }
    ListElement { key: "sound"; titleId: "menu_sound"; page: "../sound/SoundSettings.qml" }
}
