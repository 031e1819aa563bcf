#include "qml/bridge/session_worker.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "card/certificate.h"
#include "qml/bridge/session_model.h"
#include "terminal/config.h"

namespace uketsuke::qml {
namespace {

using terminal::SessionState;
constexpr int kTickMs = 250;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// How the last session ended, from its log summary (outcome + failure reason).
QString endingOf(const terminal::SessionSummary& s) {
    using terminal::FailureReason;
    switch (s.outcome) {
        case terminal::SessionOutcome::kConfirmed:
        case terminal::SessionOutcome::kRefused:
        case terminal::SessionOutcome::kError:
            return qs(std::string(terminal::sessionOutcomeName(s.outcome)));
        case terminal::SessionOutcome::kAborted:
            break;
    }
    const auto why = s.failureReason ? s.failureReason->code : FailureReason::kCancelled;
    if (why == FailureReason::kTimeout || why == FailureReason::kCardRemoved)
        return qs(std::string(terminal::failureReasonName(why)));
    return QStringLiteral("cancelled");  // cancelled, terminal shutdown
}

// "yyyy-MM-dd" of `t` in Japan time (UTC+9, no daylight time), as card/certificate.h counts.
QString jstDate(card::TimePoint t) {
    const auto day = std::chrono::floor<std::chrono::days>(t + std::chrono::hours(9));
    const std::chrono::year_month_day ymd{day};
    return QStringLiteral("%1-%2-%3")
        .arg(int(ymd.year()), 4, 10, QLatin1Char('0'))
        .arg(unsigned(ymd.month()), 2, 10, QLatin1Char('0'))
        .arg(unsigned(ymd.day()), 2, 10, QLatin1Char('0'));
}

// Why the card's facts keep the PIN pad closed (identity_policy.cpp offeredMethods()).
QString pinUnavailableReason(const terminal::SessionData& d, const terminal::MethodOffer& offer) {
    if (!d.card || offer.pin)
        return {};
    if (d.facts.cardClass == card::CardClass::kFaceAuthCard)
        return QStringLiteral("face-auth-card");
    if (d.facts.cardClass == card::CardClass::kPinLocked ||
        (d.facts.authPin && d.facts.authPin->blocked()))
        return QStringLiteral("pin-locked");
    return QStringLiteral("pin-needs-staff");
}

}  // namespace

SessionWorker::SessionWorker(BridgeOptions options, std::shared_ptr<FrameStore> frames)
    : options_(std::move(options)), frames_(std::move(frames)) {}

SessionWorker::~SessionWorker() {
    shutdown();
}

WorkerStartInfo SessionWorker::start() {
    WorkerStartInfo info;
    auto config = terminal::loadConfig(options_.configPath);
    if (!config) {
        info.error = config.error().message;
        return info;
    }
    std::string soundError;
    auto sound =
        sound::soundSettings(config.value().raw, config.value().file.parent_path(), &soundError);
    if (!sound) {
        info.error = "configuration " + options_.configPath + ": " + soundError;
        return info;
    }
    info.sound = *sound;
    terminal::TerminalAppOptions envOptions;
    envOptions.loadFaceEngine = options_.loadFaceEngine;
    auto env = terminal::TerminalApp::create(config.value(), envOptions);
    if (!env) {
        info.error = env.error();
        return info;
    }
    env_ = std::move(env).takeValue();
    terminal::SessionPorts ports = env_->ports();
    cardPort_ = std::make_unique<PhotoKeepingCardPort>(*ports.card);
    ports.card = cardPort_.get();
    controller_ = std::make_unique<terminal::SessionController>(ports, env_->sessionConfig());

    tick_ = new QTimer(this);
    tick_->setInterval(kTickMs);
    connect(tick_, &QTimer::timeout, this, &SessionWorker::onTick);
    tick_->start();

    info.readerName = env_->readerName();
    if (ports.consent)
        info.consent = *ports.consent;
    info.faceAvailable = env_->faceAvailable();
    const auto& q = config.value().raw.value("qualification", nlohmann::json::object());
    info.qualificationHost = q.value("host", "127.0.0.1");
    info.qualificationPort = q.value("port", 0);
    const auto& ui = config.value().raw.value("ui", nlohmann::json::object());
    const std::string station = ui.value("staff_station", "");
    if (const auto colon = station.rfind(':'); colon != std::string::npos) {
        info.staffStationHost = station.substr(0, colon);
        info.staffStationPort = std::atoi(station.c_str() + colon + 1);
    }
    const auto uiPath = [&](const char* key) {
        const std::filesystem::path value = ui.value(key, "");
        if (value.empty() || value.is_absolute())
            return value.string();
        return (config.value().file.parent_path() / value).string();
    };
    info.staffStationCa = uiPath("staff_station_ca");
    info.staffStationCert = uiPath("staff_station_cert");
    info.staffStationKey = uiPath("staff_station_key");
    info.staffStationName = ui.value("staff_station_name", "");
    info.stuckAfterMs = ui.value("stuck_after_s", 90) * 1000;
    info.staffIdleTimeoutMs = ui.value("staff_idle_timeout_s", 60) * 1000;
    info.terminalId =
        config.value().raw.value("log", nlohmann::json::object()).value("terminal_id", "uketsuke");
    publish();
    return info;
}

void SessionWorker::shutdown() {
    if (tick_) {
        tick_->stop();
        delete tick_;
        tick_ = nullptr;
    }
    controller_.reset();  // logs an open session as aborted (terminal-shutdown)
    cardPort_.reset();
    env_.reset();
    if (frames_)
        frames_->clearChip();
}

void SessionWorker::onTick() {
    if (!controller_)
        return;
    controller_->tick();
    publish();
}

void SessionWorker::publish() {
    emit published(snapshot());
}

void SessionWorker::cardInserted() {
    if (!controller_)
        return;
    framesSeen_ = false;
    // A card on the reader ends any staff sign-in: the next screen belongs to a patient.
    staffSignedIn_ = false;
    staffAuthMessage_.clear();
    controller_->cardInserted();
    publish();
}

void SessionWorker::cardRemoved() {
    if (!controller_)
        return;
    controller_->cardRemoved();
    publish();
}

void SessionWorker::chooseMethod(const std::string& method) {
    if (!controller_)
        return;
    if (method == "face") {
        if (controller_->data().chipPhotoVerified) {
            // Back from 「別の方法を選ぶ」: the chip photo is still verified for this session.
            framesSeen_ = false;
            controller_->chooseMethod(terminal::IdentityMethod::kFace);
            publish();
            return;
        }
        if (!cardFrontEntered_ && options_.cardFrontSource) {
            if (auto fields = options_.cardFrontSource()) {
                env_->staffEntryCardFront().enter(std::move(*fields));
                cardFrontEntered_ = true;
            }
        }
        if (!cardFrontEntered_) {
            // Face needs the chip photo, which needs 照合番号B from the card front: wait for staff.
            cardFrontNeeded_ = controller_->state() == SessionState::kChoosingMethod &&
                               controller_->view().offer.face;
            publish();
            return;
        }
        cardFrontEntered_ = false;  // readFields() hands the fields over once
        cardFrontNeeded_ = false;
        framesSeen_ = false;
        controller_->chooseMethod(terminal::IdentityMethod::kFace);
    } else if (method == "pin") {
        controller_->chooseMethod(terminal::IdentityMethod::kPin);
    } else if (method == "staff") {
        controller_->chooseMethod(terminal::IdentityMethod::kStaff);
    }
    publish();
}

void SessionWorker::enterPin(SecretBytes pin, bool confirmLastTry) {
    if (!controller_)
        return;
    controller_->pinEntered(
        std::move(pin), confirmLastTry ? card::LastTry::kConfirmed : card::LastTry::kNotConfirmed);
    publish();
}

void SessionWorker::staffDecision(const std::string& staffId, SecretBytes password, bool approve,
                                  const std::string& reason) {
    if (!controller_) {
        password.clear();
        return;
    }
    terminal::StaffInput input;
    input.staffId = staffId;
    input.password = std::move(password);
    input.decision = approve ? terminal::StaffDecision::kApprove : terminal::StaffDecision::kReject;
    input.reason = reason;
    const auto outcome = controller_->staffInput(std::move(input));
    staffAuthMessage_ = "staff-" + std::string(terminal::staffAuthOutcomeName(outcome));
    publish();
}

void SessionWorker::staffSignIn(const std::string& staffId, SecretBytes password) {
    terminal::StaffAuthenticator* staff = env_ ? env_->ports().staff : nullptr;
    if (!staff) {
        password.clear();
        staffAuthMessage_ = "staff-unknown-staff";
        publish();
        return;
    }
    // The same authenticator as the 目視 check: one failure counter and lockout for both.
    const auto outcome =
        staff->check(staffId, std::move(password), std::chrono::steady_clock::now());
    staffSignedIn_ = outcome == terminal::StaffAuthOutcome::kAccepted;
    staffAuthMessage_ = "staff-" + std::string(terminal::staffAuthOutcomeName(outcome));
    publish();
}

void SessionWorker::staffSignOut() {
    staffSignedIn_ = false;
    staffAuthMessage_.clear();
    publish();
}

void SessionWorker::giveConsent(const terminal::ConsentChoices& choices) {
    if (!controller_)
        return;
    controller_->consentGiven(choices);
    publish();
}

void SessionWorker::acknowledgeResult() {
    if (!controller_)
        return;
    controller_->resultAcknowledged();
    publish();
}

void SessionWorker::cancel() {
    if (!controller_)
        return;
    if (cardFrontNeeded_) {
        cardFrontNeeded_ = false;  // back to the method choice, the session goes on
    } else {
        controller_->cancel();
    }
    publish();
}

void SessionWorker::enterCardFront(terminal::CardFrontFields fields) {
    if (!env_) {
        fields.securityCode.clear();
        return;
    }
    env_->staffEntryCardFront().enter(std::move(fields));
    cardFrontEntered_ = true;
    if (cardFrontNeeded_)
        chooseMethod("face");  // the patient already chose face: go on
    else
        publish();
}

void SessionWorker::staffCalled(bool waiting) {
    staffCalled_ = waiting;
    if (!controller_)
        return;
    controller_->staffCalled(staffCalled_ || staffMode_);
    publish();
}

void SessionWorker::staffMode(bool on) {
    staffMode_ = on;
    if (!on) {
        staffSignedIn_ = false;
        staffAuthMessage_.clear();
    }
    if (!controller_)
        return;
    controller_->staffCalled(staffCalled_ || staffMode_);
    publish();
}

void SessionWorker::chooseAnotherMethod() {
    if (!controller_)
        return;
    controller_->chooseAnotherMethod();
    publish();
}

void SessionWorker::userActivity() {
    if (controller_ && controller_->userActivity())
        publish();
}

void SessionWorker::cancelCardFront() {
    cardFrontNeeded_ = false;
    publish();
}

bool faceState(SessionState s) {
    return s == SessionState::kFaceCapture || s == SessionState::kFaceChallenge;
}

void SessionWorker::faceFrame(const vision::Frame& frame) {
    if (!controller_ || !faceState(controller_->state()))
        return;
    framesSeen_ = true;
    controller_->faceFrame(frame);
    publish();
}

void SessionWorker::faceStreamEnded() {
    if (!controller_ || !faceState(controller_->state()))
        return;
    controller_->faceStreamEnded();
    publish();
}

void SessionWorker::setStillCapture(bool still) {
    if (controller_)
        controller_->setStillImageCapture(still);
}

void SessionWorker::updateChipPhoto() {
    if (cardPort_->generation() == photoGeneration_)
        return;
    photoGeneration_ = cardPort_->generation();
    const Bytes& jp2 = cardPort_->photoJp2();
    if (jp2.empty()) {
        frames_->clearChip();
        return;
    }
    // Decoded in memory; never written to disk.
    cv::Mat bgr = cv::imdecode(
        cv::Mat(1, static_cast<int>(jp2.size()), CV_8UC1, const_cast<std::uint8_t*>(jp2.data())),
        cv::IMREAD_COLOR);
    if (bgr.empty()) {
        frames_->clearChip();
        return;
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    frames_->setChip(
        QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888)
            .copy());
    OPENSSL_cleanse(bgr.data, bgr.total() * bgr.elemSize());
    OPENSSL_cleanse(rgb.data, rgb.total() * rgb.elemSize());
}

SessionSnapshot SessionWorker::snapshot() {
    SessionSnapshot s;
    if (!controller_)
        return s;
    const auto& v = controller_->view();
    const auto& d = controller_->data();
    s.state = SessionModel::stateOf(v.state);
    if (v.state == SessionState::kIdle || v.state == SessionState::kRemoveCard) {
        cardFrontNeeded_ = false;
        cardFrontEntered_ = false;
    } else if (v.state != SessionState::kChoosingMethod) {
        cardFrontNeeded_ = false;
    }
    s.offerFace = v.offer.face;
    s.offerPin = v.offer.pin;
    s.offerStaff = v.offer.staff;
    s.pinTriesLeft = v.pinTriesLeft.value_or(-1);
    s.lastTryWarning = v.lastTryWarning;
    if (v.notice != terminal::AdmissionNotice::kNone)
        s.notice = qs(std::string(terminal::admissionNoticeName(v.notice)));
    if (v.refusal != terminal::AdmissionRefusal::kNone)
        s.refusal = qs(std::string(terminal::admissionRefusalName(v.refusal)));
    s.message = v.message == "none" ? QString() : qs(v.message);
    s.demoCamera = controller_->config().demoStillCamera;
    if (v.state == SessionState::kFaceChallenge) {
        if (v.challengeAction)
            s.challengeAction = qs(std::string(vision::challengeActionName(*v.challengeAction)));
        s.challengePrompted = v.challengePrompted;
        if (v.challengeTimeLeft)
            s.challengeSecondsLeft = static_cast<int>((v.challengeTimeLeft->count() + 999) / 1000);
        s.faceCount = v.faceHint.faceCount;
    }
    if (v.state == SessionState::kFaceCapture) {
        s.faceCount = v.faceHint.faceCount;
        s.faceGuidance = qs(v.faceHint.guidance);
        // The engine gives guidance for one face; no face or several are told apart here.
        if (framesSeen_ && s.faceGuidance.isEmpty() && s.faceCount == 0)
            s.faceGuidance = QStringLiteral("no_face");
        else if (s.faceCount > 1)
            s.faceGuidance = QStringLiteral("many_faces");
        else if (s.faceGuidance.isEmpty() && framesSeen_)
            s.faceGuidance = QStringLiteral("none");
    }
    s.faceAttempts = d.faceAttempts;
    if (const auto left = controller_->timeLeft())
        s.timeLeftSeconds = static_cast<int>((left->count() + 999) / 1000);
    s.timeoutSeconds = static_cast<int>(controller_->config().inactivityTimeout.count() / 1000);
    s.cardLeftBehindAlarm = v.cardLeftBehindAlarm;
    if (v.state == SessionState::kShowingResult) {
        if (d.outcome)
            s.resultOutcome = qs(std::string(terminal::sessionOutcomeName(*d.outcome)));
        if (d.result) {
            s.resultValidity = static_cast<int>(d.result->validity);
            s.qualificationOnly = d.result->qualificationOnly;
            if (!d.result->records.empty()) {
                const auto& r = d.result->records.front();
                s.insurerName = qs(r.insurerName);
                bool ok = false;
                const int percent = qs(r.insuredPartialContributionRatio).toInt(&ok);
                if (ok)
                    s.contributionRatio = QString::number(percent);
            }
        }
    }
    s.cardFrontNeeded = cardFrontNeeded_;
    updateChipPhoto();
    s.chipPhotoAvailable = !cardPort_->photoJp2().empty();
    s.chipPhotoRevision = static_cast<int>(photoGeneration_);
    s.staffAuthMessage = qs(staffAuthMessage_);
    s.staffSignedIn = staffSignedIn_;
    if ((v.state == SessionState::kRemoveCard || v.state == SessionState::kIdle) &&
        controller_->lastSummary())
        s.ending = endingOf(*controller_->lastSummary());
    if (d.method && (v.state == SessionState::kConsent || v.state == SessionState::kConfirming))
        s.verifiedMethod = qs(std::string(terminal::identityMethodName(*d.method)));
    if (v.state == SessionState::kChoosingMethod) {
        s.pinUnavailableReason = pinUnavailableReason(d, v.offer);
        if (d.card && !d.card->authCertificate.empty()) {
            if (auto cert = card::Certificate::fromDer(d.card->authCertificate)) {
                const auto& c = cert.value();
                s.certExpiry = jstDate(c.notAfter());
                const auto state = c.validityAt(std::chrono::system_clock::now());
                s.certState = qs(std::string(card::validityStateName(state)));
                s.certRenewalFrom = jstDate(card::renewalNoticeStart(c.notAfter()));
                if (state == card::ValidityState::kExpiredWithinGrace)
                    s.certGraceEnd = jstDate(card::graceEnd(c.notAfter()));
            }
        }
    }
    s.statusItems = QVariantList{QVariantMap{
        {QStringLiteral("id"), QStringLiteral("log")},
        {QStringLiteral("ok"), !controller_->lastLogError()},
        {QStringLiteral("detail"),
         controller_->lastLogError() ? QStringLiteral("log-error") : QStringLiteral("ok")}}};
    return s;
}

}  // namespace uketsuke::qml
