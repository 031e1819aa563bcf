#include "tests/qml/fake_audio_sink.h"

#include <QDir>
#include <QFileInfo>

namespace uketsuke::qml::testing {

void FakeAudioSink::play(const QString& channel, const QString& file, double volume) {
    const QFileInfo info(file);
    events_ << QStringLiteral("play:%1:%2/%3@%4")
                   .arg(channel, info.dir().dirName(), info.fileName())
                   .arg(volume, 0, 'f', 2);
    emit eventsChanged();
}

void FakeAudioSink::stop(const QString& channel) {
    events_ << QStringLiteral("stop:") + channel;
    emit eventsChanged();
}

QStringList FakeAudioSink::plays() const {
    QStringList out;
    for (const auto& e : events_) {
        if (e.startsWith(QLatin1String("play:")))
            out << e.mid(5, e.lastIndexOf(QLatin1Char('@')) - 5);
    }
    return out;
}

QString FakeAudioSink::renderedDir() {
    return QStringLiteral(UKETSUKE_SOUNDS_DIR);
}

void FakeAudioSink::clear() {
    events_.clear();
    emit eventsChanged();
}

}  // namespace uketsuke::qml::testing
