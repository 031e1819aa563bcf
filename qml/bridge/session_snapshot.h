// What the screens show, as one value (issue 5): the session worker builds a SessionSnapshot from
// the controller's SessionView, timeLeft() and the few result fields the result screen needs, and
// hands it to the GUI thread in one queued call. A Q_GADGET so that a test double
// (tests/qml/fake_session.h) can set any field by name.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantList>

namespace uketsuke::qml {

struct SessionSnapshot {
    Q_GADGET
    Q_PROPERTY(int state MEMBER state)
    Q_PROPERTY(bool offerFace MEMBER offerFace)
    Q_PROPERTY(bool offerPin MEMBER offerPin)
    Q_PROPERTY(bool offerStaff MEMBER offerStaff)
    Q_PROPERTY(int pinTriesLeft MEMBER pinTriesLeft)
    Q_PROPERTY(bool lastTryWarning MEMBER lastTryWarning)
    Q_PROPERTY(QString notice MEMBER notice)
    Q_PROPERTY(QString refusal MEMBER refusal)
    Q_PROPERTY(QString message MEMBER message)
    Q_PROPERTY(QString faceGuidance MEMBER faceGuidance)
    Q_PROPERTY(int faceCount MEMBER faceCount)
    Q_PROPERTY(int faceAttempts MEMBER faceAttempts)
    Q_PROPERTY(int timeLeftSeconds MEMBER timeLeftSeconds)
    Q_PROPERTY(int timeoutSeconds MEMBER timeoutSeconds)
    Q_PROPERTY(bool cardLeftBehindAlarm MEMBER cardLeftBehindAlarm)
    Q_PROPERTY(QString resultOutcome MEMBER resultOutcome)
    Q_PROPERTY(int resultValidity MEMBER resultValidity)
    Q_PROPERTY(QString insurerName MEMBER insurerName)
    Q_PROPERTY(QString contributionRatio MEMBER contributionRatio)
    Q_PROPERTY(bool qualificationOnly MEMBER qualificationOnly)
    Q_PROPERTY(bool cardFrontNeeded MEMBER cardFrontNeeded)
    Q_PROPERTY(bool chipPhotoAvailable MEMBER chipPhotoAvailable)
    Q_PROPERTY(int chipPhotoRevision MEMBER chipPhotoRevision)
    Q_PROPERTY(QString staffAuthMessage MEMBER staffAuthMessage)
    Q_PROPERTY(bool staffSignedIn MEMBER staffSignedIn)
    Q_PROPERTY(QVariantList statusItems MEMBER statusItems)
    Q_PROPERTY(QString ending MEMBER ending)
    Q_PROPERTY(QString verifiedMethod MEMBER verifiedMethod)
    Q_PROPERTY(QString pinUnavailableReason MEMBER pinUnavailableReason)
    Q_PROPERTY(QString certExpiry MEMBER certExpiry)
    Q_PROPERTY(QString certState MEMBER certState)
    Q_PROPERTY(QString certRenewalFrom MEMBER certRenewalFrom)
    Q_PROPERTY(QString certGraceEnd MEMBER certGraceEnd)
    Q_PROPERTY(QString challengeAction MEMBER challengeAction)
    Q_PROPERTY(bool challengePrompted MEMBER challengePrompted)
    Q_PROPERTY(int challengeSecondsLeft MEMBER challengeSecondsLeft)
    Q_PROPERTY(bool demoCamera MEMBER demoCamera)

  public:
    // SessionModel::State (the controller's SessionState plus the bridge's start-up states).
    int state = 0;
    bool offerFace = false;
    bool offerPin = false;
    bool offerStaff = false;
    int pinTriesLeft = -1;  // -1: unknown
    bool lastTryWarning = false;
    QString notice;   // admissionNoticeName() ("" for none)
    QString refusal;  // admissionRefusalName() ("" for none)
    QString message;  // SessionView::message code
    QString faceGuidance;
    int faceCount = 0;
    int faceAttempts = 0;
    int timeLeftSeconds = -1;  // -1: no timeout in this state
    int timeoutSeconds = 0;
    bool cardLeftBehindAlarm = false;
    QString resultOutcome;  // "confirmed", "refused", "error" (kShowingResult)
    int resultValidity = 0;
    QString insurerName;
    QString contributionRatio;
    bool qualificationOnly = false;
    bool cardFrontNeeded = false;  // face chosen, 照合番号B fields not yet entered by staff
    bool chipPhotoAvailable = false;
    int chipPhotoRevision = 0;
    QString staffAuthMessage;  // staffAuthOutcomeName() of the last 目視 / sign-in attempt
    bool staffSignedIn = false;
    // [{id: "reader"|"camera"|"qualification"|"log", ok: bool, detail: code}]
    QVariantList statusItems;
    // How the last session ended, for the remove-card and place-card screens (issue 17 "honest
    // endings"): "confirmed", "refused", "error", "cancelled", "timeout", "card-removed"; "" while
    // a session runs or before the first one.
    QString ending;
    // The identity check that succeeded in this session ("face", "pin", "staff"; "" before).
    QString verifiedMethod;
    // Why the PIN pad is not offered: "face-auth-card" (顔認証マイナンバーカード, no PIN),
    // "pin-locked" (unlock at the municipal office), "pin-needs-staff" (too few tries left for
    // the kiosk alone); "" when the PIN is offered or no card is in.
    QString pinUnavailableReason;
    // The certificate self-check (issue 17, seed: JPKI client 有効性確認): the auth certificate's
    // expiry, its state (card::validityStateName), when renewal opens and, in the grace period,
    // when qualification-only use ends; dates "yyyy-MM-dd" in Japan time; "" without a card.
    QString certExpiry;
    QString certState;
    QString certRenewalFrom;
    QString certGraceEnd;
    // The active challenge (issue 13): the action asked ("turn-left", "turn-right",
    // "blink-twice"), shown once prompted (before: "look at the camera"); seconds left to answer
    // (-1 before the prompt).
    QString challengeAction;
    bool challengePrompted = false;
    int challengeSecondsLeft = -1;
    // Demo camera mode (configuration vision.camera_mode "demo-still"): every screen shows
    // 「デモ」.
    bool demoCamera = false;

    bool operator==(const SessionSnapshot&) const = default;
};

}  // namespace uketsuke::qml

Q_DECLARE_METATYPE(uketsuke::qml::SessionSnapshot)
