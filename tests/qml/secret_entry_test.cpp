// SecretEntry (issue 15, secrets as SecretBytes from the QML boundary inward): the staff password
// and the security code are typed key by key into C++; nothing QML can read (any property of the
// object) holds the characters, and take() hands them over as SecretBytes and wipes the entry.
#include <gtest/gtest.h>

#include <QMetaProperty>
#include <QSignalSpy>
#include <string>

#include "qml/bridge/secret_entry.h"

namespace uketsuke::qml {
namespace {

std::string text(const SecretBytes& s) {
    const auto v = s.view();
    return std::string(v.begin(), v.end());
}

// Every property QML can read, as text.
QStringList readableProperties(const QObject& o) {
    QStringList values;
    const QMetaObject* m = o.metaObject();
    for (int i = 0; i < m->propertyCount(); ++i)
        values << m->property(i).read(&o).toString();
    return values;
}

TEST(SecretEntry, QmlReadsOnlyTheLengthAndDots) {
    SecretEntry e;
    QSignalSpy changed(&e, &SecretEntry::lengthChanged);
    EXPECT_TRUE(e.type(QStringLiteral("s3cr")));
    EXPECT_TRUE(e.type(QStringLiteral("t")));
    EXPECT_EQ(e.length(), 5);
    EXPECT_EQ(e.masked(), QString(5, QChar(0x2022)));
    EXPECT_EQ(changed.count(), 2);
    for (const QString& value : readableProperties(e)) {
        EXPECT_FALSE(value.contains(QStringLiteral("s3cr"))) << value.toStdString();
        EXPECT_FALSE(value.contains(QStringLiteral("3c"))) << value.toStdString();
    }
    e.backspace();
    EXPECT_EQ(text(e.take()), "s3cr");
}

TEST(SecretEntry, TakeHandsOverTheBytesAndWipesTheEntry) {
    SecretEntry e;
    e.type(QStringLiteral("demo-password"));
    SecretBytes secret = e.take();
    EXPECT_EQ(text(secret), "demo-password");
    EXPECT_EQ(e.length(), 0);
    EXPECT_TRUE(e.masked().isEmpty());
    EXPECT_TRUE(e.take().empty());  // nothing left behind to take twice
}

TEST(SecretEntry, RefusesWhatTheFieldDoesNotTake) {
    SecretEntry code;
    code.setDigitsOnly(true);
    code.setMaxLength(4);
    EXPECT_FALSE(code.type(QStringLiteral("12a3")));  // 'a' refused, the digits kept
    EXPECT_TRUE(code.type(QStringLiteral("4")));
    EXPECT_FALSE(code.type(QStringLiteral("5")));  // full
    EXPECT_TRUE(code.isDigits(4));
    EXPECT_FALSE(code.isDigits(3));
    EXPECT_EQ(text(code.take()), "1234");

    SecretEntry password;
    EXPECT_FALSE(password.type(QStringLiteral("a b")));   // no spaces
    EXPECT_FALSE(password.type(QStringLiteral("パス")));  // printable ASCII only
    EXPECT_FALSE(password.isDigits(2));
    EXPECT_EQ(text(password.take()), "ab");
    // Capacity: never more than kCapacity characters, whatever maxLength says.
    password.setMaxLength(1000);
    EXPECT_EQ(password.maxLength(), SecretEntry::kCapacity);
    password.type(QString(SecretEntry::kCapacity + 10, QLatin1Char('x')));
    EXPECT_EQ(password.length(), SecretEntry::kCapacity);
    password.clear();
    EXPECT_EQ(password.length(), 0);
}

}  // namespace
}  // namespace uketsuke::qml
