#include "qml/sound/sound_player.h"

#include <QAudio>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <string>

#include "qml/sound/guidance_table.h"
#include "qml/sound/wav.h"

namespace uketsuke::qml {
namespace {

constexpr int kGapAfterChimeMs = 60;  // between the attention chime and the prompt

}  // namespace

SoundPlayer::SoundPlayer(QObject* parent) : QObject(parent) {
    pendingTimer_.setSingleShot(true);
    connect(&pendingTimer_, &QTimer::timeout, this, [this] {
        const QString file = pendingVoice_;
        pendingVoice_.clear();
        if (!file.isEmpty())
            playVoiceNow(file);
    });
    busyTimer_.setSingleShot(true);
    connect(&busyTimer_, &QTimer::timeout, this, [this] { setVoiceBusy(false); });
    connect(&alarmTimer_, &QTimer::timeout, this, &SoundPlayer::alarmTick);
    alarmVoiceTimer_.setSingleShot(true);
    connect(&alarmVoiceTimer_, &QTimer::timeout, this, [this] {
        if (alarmTimer_.isActive() && !muted_)
            playVoiceNow(
                promptFile(QString::fromLatin1(sound::kCardLeftAlarmCode), alarmLanguage_));
    });
    setDir(defaultDir());
}

SoundPlayer::~SoundPlayer() = default;

QString SoundPlayer::defaultDir() {
    QString env = qEnvironmentVariable("UKETSUKE_SOUNDS_DIR");
    if (!env.isEmpty())
        return env;
    const QDir app(QCoreApplication::applicationDirPath());
    const QString installed = app.absoluteFilePath(QStringLiteral("../share/uketsuke/sounds"));
    if (QFileInfo::exists(installed + QStringLiteral("/manifest.tsv")))
        return QDir::cleanPath(installed);
    return QDir::cleanPath(app.absoluteFilePath(QStringLiteral("../sounds")));
}

void SoundPlayer::setDir(const QString& dir) {
    if (dir == dir_ && !dir_.isEmpty())
        return;
    dir_ = dir;
    durations_.clear();
    check();
    emit dirChanged();
}

void SoundPlayer::check() {
    QStringList missing;
    for (const auto& e : sound::guidanceTable()) {
        for (const char* lang : sound::kLanguages) {
            const QString file = promptFile(QString::fromLatin1(e.code), QString::fromLatin1(lang));
            if (!QFileInfo::exists(file))
                missing << QStringLiteral("%1/%2").arg(QLatin1String(lang), QLatin1String(e.code));
        }
    }
    for (const auto& c : sound::chimeTable()) {
        if (!QFileInfo::exists(chimeFile(QString::fromLatin1(c.name))))
            missing << QStringLiteral("chime/%1").arg(QLatin1String(c.name));
    }
    if (missing.isEmpty()) {
        problem_.clear();
    } else {
        problem_ = QStringLiteral("%1 sound files missing in %2 (first: %3)")
                       .arg(missing.size())
                       .arg(dir_, missing.first());
    }
}

void SoundPlayer::setVolume(int volume) {
    volume = std::clamp(volume, 0, 100);
    if (volume == volume_)
        return;
    volume_ = volume;
    emit settingsChanged();
}

void SoundPlayer::setMuted(bool muted) {
    if (muted == muted_)
        return;
    muted_ = muted;
    if (muted_)
        stopVoice();
    emit settingsChanged();
}

void SoundPlayer::setAlarmWhenMuted(bool on) {
    if (on == alarmWhenMuted_)
        return;
    alarmWhenMuted_ = on;
    emit settingsChanged();
}

void SoundPlayer::setAlarmPeriodMs(int ms) {
    ms = std::max(500, ms);
    if (ms == alarmPeriodMs_)
        return;
    alarmPeriodMs_ = ms;
    if (alarmTimer_.isActive())
        alarmTimer_.start(alarmPeriodMs_);
    emit settingsChanged();
}

AudioSink* SoundPlayer::sink() {
    if (!sink_) {
        if (!ownSink_)
            ownSink_ = new QtAudioSink(this);
        sink_ = ownSink_;
    }
    return sink_;
}

void SoundPlayer::setSink(AudioSink* sink) {
    if (sink == sink_)
        return;
    sink_ = sink;
    emit sinkChanged();
}

QString SoundPlayer::promptFile(const QString& code, const QString& language) const {
    return QStringLiteral("%1/%2/%3.wav").arg(dir_, language, code);
}

QString SoundPlayer::chimeFile(const QString& name) const {
    return QStringLiteral("%1/chime/%2.wav").arg(dir_, name);
}

int SoundPlayer::durationMs(const QString& file) const {
    const auto it = durations_.constFind(file);
    if (it != durations_.constEnd())
        return *it;
    std::string error;
    const auto info = sound::inspectWav(file.toStdString(), &error);
    const int ms = info ? static_cast<int>(info->seconds() * 1000.0) : 0;
    durations_.insert(file, ms);
    return ms;
}

double SoundPlayer::linearGain(int volume) {
    return QAudio::convertVolume(static_cast<float>(std::clamp(volume, 0, 100) / 100.0),
                                 QAudio::LogarithmicVolumeScale, QAudio::LinearVolumeScale);
}

bool SoundPlayer::guide(const QString& code, const QString& language) {
    const auto* entry = sound::findGuidance(code.toStdString());
    if (!entry)
        return false;
    if (lastCode_ != code) {
        lastCode_ = code;
        emit lastCodeChanged();
    }
    if (muted_ || volume_ == 0)
        return false;
    const QString file = promptFile(code, language);
    if (durationMs(file) <= 0)
        return false;  // not rendered: `problem` says so
    stopVoice();
    if (entry->attention) {
        const QString bell = chimeFile(QString::fromLatin1(sound::kAttentionChime));
        const int bellMs = durationMs(bell);
        if (bellMs > 0) {
            sink()->play(QStringLiteral("chime"), bell, gain());
            pendingVoice_ = file;
            setVoiceBusy(true);
            busyTimer_.stop();
            pendingTimer_.start(bellMs + kGapAfterChimeMs);
            return true;
        }
    }
    playVoiceNow(file);
    return true;
}

void SoundPlayer::playVoiceNow(const QString& file) {
    sink()->play(QStringLiteral("voice"), file, gain());
    setVoiceBusy(true);
    busyTimer_.start(std::max(1, durationMs(file)));
}

void SoundPlayer::stopVoice() {
    pendingTimer_.stop();
    pendingVoice_.clear();
    busyTimer_.stop();
    if (voiceBusy_)
        sink()->stop(QStringLiteral("voice"));
    setVoiceBusy(false);
}

void SoundPlayer::setVoiceBusy(bool busy) {
    if (busy == voiceBusy_)
        return;
    voiceBusy_ = busy;
    emit voiceBusyChanged();
}

bool SoundPlayer::chime(const QString& name) {
    if (muted_ || volume_ == 0)
        return false;
    const QString file = chimeFile(name);
    if (durationMs(file) <= 0)
        return false;
    sink()->play(QStringLiteral("chime"), file, gain());
    return true;
}

void SoundPlayer::startAlarm(const QString& language) {
    alarmLanguage_ = language;
    if (alarmTimer_.isActive())
        return;
    stopVoice();
    alarmTimer_.start(alarmPeriodMs_);
    emit alarmActiveChanged();
    alarmTick();
}

void SoundPlayer::stopAlarm() {
    if (!alarmTimer_.isActive())
        return;
    alarmTimer_.stop();
    alarmVoiceTimer_.stop();
    sink()->stop(QStringLiteral("alarm"));
    stopVoice();
    emit alarmActiveChanged();
}

void SoundPlayer::alarmTick() {
    if (muted_ && !alarmWhenMuted_)
        return;
    // Muted: the beep alone, at the configured volume (never silent unless alarm_when_muted is
    // false); otherwise the beep and then the spoken reminder.
    const QString beep = chimeFile(QString::fromLatin1(sound::kAlarmChime));
    const int beepMs = durationMs(beep);
    const int volume = volume_ > 0 ? volume_ : sound::kDefaultAlarmVolume;
    if (beepMs > 0)
        sink()->play(QStringLiteral("alarm"), beep, linearGain(volume));
    if (!muted_ && volume_ > 0)
        alarmVoiceTimer_.start(beepMs + kGapAfterChimeMs);
}

}  // namespace uketsuke::qml
