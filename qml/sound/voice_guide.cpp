#include "qml/sound/voice_guide.h"

#include "qml/sound/guidance_table.h"

namespace uketsuke::qml {
namespace {

constexpr int kHintPollMs = 200;
constexpr int kPlaceCardGapMs = 8000;

bool failedBefore(const QString& message) {
    return message.startsWith(QLatin1String("face-")) && message != QLatin1String("face-matched");
}

bool fellBack(const QString& message) {
    return failedBefore(message) || message.startsWith(QLatin1String("pin-")) ||
           message.startsWith(QLatin1String("presentation-attack-suspected"));
}

// Steps a countdown warning belongs to: the patient is asked for something, and running out of
// time ends the check-in (not the result screen, which moves on by itself).
bool patientWaitsForInput(SessionModel::State s) {
    switch (s) {
        case SessionModel::ChoosingMethod:
        case SessionModel::FaceCapture:
        case SessionModel::PinEntry:
        case SessionModel::Consent:
        case SessionModel::ShowingResult:
            return true;
        default:
            return false;
    }
}

}  // namespace

VoiceGuide::VoiceGuide(QObject* parent) : QObject(parent) {
    hintTimer_.setInterval(kHintPollMs);
    connect(&hintTimer_, &QTimer::timeout, this, &VoiceGuide::pollFaceHint);
}

QString VoiceGuide::guidanceCode(const SessionModel& s) {
    const QString message = s.message();
    switch (s.state()) {
        case SessionModel::Idle:
            return s.ending() == QLatin1String("card-removed")
                       ? QStringLiteral("ending_card_removed")
                       : QString();
        case SessionModel::ReadingCard:
            return QStringLiteral("reading_card");
        case SessionModel::ChoosingMethod:
            if (s.cardFrontNeeded())
                return QStringLiteral("card_front_wait");
            if (!s.offerPin() && !s.pinUnavailableReason().isEmpty())
                return QStringLiteral("choose_method_no_pin");
            return QStringLiteral("choose_method");
        case SessionModel::ReadingCardFace:
            return QStringLiteral("card_front_wait");
        case SessionModel::FaceCapture:
            return s.faceAttempts() > 0 && failedBefore(message) ? QStringLiteral("face_retry")
                                                                 : QStringLiteral("face_start");
        case SessionModel::FaceChallenge: {
            if (!s.challengePrompted())
                return QStringLiteral("challenge_wait");
            QString action = s.challengeAction();
            action.replace(QLatin1Char('-'), QLatin1Char('_'));
            const QString code = QStringLiteral("challenge_") + action;
            return sound::findGuidance(code.toStdString()) ? code
                                                           : QStringLiteral("challenge_wait");
        }
        case SessionModel::PinEntry:
            if (s.lastTryWarning())
                return QStringLiteral("pin_last_try");
            if (message == QLatin1String("pin-wrong"))
                return QStringLiteral("pin_wrong");
            if (failedBefore(message) || message.startsWith(QLatin1String("presentation-attack")))
                return QStringLiteral("pin_after_face");
            return QStringLiteral("pin_entry");
        case SessionModel::StaffCheck:
            return fellBack(message) ? QStringLiteral("staff_check_after_failure")
                                     : QStringLiteral("staff_check");
        case SessionModel::Consent:
            return QStringLiteral("consent");
        case SessionModel::Confirming:
            return QStringLiteral("confirming");
        case SessionModel::ShowingResult: {
            const QString outcome = s.resultOutcome();
            if (outcome == QLatin1String("confirmed"))
                return QStringLiteral("result_confirmed");
            if (outcome == QLatin1String("refused"))
                return QStringLiteral("result_refused");
            return QStringLiteral("result_error");
        }
        case SessionModel::RemoveCard: {
            const QString ending = s.ending();
            if (ending == QLatin1String("confirmed"))
                return QStringLiteral("remove_card_confirmed");
            if (ending == QLatin1String("timeout"))
                return QStringLiteral("ending_timeout");
            if (ending == QLatin1String("cancelled") || ending.isEmpty())
                return QStringLiteral("ending_cancelled");
            return QStringLiteral("remove_card");
        }
        case SessionModel::Unavailable:
            return QStringLiteral("unavailable");
        case SessionModel::Starting:
            return QString();
    }
    return QString();
}

void VoiceGuide::setSession(SessionModel* session) {
    if (session == session_)
        return;
    if (session_)
        disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    if (session_) {
        connect(session_, &SessionModel::changed, this, &VoiceGuide::update);
        connect(session_, &SessionModel::staffModeChanged, this, &VoiceGuide::update);
        connect(session_, &SessionModel::staffCalledChanged, this, &VoiceGuide::onStaffCalled);
        connect(session_, &SessionModel::activityCountChanged, this, &VoiceGuide::onActivity);
    }
    stepKey_.clear();
    emit sessionChanged();
    update();
}

void VoiceGuide::setPlayer(SoundPlayer* player) {
    if (player == player_)
        return;
    player_ = player;
    emit playerChanged();
    update();
}

void VoiceGuide::setLanguage(const QString& language) {
    if (language == language_)
        return;
    language_ = language;
    emit languageChanged();
    // The patient switched language: say the step again in the new one.
    if (!stepCode_.isEmpty() && session_ && !session_->staffMode())
        speak(stepCode_);
}

void VoiceGuide::setEnabled(bool enabled) {
    if (enabled == enabled_)
        return;
    enabled_ = enabled;
    if (!enabled_ && player_) {
        player_->stopVoice();
        player_->stopAlarm();
    }
    emit enabledChanged();
    update();
}

void VoiceGuide::speak(const QString& code) {
    if (enabled_ && player_ && !code.isEmpty())
        player_->guide(code, language_);
}

void VoiceGuide::update() {
    if (!session_)
        return;
    const SessionModel& s = *session_;
    // The alarm rings while the card is left in the reader, staff mode or not.
    if (player_ && enabled_) {
        if (s.cardLeftBehindAlarm() && s.state() == SessionModel::RemoveCard)
            player_->startAlarm(language_);
        else
            player_->stopAlarm();
    }
    const QString code = guidanceCode(s);
    if (code != stepCode_) {
        stepCode_ = code;
        emit stepCodeChanged();
    }
    // A repeat is worth saying when the patient tried again (one more PIN try, face attempt).
    const QString key = QStringLiteral("%1|%2|%3|%4")
                            .arg(code)
                            .arg(static_cast<int>(s.state()))
                            .arg(s.pinTriesLeft())
                            .arg(s.faceAttempts());
    if (key != stepKey_) {
        stepKey_ = key;
        warned_ = false;
        hint_.clear();
        if (!s.staffMode() && !(s.cardLeftBehindAlarm() && s.state() == SessionModel::RemoveCard))
            speak(code);
    }
    // "Time is almost up", once per countdown.
    const int left = s.timeLeftSeconds();
    if (left > warnAtSeconds_)
        warned_ = false;
    if (!warned_ && left > 0 && left <= warnAtSeconds_ && s.timeoutSeconds() > 2 * warnAtSeconds_ &&
        patientWaitsForInput(s.state()) && !s.staffMode()) {
        warned_ = true;
        speak(QStringLiteral("time_running_out"));
    }
    // Face-quality hints are polled (they need to stand a moment before they are said).
    const bool face = s.state() == SessionModel::FaceCapture && !s.staffMode();
    if (face && !hintTimer_.isActive())
        hintTimer_.start();
    else if (!face)
        hintTimer_.stop();
    if (face) {
        const QString g = s.faceGuidance();
        if (g != hint_) {
            hint_ = g;
            hintSince_.start();
        }
    }
}

void VoiceGuide::pollFaceHint() {
    if (!session_ || !player_ || !enabled_ || hint_.isEmpty() || hint_ == QLatin1String("none"))
        return;
    if (!hintSince_.isValid() || hintSince_.elapsed() < faceHintDelayMs_ || player_->voiceBusy())
        return;
    if (hint_ == lastHint_ && lastHintAt_.isValid() && lastHintAt_.elapsed() < faceHintGapMs_)
        return;
    const QString code = QStringLiteral("face_") + hint_;
    if (!sound::findGuidance(code.toStdString()))
        return;
    lastHint_ = hint_;
    lastHintAt_.start();
    speak(code);
}

void VoiceGuide::onActivity() {
    if (!session_ || session_->state() != SessionModel::Idle || session_->staffMode())
        return;
    if (player_ && player_->voiceBusy())
        return;
    if (lastPlaceCard_.isValid() && lastPlaceCard_.elapsed() < kPlaceCardGapMs)
        return;
    lastPlaceCard_.start();
    speak(QStringLiteral("place_card"));
}

void VoiceGuide::onStaffCalled() {
    if (session_ && session_->staffCalled())
        speak(QStringLiteral("staff_called"));
}

}  // namespace uketsuke::qml
