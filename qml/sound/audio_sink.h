// Where the player's sounds go (issue 17). The kiosk plays through QtAudioSink (Qt Multimedia's
// QSoundEffect, one per channel); tests inject a sink that records what was played. Channels:
// "voice" (guidance), "chime" (attention, station call), "alarm" (card left behind).
#pragma once

#include <QHash>
#include <QObject>
#include <QQmlEngine>
#include <QString>

class QSoundEffect;

namespace uketsuke::qml {

class AudioSink : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("an interface: QtAudioSink, or a test's recording sink")

  public:
    using QObject::QObject;
    // Plays `file` (an absolute WAV path) on `channel`, replacing what that channel was playing;
    // `volume` is linear, 0..1.
    virtual void play(const QString& channel, const QString& file, double volume) = 0;
    virtual void stop(const QString& channel) = 0;
};

class QtAudioSink final : public AudioSink {
    Q_OBJECT

  public:
    using AudioSink::AudioSink;
    void play(const QString& channel, const QString& file, double volume) override;
    void stop(const QString& channel) override;

  private:
    QHash<QString, QSoundEffect*> effects_;
};

}  // namespace uketsuke::qml
