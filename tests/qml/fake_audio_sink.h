// FakeAudioSink: an AudioSink that records what the player asked for, as
// "play:<channel>:<language folder>/<file>@<volume, 2 decimals>" and "stop:<channel>" (issue 17:
// the player is driven in QtQuickTest with a fake sink). `renderedDir` is the build's prompts.
#pragma once

#include <QStringList>

#include "qml/sound/audio_sink.h"

namespace uketsuke::qml::testing {

class FakeAudioSink : public AudioSink {
    Q_OBJECT
    Q_PROPERTY(QStringList events READ events NOTIFY eventsChanged)
    Q_PROPERTY(QStringList plays READ plays NOTIFY eventsChanged)
    Q_PROPERTY(QString renderedDir READ renderedDir CONSTANT)

  public:
    using AudioSink::AudioSink;
    void play(const QString& channel, const QString& file, double volume) override;
    void stop(const QString& channel) override;
    QStringList events() const { return events_; }
    // Only the plays, without the volume: "<channel>:<folder>/<file>".
    QStringList plays() const;
    static QString renderedDir();
    Q_INVOKABLE void clear();

  signals:
    void eventsChanged();

  private:
    QStringList events_;
};

}  // namespace uketsuke::qml::testing
