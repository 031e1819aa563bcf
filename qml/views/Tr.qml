// Text lookups for bindings. Each function reads Str.language, so a binding that calls it is
// re-evaluated when the language changes (the switch re-renders every screen at once). The
// mapping of codes to text is in C++ (bridge/ui_strings_table.cpp), not here.
pragma Singleton
import QtQuick
import Uketsuke

QtObject {
    function t(id) { return Str.t(id, Str.language) }
    // A text with a count: the "<id>_one" row for exactly one ("1 try left"), else "<id>".
    function n(id, count) { return Str.countText(id, count, Str.language) }
    function code(kind, value) { return Str.code(kind, value, Str.language) }
    // The consent data carries both labels (consent.json "label" / "label_en").
    function pick(ja, en) { return Str.language === "en" ? en : ja }
}
