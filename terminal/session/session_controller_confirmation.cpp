// The confirmation step of the session controller and its record (session_controller.h): the
// qualification service round trip (challenge, the card's signature or the terminal's attestation,
// confirm), the answer checked against the card, the result file staged; then, when the session
// ends, the confirmation-log row and the publication of the result file in the order of issue 14.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "card/verification_number_b.h"
#include "terminal/qualification/codec.h"
#include "terminal/session/session_controller.h"

namespace uketsuke::terminal {
namespace {

using card::CardErrorCode;

// Test hooks for the fault-injection test (issue 14), at the step boundaries of the
// confirmation (answered, staged, logged, published, marked):
//  * UKETSUKE_TEST_KILL_AT=<step> kills the process with SIGKILL there, as a power cut or kill -9
//    would;
//  * UKETSUKE_TEST_STOP_AT=<step> stops it there (SIGSTOP), so the test can take a server away
//    (a PostgreSQL outage) before it lets the session go on with SIGCONT.
void faultPoint(std::string_view step) {
    const char* kill = std::getenv("UKETSUKE_TEST_KILL_AT");
    if (kill && step == kill)
        ::kill(::getpid(), SIGKILL);
    const char* stop = std::getenv("UKETSUKE_TEST_STOP_AT");
    if (stop && step == stop)
        ::kill(::getpid(), SIGSTOP);
}

bool cardGone(CardErrorCode code) {
    return code == CardErrorCode::kCardRemoved || code == CardErrorCode::kNoCard ||
           code == CardErrorCode::kCardReset;
}

// Why an answer of the service does not confirm the patient; nullopt for a valid qualification.
std::optional<FailureReason> validityReason(QualificationValidity v) {
    switch (v) {
        case QualificationValidity::kValid:
        case QualificationValidity::kValidUnregisteredMedicalAid:
            return std::nullopt;
        case QualificationValidity::kInvalid:
            return FailureReason::kQualificationInvalid;
        case QualificationValidity::kInvalidNewQualification:
            return FailureReason::kQualificationInvalidNewQualification;
        case QualificationValidity::kNotFound:
            return FailureReason::kQualificationNotFound;
        case QualificationValidity::kMultipleMatches:
            return FailureReason::kQualificationMultipleMatches;
    }
    return FailureReason::kQualificationInvalid;  // not reached: the codec admits only the above
}

}  // namespace

bool SessionController::cardLeftReader(CardErrorCode code) {
    // A transport failure is a pulled card only when the reader says so (cardWasRemoved waits
    // briefly for pcscd's presence poll).
    return cardGone(code) || (code == CardErrorCode::kTransport && ports_.card->cardWasRemoved());
}

void SessionController::runConfirmation() {
    const auto t0 = ports_.clock->steadyNow();
    auto failed = [&](const QualificationError& e) {
        const bool refused = e.code == QualificationErrorCode::kRefused;
        data_.outcome = refused ? SessionOutcome::kRefused : SessionOutcome::kError;
        data_.resultCode = std::string(qualificationErrorName(e.code));
        const std::string why = e.refusal != RefusalReason::kNone
                                    ? std::string(refusalReasonName(e.refusal))
                                    : data_.resultCode;
        if (e.refusal != RefusalReason::kNone)
            data_.failureReason = SessionReason(FailureReason::kQualificationRefused, why);
        else if (refused)
            data_.failureReason = SessionReason(FailureReason::kQualificationRefused);
        else
            data_.failureReason = SessionReason(FailureReason::kQualificationFailed, why);
        view_.message = "qualification-" + why;
        addPhase("confirm", t0);
        apply(SessionEvent::kQualificationFailed);
    };
    // A card step of the confirmation failed (its phase time taken): the session is aborted when
    // the card left the reader, and ends in error otherwise (view message: messagePrefix + the
    // card's error name).
    auto cardFailed = [&](bool cardLeft, const card::CardError& e, FailureReason reason,
                          const char* messagePrefix) {
        if (cardLeft) {
            data_.failureReason = SessionReason(FailureReason::kCardRemoved);
            apply(SessionEvent::kCardRemoved);
            return;
        }
        data_.outcome = SessionOutcome::kError;
        data_.resultCode = std::string(e.name());
        data_.failureReason = SessionReason(reason, data_.resultCode);
        if (messagePrefix)
            view_.message = messagePrefix + data_.resultCode;
        apply(SessionEvent::kQualificationFailed);
    };
    auto challenge = ports_.qualification->requestChallenge();
    if (!challenge)
        return failed(challenge.error());
    ConfirmRequest request;
    request.challenge = challenge.value();
    request.authCertificateDer = data_.card->authCertificate;
    request.method = *data_.method;
    if (*data_.method == IdentityMethod::kPin) {
        // The service expects a signature over pinProofDigestInfo(challenge); the card builds
        // that DigestInfo itself from the bare SHA-256 (jpki_ap.h signAuthDigest), so it gets
        // only the digest.
        auto signature = ports_.card->signAuthDigest(sha256(request.challenge.bytes));
        if (!signature) {
            addPhase("confirm", t0);
            const auto& e = signature.error();
            return cardFailed(cardGone(e.code), e, FailureReason::kPinSignatureFailed, nullptr);
        }
        request.pinSignature = std::move(signature).takeValue();
    } else {
        AttestationInput in;
        in.challenge = request.challenge.bytes;
        in.method = *data_.method;
        in.authCertificateDer = data_.card->authCertificate;
        if (*data_.method == IdentityMethod::kFace)
            in.face = FaceCheck{data_.bestDistance.value_or(0.0), data_.faceThreshold};
        else
            in.staff = StaffCheck{data_.staffId.value_or("")};
        if (data_.cardKeyEvidence) {
            // The card answers the service's challenge: the service then knows the card is here
            // now, not only that this terminal says so (issue 16).
            auto answer = ports_.card->answerCardChallenge(request.challenge.bytes);
            if (!answer) {
                addPhase("confirm", t0);
                const auto& e = answer.error();
                return cardFailed(cardLeftReader(e.code), e, FailureReason::kCardPresenceFailed,
                                  "qualification-card-presence-");
            }
            in.card = CardPresence{*data_.cardKeyEvidence, std::move(answer).takeValue()};
        }
        in.time = std::chrono::system_clock::to_time_t(ports_.clock->systemNow());
        auto attestation = ports_.qualification->attest(in);
        if (!attestation)
            return failed(attestation.error());
        request.attestation = std::move(attestation).takeValue();
    }
    auto answer = ports_.qualification->confirm(request);
    if (!answer)
        return failed(answer.error());
    data_.result = std::move(answer).takeValue();
    const auto validity = data_.result->validity;
    data_.resultCode = std::to_string(static_cast<int>(validity));
    const auto reason = validityReason(validity);
    data_.outcome = reason ? SessionOutcome::kRefused : SessionOutcome::kConfirmed;
    data_.failureReason.reset();
    if (reason)
        data_.failureReason = SessionReason(*reason);
    const bool forThisPerson = answerMatchesProvenBirthDate(*data_.result);
    if (!forThisPerson) {
        // Never written for the billing system: the answer names someone else.
        data_.outcome = SessionOutcome::kError;
        data_.failureReason = SessionReason(FailureReason::kAnswerForAnotherPerson);
    }
    faultPoint("answered");
    if (ports_.results && forThisPerson) {
        ResultFileInput file;
        file.result = *data_.result;
        file.arbitraryFileIdentifier = data_.sessionId;
        if (data_.consent && ports_.consent)
            file.consents = data_.consent->toResultEntries(ports_.consent->items);
        auto staged = ports_.results->stage(
            file, std::chrono::system_clock::to_time_t(ports_.clock->systemNow()), data_.sessionId);
        if (staged) {
            data_.stagedResult = staged.value();
            faultPoint("staged");
        } else {
            // The billing system would never see this confirmation: not a confirmed session.
            data_.outcome = SessionOutcome::kError;
            data_.failureReason = SessionReason(FailureReason::kResultFileNotWritten);
        }
    }
    view_.message =
        data_.result->qualificationOnly ? "qualification-only" : "qualification-answered";
    addPhase("confirm", t0);
    apply(SessionEvent::kQualificationAnswered);
}

bool SessionController::answerMatchesProvenBirthDate(const QualificationResult& answer) const {
    if (!data_.provenBirthDigits)
        return true;  // PIN and staff paths: the terminal never learns the birth date
    for (const auto& record : answer.records) {
        if (record.birthdate.empty())
            continue;
        const auto& b = record.birthdate;  // YYYYMMDD (whitelisted by the client)
        const auto date = card::parseIsoDate(b.size() == 8 ? b.substr(0, 4) + "-" + b.substr(4, 2) +
                                                                 "-" + b.substr(6, 2)
                                                           : std::string());
        if (!date)
            return false;
        const auto digits = card::eraBirthDigits(*date);
        if (!digits || digits.value() != *data_.provenBirthDigits)
            return false;
    }
    return true;
}

void SessionController::endSession(SessionOutcome outcome) {
    if (!active_)
        return;
    active_ = false;
    data_.outcome = outcome;
    SessionSummary s;
    s.sessionId = data_.sessionId;
    s.startedAt = data_.startedAt;
    s.endedAt = std::max(ports_.clock->systemNow(), data_.startedAt);
    if (data_.card)
        s.cardClass = std::string(card::cardClassName(data_.card->cardClass));
    s.identityMethod = data_.method.value_or(IdentityMethod::kNone);
    s.faceAttempts = data_.faceAttempts;
    s.pinAttempts = data_.pinAttempts;
    s.staffAttempts = data_.staffAttempts;
    if (data_.faceAttempts > 0)
        s.matchDistance = data_.bestDistance;
    s.staffId = data_.staffId;
    if (data_.consent)
        s.consent = data_.consent->toLogJson();
    s.resultCode = data_.resultCode;
    s.outcome = outcome;
    if (outcome != SessionOutcome::kConfirmed)
        s.failureReason = data_.failureReason;
    // A refused presentation is the session's reason whatever happened next (issue 13): the
    // fallback may confirm the patient, but the row still says an attack was suspected.
    if (data_.presentationRefusal)
        s.failureReason = data_.presentationRefusal;
    for (const auto& [phase, us] : data_.phaseUs) {
        // A face check on the demo still camera is named as such in the row (issue 13 item 6).
        const std::string name =
            phase == "face" && data_.demoStillUsed ? std::string("face_demo_still") : phase;
        s.phaseMs[name] = (us + 500) / 1000;
    }
    s.phaseUs = data_.phaseUs;
    lastLogError_.reset();
    // One ordering (issue 14): the row, with a pending-publication entry naming the staged
    // file, is committed before the file is published; a log that refuses the row means the
    // file is dropped and the session is not confirmed.
    std::optional<StagedResultRef> staged = std::move(data_.stagedResult);
    data_.stagedResult.reset();
    if (ports_.log) {
        auto appended = staged ? ports_.log->appendPending(s, *staged) : ports_.log->append(s);
        if (!appended) {
            lastLogError_ = appended.error();
            if (staged) {
                ports_.results->discard(*staged);
                staged.reset();
                s.outcome = SessionOutcome::kError;
                s.failureReason = SessionReason(FailureReason::kLogRefused);
                view_.message = "log-refused";
            }
        }
    }
    if (staged) {
        faultPoint("logged");
        auto published = ports_.results->publish(*staged);
        if (published) {
            data_.resultFile = published.value();
            faultPoint("published");
            if (ports_.log) {
                auto marked =
                    ports_.log->markPublished(s.sessionId, *staged, published->filename().string());
                // The file is out and the row is in; start-up reconciliation marks it.
                if (!marked)
                    lastLogError_ = "publication not marked: " + marked.error();
            }
            faultPoint("marked");
        } else {
            // The row is committed and the staged file kept: start-up reconciliation publishes
            // it. Until then the billing system does not have it.
            lastLogError_ = "result file staged but not published: " + published.error();
        }
    }
    lastResultFile_ = data_.resultFile;
    lastSummary_ = std::move(s);
}

}  // namespace uketsuke::terminal
