// Str: every patient- and staff-facing text, Japanese and English, keyed by id (issue 5; style.md
// §6 "user-facing text lives only in qml/, chosen by error code"). Codes from the session core
// (message, refusal, notice, guidance, validity, status) are mapped to text here, never in QML
// logic. QML reads text through the Tr singleton (views/Tr.qml), whose functions read
// `Str.language`, so every binding re-evaluates the moment the language changes.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

namespace uketsuke::qml {

struct StringEntry {
    const char* kind;  // "ui", "message", "guidance", "refusal", "notice", "validity", "status"
    const char* id;
    const char* ja;
    const char* en;
};

// The whole table (ui_strings_table.cpp), for the tests that check it is complete.
const StringEntry* stringTable(std::size_t* count);

class Strings : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Str)
    QML_SINGLETON
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QStringList languages READ languages CONSTANT)
    Q_PROPERTY(QString defaultLanguage READ defaultLanguage CONSTANT)

  public:
    explicit Strings(QObject* parent = nullptr);

    // The language the singleton starts in (uketsuke-ui --lang); call before the engine loads.
    static void setDefaultLanguage(const QString& language);

    QString language() const { return language_; }
    QString defaultLanguage() const;
    void setLanguage(const QString& language);
    QStringList languages() const { return {QStringLiteral("ja"), QStringLiteral("en")}; }
    Q_INVOKABLE void toggleLanguage();

    // The "ui" text `id` in `language`; "[id]" when missing (the screenshot test looks for it).
    Q_INVOKABLE QString t(const QString& id, const QString& language) const;
    // "ui" text `id` with %1 = count; the "<id>_one" row when count is 1 and one exists
    // (English plurals: "1 try left", "2 tries left").
    Q_INVOKABLE QString countText(const QString& id, int count, const QString& language) const;
    // The text for a session-core code of `kind` (exact code, then its family row such as
    // "pin-*" or "qualification-*", then the kind's "_default"); "" for an empty code.
    Q_INVOKABLE QString code(const QString& kind, const QString& code,
                             const QString& language) const;

  signals:
    void languageChanged();

  private:
    QString language_;
};

}  // namespace uketsuke::qml
