// Sound (QML singleton): plays the prompts and chimes rendered at build time (render_main.cpp)
// through an AudioSink. Nothing is synthesised here: a guidance code is a file,
// <dir>/<language>/<code>.wav. Volume and mute come from the "sound" configuration section
// (sound_config.h); staff can mute from the staff menu.
//
// - guide(code, language): the prompt, replacing the one playing; rows marked `attention` play
//   the attention chime first and the prompt after it.
// - chime(name): a chime alone (e.g. the staff station's call chime).
// - startAlarm(language) / stopAlarm(): the card-left-behind alarm: the alarm beep and the spoken
//   reminder, again every alarmPeriodMs until stopped. While muted only the beep sounds, and
//   only when alarmWhenMuted.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QString>
#include <QStringList>
#include <QTimer>

#include "qml/sound/audio_sink.h"

namespace uketsuke::qml {

class SoundPlayer : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Sound)
    QML_SINGLETON
    Q_PROPERTY(QString dir READ dir WRITE setDir NOTIFY dirChanged)
    Q_PROPERTY(int volume READ volume WRITE setVolume NOTIFY settingsChanged)
    Q_PROPERTY(bool muted READ muted WRITE setMuted NOTIFY settingsChanged)
    Q_PROPERTY(
        bool alarmWhenMuted READ alarmWhenMuted WRITE setAlarmWhenMuted NOTIFY settingsChanged)
    Q_PROPERTY(int alarmPeriodMs READ alarmPeriodMs WRITE setAlarmPeriodMs NOTIFY settingsChanged)
    // The sink; a QtAudioSink is made on first use when none was set.
    Q_PROPERTY(AudioSink* sink READ sink WRITE setSink NOTIFY sinkChanged)
    // Every prompt and chime is present in `dir`; `problem` says what is missing otherwise.
    Q_PROPERTY(bool available READ available NOTIFY dirChanged)
    Q_PROPERTY(QString problem READ problem NOTIFY dirChanged)
    Q_PROPERTY(bool voiceBusy READ voiceBusy NOTIFY voiceBusyChanged)
    Q_PROPERTY(bool alarmActive READ alarmActive NOTIFY alarmActiveChanged)
    // The last prompt asked for ("" before any), whether or not muting kept it silent.
    Q_PROPERTY(QString lastCode READ lastCode NOTIFY lastCodeChanged)

  public:
    explicit SoundPlayer(QObject* parent = nullptr);
    ~SoundPlayer() override;
    Q_DISABLE_COPY_MOVE(SoundPlayer)

    // The folder the kiosk reads when the configuration names none: $UKETSUKE_SOUNDS_DIR, else
    // <program>/../share/uketsuke/sounds (installed), else <program>/../sounds (build tree).
    static QString defaultDir();

    QString dir() const { return dir_; }
    void setDir(const QString& dir);
    int volume() const { return volume_; }
    void setVolume(int volume);
    bool muted() const { return muted_; }
    void setMuted(bool muted);
    bool alarmWhenMuted() const { return alarmWhenMuted_; }
    void setAlarmWhenMuted(bool on);
    int alarmPeriodMs() const { return alarmPeriodMs_; }
    void setAlarmPeriodMs(int ms);
    AudioSink* sink();
    void setSink(AudioSink* sink);
    bool available() const { return problem_.isEmpty(); }
    QString problem() const { return problem_; }
    bool voiceBusy() const { return voiceBusy_; }
    bool alarmActive() const { return alarmTimer_.isActive(); }
    QString lastCode() const { return lastCode_; }

    // The WAV file of a prompt / chime (whether or not it exists).
    Q_INVOKABLE QString promptFile(const QString& code, const QString& language) const;
    Q_INVOKABLE QString chimeFile(const QString& name) const;
    // Length of a WAV file in ms from its header; 0 when it is not a valid WAV.
    Q_INVOKABLE int durationMs(const QString& file) const;
    // The linear gain the sink gets for `volume` (0..100 on a perceptual scale).
    Q_INVOKABLE static double linearGain(int volume);

    Q_INVOKABLE bool guide(const QString& code, const QString& language);
    Q_INVOKABLE bool chime(const QString& name);
    Q_INVOKABLE void startAlarm(const QString& language);
    Q_INVOKABLE void stopAlarm();
    Q_INVOKABLE void stopVoice();

  signals:
    void dirChanged();
    void settingsChanged();
    void sinkChanged();
    void voiceBusyChanged();
    void alarmActiveChanged();
    void lastCodeChanged();

  private:
    void check();
    void playVoiceNow(const QString& file);
    void setVoiceBusy(bool busy);
    void alarmTick();
    double gain() const { return linearGain(volume_); }

    QString dir_;
    QString problem_;
    int volume_ = 70;
    bool muted_ = false;
    bool alarmWhenMuted_ = true;
    int alarmPeriodMs_ = 6000;
    QPointer<AudioSink> sink_;
    QtAudioSink* ownSink_ = nullptr;
    bool voiceBusy_ = false;
    QString lastCode_;
    QString alarmLanguage_;
    QString pendingVoice_;  // played when the attention chime has rung
    QTimer pendingTimer_;
    QTimer busyTimer_;
    QTimer alarmTimer_;
    QTimer alarmVoiceTimer_;
    mutable QHash<QString, int> durations_;
};

}  // namespace uketsuke::qml
