// VoiceGuide: speaks the guidance for each patient step (issue 17 "voice and sound"). It watches
// the SessionModel and asks the player (Sound) for the step's prompt when the step changes:
// guidanceCode() maps the screen to a code of guidance_table.cpp (a table in code, tested). Also:
// - face-quality hints, once a hint has stood for faceHintDelayMs and the voice is free, at most
//   every faceHintGapMs for the same hint;
// - "time is almost up" once per countdown when warnAtSeconds are left;
// - the card-left-behind alarm while SessionModel.cardLeftBehindAlarm;
// - "staff called" when the patient calls staff; "place your card" when the idle screen is
//   touched; the step's prompt again when the language changes.
// Staff mode is silent (the alarm excepted): staff pages are not the patient's steps.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QString>
#include <QTimer>

#include "qml/bridge/session_model.h"
#include "qml/sound/sound_player.h"

namespace uketsuke::qml {

class VoiceGuide : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(SessionModel* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(SoundPlayer* player READ player WRITE setPlayer NOTIFY playerChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(bool enabled READ enabled WRITE setEnabled NOTIFY enabledChanged)
    Q_PROPERTY(int faceHintDelayMs MEMBER faceHintDelayMs_ NOTIFY timingChanged)
    Q_PROPERTY(int faceHintGapMs MEMBER faceHintGapMs_ NOTIFY timingChanged)
    Q_PROPERTY(int warnAtSeconds MEMBER warnAtSeconds_ NOTIFY timingChanged)
    // The guidance code of the current step ("" where the step is silent).
    Q_PROPERTY(QString stepCode READ stepCode NOTIFY stepCodeChanged)

  public:
    explicit VoiceGuide(QObject* parent = nullptr);

    SessionModel* session() const { return session_; }
    void setSession(SessionModel* session);
    SoundPlayer* player() const { return player_; }
    void setPlayer(SoundPlayer* player);
    QString language() const { return language_; }
    void setLanguage(const QString& language);
    bool enabled() const { return enabled_; }
    void setEnabled(bool enabled);
    QString stepCode() const { return stepCode_; }

    // The step's guidance code for a session's current view ("" for a silent step).
    static QString guidanceCode(const SessionModel& session);

  signals:
    void sessionChanged();
    void playerChanged();
    void languageChanged();
    void enabledChanged();
    void timingChanged();
    void stepCodeChanged();

  private:
    void update();
    void speak(const QString& code);
    void pollFaceHint();
    void onActivity();
    void onStaffCalled();

    QPointer<SessionModel> session_;
    QPointer<SoundPlayer> player_;
    QString language_ = QStringLiteral("ja");
    bool enabled_ = true;
    int faceHintDelayMs_ = 1200;
    int faceHintGapMs_ = 4000;
    int warnAtSeconds_ = 15;

    QString stepCode_;
    QString stepKey_;  // the code plus what makes a repeat worth saying (tries left, attempts)
    bool warned_ = false;
    QString hint_;  // the face hint on screen, and since when
    QElapsedTimer hintSince_;
    QString lastHint_;  // the hint last spoken, and when
    QElapsedTimer lastHintAt_;
    QElapsedTimer lastPlaceCard_;
    QTimer hintTimer_;
};

}  // namespace uketsuke::qml
