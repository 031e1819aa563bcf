// The confirmation session controller (issue 4, "session core"; qualification-domain.md §3):
// turns card, patient, staff, camera and timer happenings into session_state.h events, asks the
// identity policy what is allowed, drives the ports (session_ports.h), and leaves exactly one
// confirmation-log row per session, whatever the path (confirmed, refused, error, aborted).
//
// Headless and synchronous: each input method does its work (card APDUs, a service round trip)
// and returns; a UI or the script runner (`uketsuke session --script`) calls them from one
// thread. Card removed, timeout and cancel are accepted in every state: the session is wiped,
// the card reset, and an unfinished session is logged as aborted.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "terminal/session/consent.h"
#include "terminal/session/identity_policy.h"
#include "terminal/session/session_data.h"
#include "terminal/session/session_ports.h"
#include "terminal/session/session_state.h"
#include "terminal/session/staff_auth.h"

namespace uketsuke::terminal {

// When the active challenge runs (issue 13): only when the passive cues are not sure (default), or
// after every matched face attempt.
enum class ChallengeMode { kWhenUnsure, kAlways };

struct FaceChallengeConfig {
    ChallengeMode mode = ChallengeMode::kWhenUnsure;
    // The prompt comes at a random moment in [min, max] after the challenge screen opens.
    std::chrono::milliseconds promptDelayMin{800};
    std::chrono::milliseconds promptDelayMax{2500};
    // Wall-clock limit of the whole challenge (the camera may stop delivering frames): after it
    // the challenge is failed as no-response. Frame time decides otherwise (vision/challenge.h).
    std::chrono::milliseconds timeout{12000};
};

struct SessionConfig {
    IdentityPolicyConfig policy;
    FaceChallengeConfig challenge;
    // Demo camera mode (issue 13 item 6, configuration vision.camera_mode "demo-still"): a still
    // holder's photo stands in for the camera and is judged on one frame without liveness. Only
    // then does setStillImageCapture(true) take effect; every screen shows 「デモ」 and the log row
    // names the face phase "face_demo_still". A production configuration refuses the mode.
    bool demoStillCamera = false;
    std::chrono::milliseconds inactivityTimeout{120000};  // tick() fires kTimeout after this
    // The timeout of the 目視 screen: a clerk comparing photos and typing a password on a touch
    // pad needs longer than a patient at a button (issue 17: staff no longer work under the
    // patient's countdown).
    std::chrono::milliseconds staffCheckTimeout{300000};
    // "Remove your card": the card-left-behind alarm sounds when the card is still in the reader
    // this long after the session ended (clinics report cards forgotten in the reader).
    std::chrono::milliseconds cardLeftBehindAlarmAfter{10000};
};

struct SessionPorts {
    CardPort* card = nullptr;
    FacePort* face = nullptr;  // may be null: the face method is then not offered
    CardFrontReader* cardFront = nullptr;
    QualificationPort* qualification = nullptr;
    ResultSink* results = nullptr;
    LogSink* log = nullptr;
    StaffAuthenticator* staff = nullptr;  // may be null: 目視 is then refused
    const Clock* clock = nullptr;
    const ConsentCatalog* consent = nullptr;
    RandomSource* random = nullptr;  // null: OpenSSL RAND_bytes
};

// What a screen shows now (no patient data beyond what the screens need).
struct SessionView {
    SessionState state = SessionState::kIdle;
    MethodOffer offer;
    std::optional<int> pinTriesLeft;  // shown before each PIN attempt
    bool lastTryWarning = false;      // strong warning: the next wrong PIN locks the card
    AdmissionNotice notice = AdmissionNotice::kNone;
    AdmissionRefusal refusal = AdmissionRefusal::kNone;
    std::string message;  // stable code of the last thing to tell the patient/staff
    // kRemoveCard for longer than cardLeftBehindAlarmAfter: the card was left in the reader.
    bool cardLeftBehindAlarm = false;
    FaceHint faceHint;  // kFaceCapture: the last frame's face count and guidance
    // kFaceChallenge: the action asked (shown once prompted), and the response time left.
    std::optional<vision::ChallengeAction> challengeAction;
    bool challengePrompted = false;
    std::optional<std::chrono::milliseconds> challengeTimeLeft;
};

enum class StaffDecision { kApprove, kReject };

struct StaffInput {
    std::string staffId;
    SecretBytes password;
    StaffDecision decision = StaffDecision::kApprove;
    std::string reason;  // required for a rejection (short code, e.g. "face-differs")
};

class SessionController {
  public:
    SessionController(SessionPorts ports, SessionConfig config);
    ~SessionController();
    SessionController(const SessionController&) = delete;
    SessionController& operator=(const SessionController&) = delete;

    // Inputs. Each returns false when the input is not valid in the current state (ignored).
    bool cardInserted();
    bool chooseMethod(IdentityMethod method);
    bool faceFrame(const vision::Frame& frame);
    bool faceStreamEnded();  // the live source ended before a decision: decide with what was seen
    // The card refuses the last try unless `lastTry` is kConfirmed (after the strong warning).
    bool pinEntered(SecretBytes pin, card::LastTry lastTry = card::LastTry::kNotConfirmed);
    StaffAuthOutcome staffInput(StaffInput input);
    bool consentGiven(const ConsentChoices& choices);
    bool resultAcknowledged();
    bool cardRemoved();
    bool cancel();
    bool timeout();
    // The terminal is stopping (SIGTERM/SIGINT): the open session ends as aborted with reason
    // "terminal-shutdown" and is logged.
    bool shutdown();
    // The patient leaves the face or PIN screen for the method choice (「別の方法を選ぶ」). A chip
    // photo already verified is kept for the session, so choosing face again spends no further
    // 照合番号B try; face attempts already made still count.
    bool chooseAnotherMethod();
    // Any touch on the screen (a digit, a consent item): restarts the inactivity timeout while a
    // session is open. Returns false in idle / remove card (nothing to time out).
    bool userActivity();
    // The patient pressed "call staff" (waiting = true) or staff arrived / the call was dismissed
    // (false). While waiting, the inactivity timeout does not run: a patient who asked for help
    // is not timed out; afterwards the full timeout starts again.
    void staffCalled(bool waiting);
    // The live source is one still image (a decision on one frame, no liveness). Honoured only in
    // demo-still camera mode (SessionConfig::demoStillCamera): otherwise a still image is a
    // stream like any other and must pass liveness, which it cannot.
    void setStillImageCapture(bool still) { faceStill_ = still && config_.demoStillCamera; }
    // Fires the inactivity timeout when no input came for config.inactivityTimeout, and raises
    // the card-left-behind alarm in kRemoveCard.
    void tick();
    // Time left before the inactivity timeout fires (for the screens' visible countdown);
    // nullopt in states without a timeout (idle, remove card).
    std::optional<std::chrono::milliseconds> timeLeft() const;
    const SessionConfig& config() const { return config_; }

    SessionState state() const { return view_.state; }
    const SessionView& view() const { return view_; }
    const SessionData& data() const { return data_; }
    // The summary of the last ended session (what the log received), for the CLI and tests.
    const std::optional<SessionSummary>& lastSummary() const { return lastSummary_; }
    const std::optional<std::string>& lastLogError() const { return lastLogError_; }
    const std::optional<std::filesystem::path>& lastResultFile() const { return lastResultFile_; }

  private:
    bool apply(SessionEvent event);
    void readCard();
    void startFace();
    void beginFaceAttempt();
    bool answerMatchesProvenBirthDate(const QualificationResult& answer) const;
    void concludeFaceAttempt(const FaceAttempt& attempt);
    void beginChallenge();
    // The card step failed because the card left the reader (then the session is aborted).
    bool cardLeftReader(card::CardErrorCode code);
    void concludeChallenge(vision::ChallengeVerdict verdict, bool identityMismatch);
    void refusePresentation(const SessionReason& reason);
    std::uint32_t random();
    void runConfirmation();
    void endSession(SessionOutcome outcome);
    void addPhase(const std::string& phase, std::chrono::steady_clock::time_point start);
    void touch();
    std::chrono::milliseconds currentTimeout() const;

    SessionPorts ports_;
    SessionConfig config_;
    SessionView view_;
    SessionData data_;
    bool active_ = false;  // a session is open and not yet logged
    bool faceStill_ = false;
    std::chrono::steady_clock::time_point challengeSince_{};
    std::chrono::steady_clock::time_point lastInput_{};
    std::chrono::steady_clock::time_point removeCardSince_{};
    bool waitingForStaff_ = false;
    std::optional<SessionSummary> lastSummary_;
    std::optional<std::string> lastLogError_;
    std::optional<std::filesystem::path> lastResultFile_;
};

}  // namespace uketsuke::terminal
