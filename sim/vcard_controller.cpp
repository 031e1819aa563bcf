// VcardController: persona cards, counters and the control protocol (sim/README.md).
#include "sim/vcard_controller.h"

#include <sstream>
#include <vector>

namespace uketsuke::sim {
namespace {

std::vector<std::string> words(std::string_view line) {
    std::vector<std::string> out;
    std::istringstream in{std::string(line)};
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::optional<int> parseCount(const std::string& text) {
    if (text.empty() || text.size() > 7 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoi(text);
}

}  // namespace

VcardController::VcardController(std::map<std::string, Persona> personas,
                                 std::filesystem::path pkiDir)
    : personas_(std::move(personas)), pkiDir_(std::move(pkiDir)) {}

Result<std::shared_ptr<const CardImage>, SimFailure> VcardController::image(const std::string& id) {
    if (const auto it = images_.find(id); it != images_.end())
        return it->second;
    const auto persona = personas_.find(id);
    if (persona == personas_.end())
        return fail(SimFailure{SimError::kUnknownPersona, id});
    auto built = buildCardImage(persona->second, pkiDir_);
    if (!built)
        return built.failure();
    auto shared = std::make_shared<const CardImage>(std::move(built).takeValue());
    images_[id] = shared;
    counters_.emplace(id, initialCounters(*shared));
    return shared;
}

std::vector<SimFailure> VcardController::preload() {
    std::vector<SimFailure> failures;
    for (const auto& [id, persona] : personas_) {
        auto img = image(id);
        if (!img)
            failures.push_back(img.error());
    }
    return failures;
}

Status<SimFailure> VcardController::insert(const std::string& personaId) {
    auto img = image(personaId);
    if (!img)
        return img.failure();
    remove();
    card_ = std::make_unique<VirtualCard>(img.value(), counters_.at(personaId), log_);
    if (extendedLengthOverride_)
        card_->setExtendedLength(*extendedLengthOverride_);
    persona_ = personaId;
    ++insertion_;
    return Unit{};
}

void VcardController::remove() {
    if (card_)
        card_->powerOff();
    card_.reset();
}

Status<SimFailure> VcardController::resetState(const std::string& personaId) {
    auto img = image(personaId);
    if (!img)
        return img.failure();
    counters_.at(personaId) = initialCounters(*img.value());
    return Unit{};
}

void VcardController::setExtendedLengthOverride(std::optional<bool> answered) {
    extendedLengthOverride_ = answered;
    if (card_)
        card_->setExtendedLength(answered.value_or(card_->image().extendedLength));
}

Bytes VcardController::atr() const {
    return card_ ? card_->image().atr : Bytes{};
}

void VcardController::powerOff() {
    if (card_)
        card_->powerOff();
}

void VcardController::reset() {
    if (card_)
        card_->reset();
}

CardReply VcardController::transmit(ByteView command) {
    if (!card_)
        return CardReply{{}, true};
    CardReply reply = card_->transmit(command);
    if (reply.pullCard)
        remove();
    return reply;
}

int VcardController::tries(AppId app, std::uint16_t key) const {
    const auto c = counters_.find(persona_);
    if (c == counters_.end())
        return -1;
    const auto t = c->second.triesLeft.find({app, key});
    return t == c->second.triesLeft.end() ? -1 : t->second;
}

std::string VcardController::status() const {
    std::ostringstream out;
    out << "ok persona=" << (persona_.empty() ? "none" : persona_)
        << " inserted=" << (card_ ? 1 : 0) << " apdus=" << log_.apdus
        << " auth_pin_tries=" << tries(AppId::kJpki, fid::kJpkiAuthPin)
        << " kenmen_b_tries=" << tries(AppId::kKenmen, fid::kKenmenVerificationB)
        << " text_b_tries=" << tries(AppId::kTextAssist, fid::kTextVerificationB)
        << " fault=" << (card_ ? faultName(card_->fault().mode) : "none")
        << " delay_ms=" << apduDelayMs_ << " extended_length="
        << (card_ ? (card_->extendedLength() ? 1 : 0) : extendedLengthOverride_.value_or(true));
    return out.str();
}

std::string VcardController::handle(std::string_view request) {
    const auto w = words(request);
    if (w.empty())
        return "error empty request";
    const std::string& cmd = w[0];
    if (cmd == "insert" && w.size() == 2) {
        auto r = insert(w[1]);
        return r ? "ok" : "error " + r.error().message();
    }
    if (cmd == "remove" && w.size() == 1) {
        remove();
        return "ok";
    }
    if (cmd == "reset-state" && w.size() <= 2) {
        const std::string id = w.size() == 2 ? w[1] : persona_;
        if (id.empty())
            return "error no persona inserted";
        auto r = resetState(id);
        return r ? "ok" : "error " + r.error().message();
    }
    if (cmd == "status" && w.size() == 1)
        return status();
    if (cmd == "reset-count" && w.size() == 1) {
        log_.apdus = 0;
        return "ok";
    }
    if (cmd == "delay-ms" && w.size() == 2) {
        const auto ms = parseCount(w[1]);
        if (!ms)
            return "error delay-ms needs a number of milliseconds";
        apduDelayMs_ = *ms;
        return "ok";
    }
    if (cmd == "extended-length" && w.size() == 2) {
        if (w[1] == "on" || w[1] == "off")
            setExtendedLengthOverride(w[1] == "on");
        else if (w[1] == "persona")
            setExtendedLengthOverride(std::nullopt);
        else
            return "error extended-length needs on, off or persona";
        return "ok";
    }
    if (cmd == "fault" && (w.size() == 2 || w.size() == 3)) {
        if (!card_)
            return "error no card inserted";
        auto fault = parseFault(w[1], w.size() == 3 ? w[2] : "");
        if (!fault)
            return "error " + fault.error().message();
        card_->setFault(fault.value());
        return "ok";
    }
    if (cmd == "selects" && w.size() == 1) {
        std::string out = "ok";
        for (const auto& s : log_.selects)
            out += " " + s;
        return out;
    }
    if (cmd == "forbidden" && w.size() == 1)
        return "ok " + std::to_string(log_.forbidden);
    return "error unknown request: " + std::string(request.substr(0, 64));
}

}  // namespace uketsuke::sim
