#include "qml/sound/audio_sink.h"

#include <QSoundEffect>
#include <QUrl>

namespace uketsuke::qml {

void QtAudioSink::play(const QString& channel, const QString& file, double volume) {
    QSoundEffect*& effect = effects_[channel];
    if (!effect)
        effect = new QSoundEffect(this);
    effect->stop();
    const QUrl source = QUrl::fromLocalFile(file);
    if (effect->source() != source)
        effect->setSource(source);  // loads asynchronously; play() waits for it
    effect->setVolume(static_cast<float>(volume));
    effect->play();
}

void QtAudioSink::stop(const QString& channel) {
    if (QSoundEffect* effect = effects_.value(channel))
        effect->stop();
}

}  // namespace uketsuke::qml
