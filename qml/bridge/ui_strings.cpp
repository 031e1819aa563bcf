#include "qml/bridge/ui_strings.h"

#include <cstring>

namespace uketsuke::qml {
namespace {

QString& startLanguage() {  // uketsuke-ui --lang
    static QString language = QStringLiteral("ja");
    return language;
}

const StringEntry* find(const char* kind, const QByteArray& id) {
    std::size_t count = 0;
    const StringEntry* table = stringTable(&count);
    for (std::size_t i = 0; i < count; ++i) {
        if (std::strcmp(table[i].kind, kind) == 0 && id == table[i].id)
            return &table[i];
    }
    return nullptr;
}

QString pick(const StringEntry& e, const QString& language) {
    return QString::fromUtf8(language == QLatin1String("en") ? e.en : e.ja);
}

// Code families whose members share one text (the suffix is a card or service error name, a
// rejection reason, ...): "<prefix>*" rows of any kind.
constexpr const char* kFamilyPrefixes[] = {
    "chip-photo-",     "face-",        "pin-",
    "qualification-",  "staff-",       "card-front-",
    "staff-rejected:", "certificate-", "presentation-attack-suspected:"};

}  // namespace

Strings::Strings(QObject* parent) : QObject(parent), language_(startLanguage()) {}

void Strings::setDefaultLanguage(const QString& language) {
    startLanguage() = language == QLatin1String("en") ? language : QStringLiteral("ja");
}

QString Strings::defaultLanguage() const {
    return startLanguage();
}

void Strings::setLanguage(const QString& language) {
    const QString normalized =
        language == QLatin1String("en") ? QStringLiteral("en") : QStringLiteral("ja");
    if (normalized == language_)
        return;
    language_ = normalized;
    emit languageChanged();
}

void Strings::toggleLanguage() {
    setLanguage(language_ == QLatin1String("ja") ? QStringLiteral("en") : QStringLiteral("ja"));
}

QString Strings::t(const QString& id, const QString& language) const {
    if (const StringEntry* e = find("ui", id.toUtf8()))
        return pick(*e, language);
    return QLatin1Char('[') + id + QLatin1Char(']');
}

QString Strings::countText(const QString& id, int count, const QString& language) const {
    if (count == 1) {
        if (const StringEntry* e = find("ui", (id + QStringLiteral("_one")).toUtf8()))
            return pick(*e, language).arg(count);
    }
    return t(id, language).arg(count);
}

QString Strings::code(const QString& kind, const QString& code, const QString& language) const {
    if (code.isEmpty())
        return {};
    const QByteArray k = kind.toUtf8();
    const QByteArray c = code.toUtf8();
    if (const StringEntry* e = find(k.constData(), c))
        return pick(*e, language);
    // "<name>:<detail>" (a failure reason with its detail): the "<name>:*" row, then "<name>".
    if (const auto colon = c.indexOf(':'); colon > 0) {
        if (const StringEntry* e = find(k.constData(), c.left(colon + 1) + '*'))
            return pick(*e, language);
        if (const StringEntry* e = find(k.constData(), c.left(colon)))
            return pick(*e, language);
    }
    // The longest matching family first ("staff-rejected:" before "staff-").
    const char* best = nullptr;
    for (const char* prefix : kFamilyPrefixes) {
        if (c.startsWith(prefix) && (!best || std::strlen(prefix) > std::strlen(best)) &&
            find(k.constData(), QByteArray(prefix) + '*'))
            best = prefix;
    }
    if (best) {
        if (const StringEntry* e = find(k.constData(), QByteArray(best) + '*'))
            return pick(*e, language);
    }
    if (const StringEntry* e = find(k.constData(), "_default"))
        return pick(*e, language);
    return {};
}

}  // namespace uketsuke::qml
