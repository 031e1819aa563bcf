// Active liveness challenge (issue 13 item 3): the screen asks for one randomly chosen action at a
// random moment, and this check decides from the face's landmark track whether the response
// matches in direction and in timing. A replayed video or a held photo cannot know which action
// is asked, nor when: it answers late, not at all, in the wrong direction, or before the prompt.
//
// Rules (all times in the frame source's media time, milliseconds):
//  * The rest pose is the median yaw of the frames in the `baselineMs` before the prompt.
//  * Turn left / right: yaw is the nose tip's horizontal place between the two jaw ends (dlib 68
//    points 30, 0, 16), 0 when frontal, positive when the patient turns to their own left as a
//    non-mirrored camera sees it. A response is one excursion from the rest pose: it starts when
//    |yaw - rest| reaches `turnStart` and completes at `turnTarget`. It passes when it completes
//    within `responseWindowMs` of the prompt, in the asked direction, and started no sooner than
//    `minReactionMs` after the prompt (no person reacts faster; a head already moving when the
//    prompt appears is a recording, or a guess). A camera that mirrors its frames (selfie view)
//    must say so (`mirrored`): the sign is then flipped, explicitly, never guessed.
//  * Blink twice: two blinks (eye aspect ratio closed -> open, with hysteresis) that close no
//  sooner
//    than `minReactionMs` after the prompt, reopen within the window, and close at most
//    `maxBlinkGapMs` apart. A head turn of `turnTarget` meanwhile is a wrong answer.
//  * The face must stay in view, one face, moving continuously: a gap longer than `maxFaceGapMs`
//    or a jump of the landmarks between two frames (a photo swapped for a face) fails the check.
// Pure arithmetic on landmarks (no image, no model): unit-testable with synthetic tracks.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "vision/face_types.h"

namespace uketsuke::vision {

enum class ChallengeAction { kTurnLeft, kTurnRight, kBlinkTwice };
inline constexpr int kChallengeActionCount = 3;

enum class ChallengeVerdict {
    kPending,      // the window is open and nothing decided yet
    kPassed,       // the asked action, in time
    kWrongAnswer,  // another action (other direction, a turn instead of blinks)
    kTooEarly,     // the response started before a person could have reacted to the prompt
    kNoResponse,   // the window closed (or the stream ended) without the action
    kFaceLost,     // the face left the view or jumped (swapped) during the challenge
};

// Stable kebab-case names ("turn-left", "too-early", ...), for logs, screens and tests.
std::string_view challengeActionName(ChallengeAction action);
// Inline: the session names verdicts in a build without the face engine too.
inline std::string_view challengeVerdictName(ChallengeVerdict verdict) {
    switch (verdict) {
        case ChallengeVerdict::kPending:
            return "pending";
        case ChallengeVerdict::kPassed:
            return "passed";
        case ChallengeVerdict::kWrongAnswer:
            return "wrong-answer";
        case ChallengeVerdict::kTooEarly:
            return "too-early";
        case ChallengeVerdict::kNoResponse:
            return "no-response";
        case ChallengeVerdict::kFaceLost:
            return "face-lost";
    }
    return "unknown";
}

struct ChallengeOptions {
    std::int64_t minReactionMs = 200;      // a response cannot start sooner after the prompt
    std::int64_t responseWindowMs = 4000;  // the action must be complete this long after it
    std::int64_t baselineMs = 700;         // frames before the prompt that set the rest pose
    double turnStart = 0.10;               // |yaw - rest| that starts a response
    double turnTarget = 0.25;              // |yaw - rest| that completes a turn
    double closedEyeAspectRatio = 0.19;    // as LivenessOptions
    double openEyeAspectRatio = 0.24;
    std::int64_t maxBlinkGapMs = 2000;  // between the closing of the two blinks
    std::int64_t maxFaceGapMs = 500;    // longest run without exactly one face
    double maxJump = 0.35;  // landmark mean shift between two frames / inter-ocular distance
    bool mirrored = false;  // the camera delivers mirrored frames (selfie view)
};

// Head yaw from landmarks (see the file comment): about -1..1, 0 frontal, positive = the person's
// own left in a non-mirrored image.
double yawFromLandmarks(const Landmarks68& landmarks);

// One challenge. Not thread-safe.
class ChallengeCheck {
  public:
    ChallengeCheck(ChallengeAction action, std::int64_t promptAtMs, ChallengeOptions options = {});

    // requires: frames in time order (before and after the prompt).
    void addFrame(std::int64_t timestampMs, const Landmarks68& landmarks);
    // A frame with no face or several faces.
    void addFrameWithoutFace(std::int64_t timestampMs);
    // The verdict so far (kPending while undecided).
    ChallengeVerdict verdict() const { return verdict_; }
    // End of stream: a pending check becomes kNoResponse.
    ChallengeVerdict finish();

    ChallengeAction action() const { return action_; }
    std::int64_t promptAtMs() const { return promptAtMs_; }
    bool promptReached() const { return lastMs_ && *lastMs_ >= promptAtMs_; }
    // The yaw relative to the rest pose at the last frame (sign: the person's left positive).
    double lastDeviation() const { return lastDeviation_; }
    // True when the last frame was frontal with open eyes after the prompt: a frame the caller
    // may use to check that the person answering is the person matched.
    bool lastFrameNeutral() const { return lastNeutral_; }

  private:
    void decide(ChallengeVerdict v) {
        if (verdict_ == ChallengeVerdict::kPending)
            verdict_ = v;
    }
    void checkDeadline(std::int64_t timestampMs);
    std::optional<double> restYaw() const;

    ChallengeAction action_;
    std::int64_t promptAtMs_;
    ChallengeOptions o_;
    ChallengeVerdict verdict_ = ChallengeVerdict::kPending;
    std::optional<std::int64_t> lastMs_;
    std::optional<std::int64_t> lastFaceMs_;
    std::optional<Landmarks68> previous_;
    struct YawSample {
        std::int64_t ms;
        double yaw;
    };
    std::vector<YawSample> preprompt_;  // yaw of the frames before the prompt
    std::optional<double> rest_;        // fixed at the first frame after the prompt
    std::vector<double> recentYaw_;     // the last 3 yaws (median smoothing)
    std::optional<std::int64_t> excursionStartMs_;
    double lastDeviation_ = 0.0;
    bool lastNeutral_ = false;
    bool eyesOpen_ = true;
    bool eyesOpenSeen_ = false;
    std::optional<std::int64_t> closingMs_;
    std::vector<std::int64_t> blinks_;  // closing times of counted blinks
};

}  // namespace uketsuke::vision
