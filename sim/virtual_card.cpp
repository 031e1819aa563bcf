// VirtualCard: APDU handling of the virtual My Number Card (card-protocol.md §1-§6, §9, Errata).
#include "sim/virtual_card.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

namespace uketsuke::sim {
namespace {

constexpr std::uint8_t kClaIso = 0x00;
constexpr std::uint8_t kClaProprietary = 0x80;
constexpr std::uint8_t kInsSelect = 0xA4, kInsReadBinary = 0xB0, kInsVerify = 0x20,
                       kInsGetChallenge = 0x84, kInsSign = 0x2A;
constexpr std::size_t kMaxSignInput = 245;  // RSA-2048 PKCS#1 v1.5: 256 - 11 (card-protocol.md §6)

Bytes status(std::uint16_t word) {
    return {static_cast<std::uint8_t>(word >> 8), static_cast<std::uint8_t>(word)};
}

Bytes withStatus(Bytes data, std::uint16_t word) {
    data.push_back(static_cast<std::uint8_t>(word >> 8));
    data.push_back(static_cast<std::uint8_t>(word));
    return data;
}

std::uint16_t wrongCredential(int triesLeft) {
    return static_cast<std::uint16_t>(sw::kWrongCredentialBase | std::clamp(triesLeft, 0, 15));
}

std::string fidText(std::uint16_t fid) {
    char text[8];
    std::snprintf(text, sizeof text, "%04X", fid);
    return text;
}

// Finds the EF whose short id (low 5 bits of a FID in 0001..001E) matches.
template <typename Map>
auto findBySfi(const Map& map, std::uint8_t sfi) -> decltype(map.begin()) {
    return std::find_if(map.begin(), map.end(), [sfi](const auto& entry) {
        return entry.first <= 0x1E && (entry.first & 0x1F) == sfi;
    });
}

}  // namespace

// ISO 7816-3 cases 1, 2S/2E, 3S/3E, 4S/4E.
struct VirtualCard::Command {
    std::uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
    Bytes data;
    std::optional<std::size_t> le;
    bool extended = false;

    static std::optional<Command> parse(ByteView apdu) {
        if (apdu.size() < 4)
            return std::nullopt;
        Command c;
        c.cla = apdu[0];
        c.ins = apdu[1];
        c.p1 = apdu[2];
        c.p2 = apdu[3];
        const std::size_t n = apdu.size();
        if (n == 4)
            return c;
        if (n == 5) {
            c.le = apdu[4] == 0 ? 256 : apdu[4];
            return c;
        }
        if (apdu[4] != 0) {
            const std::size_t lc = apdu[4];
            if (n != 5 + lc && n != 6 + lc)
                return std::nullopt;
            c.data.assign(apdu.begin() + 5, apdu.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
            if (n == 6 + lc)
                c.le = apdu[n - 1] == 0 ? 256 : apdu[n - 1];
            return c;
        }
        c.extended = true;
        if (n == 7) {
            const std::size_t le = (std::size_t{apdu[5]} << 8) | apdu[6];
            c.le = le == 0 ? 65536 : le;
            return c;
        }
        const std::size_t lc = (std::size_t{apdu[5]} << 8) | apdu[6];
        if (lc == 0 || (n != 7 + lc && n != 9 + lc))
            return std::nullopt;
        c.data.assign(apdu.begin() + 7, apdu.begin() + 7 + static_cast<std::ptrdiff_t>(lc));
        if (n == 9 + lc) {
            const std::size_t le = (std::size_t{apdu[n - 2]} << 8) | apdu[n - 1];
            c.le = le == 0 ? 65536 : le;
        }
        return c;
    }
};

CardCounters initialCounters(const CardImage& image) {
    CardCounters counters;
    for (const auto& app : image.apps)
        for (const auto& [fid, pin] : app.pins)
            counters.triesLeft[{app.id, fid}] = pin.initialTries;
    return counters;
}

VirtualCard::VirtualCard(std::shared_ptr<const CardImage> image, CardCounters& counters,
                         AccessLog& log)
    : base_(image),
      image_(std::move(image)),
      counters_(counters),
      log_(log),
      extendedLength_(image_->extendedLength) {}

void VirtualCard::powerOff() {
    reset();
}

void VirtualCard::reset() {
    currentApp_.reset();
    currentEf_.reset();
    verified_.clear();
    OPENSSL_cleanse(challenge_.data(), challenge_.size());
    challenge_.clear();
}

void VirtualCard::setFault(const Fault& fault) {
    fault_ = fault;
    apdusUntilRemoval_ = fault.argument;
    faultRng_.seed(fault.argument);
    image_ = fault.mode == FaultMode::kNone
                 ? base_
                 : std::make_shared<const CardImage>(applyFileFault(*base_, fault.mode));
}

void VirtualCard::replaceImage(std::shared_ptr<const CardImage> image) {
    base_ = std::move(image);
    image_ = fault_.mode == FaultMode::kNone
                 ? base_
                 : std::make_shared<const CardImage>(applyFileFault(*base_, fault_.mode));
}

CardReply VirtualCard::transmit(ByteView command) {
    ++log_.apdus;
    switch (fault_.mode) {
        case FaultMode::kRemoveAfterApdus:
            if (apdusUntilRemoval_ == 0) {
                setFault(Fault{});
                reset();
                return CardReply{{}, true};
            }
            --apdusUntilRemoval_;
            break;
        case FaultMode::kRandomSw: {
            // SW1 among the ISO status classes (61..6F, 90), SW2 anything.
            const std::uint8_t sw1 = static_cast<std::uint8_t>(0x61 + faultRng_() % 16);
            return CardReply{
                {sw1 == 0x70 ? std::uint8_t{0x90} : sw1, static_cast<std::uint8_t>(faultRng_())},
                false};
        }
        case FaultMode::kGarbage: {
            Bytes garbage(1 + faultRng_() % 300);
            for (auto& b : garbage)
                b = static_cast<std::uint8_t>(faultRng_());
            return CardReply{std::move(garbage), false};
        }
        default:
            break;
    }
    const auto parsed = Command::parse(command);
    if (!parsed)
        return CardReply{status(sw::kWrongLength), false};
    Bytes response = dispatch(*parsed);
    if (const Application* app = currentApp();
        app != nullptr && app->forbidden && parsed->ins != kInsSelect)
        ++log_.forbidden;
    return CardReply{std::move(response), false};
}

Bytes VirtualCard::dispatch(const Command& c) {
    if (c.cla != kClaIso && c.cla != kClaProprietary)
        return status(sw::kClaNotSupported);
    struct Handler {
        std::uint8_t ins;
        std::uint8_t cla;
        Bytes (VirtualCard::*handle)(const Command&);
    };
    static constexpr Handler kHandlers[] = {
        {kInsSelect, kClaIso, &VirtualCard::select},
        {kInsReadBinary, kClaIso, &VirtualCard::readBinary},
        {kInsVerify, kClaIso, &VirtualCard::verify},
        {kInsGetChallenge, kClaIso, &VirtualCard::getChallenge},
        {kInsSign, kClaProprietary, &VirtualCard::sign},
    };
    for (const Handler& h : kHandlers) {
        if (h.ins != c.ins)
            continue;
        if (h.cla != c.cla)
            return status(sw::kClaNotSupported);
        return (this->*h.handle)(c);
    }
    return status(sw::kInsNotSupported);
}

const Application* VirtualCard::currentApp() const {
    return currentApp_ ? image_->find(*currentApp_) : nullptr;
}

void VirtualCard::noteForbidden(const Application& app, std::uint16_t fid) {
    if (app.forbiddenFids.count(fid) > 0)
        ++log_.forbidden;
}

Bytes VirtualCard::select(const Command& c) {
    if (c.p2 != 0x0C && c.p2 != 0x00)
        return status(sw::kWrongP1P2);
    if (c.p1 == 0x04) {
        if (c.data.empty())
            return status(sw::kWrongLength);
        // Full AID only (card-protocol.md §1): a prefix selects nothing.
        for (const AppInfo& info : kApps) {
            if (!std::equal(c.data.begin(), c.data.end(), info.aid.begin(), info.aid.end()))
                continue;
            log_.selects.emplace_back(info.name);
            // Trying the 入力補助AP is a violation even on a card that lacks it.
            if (info.id == AppId::kTextAssist)
                ++log_.forbidden;
            if (image_->find(info.id) == nullptr)
                return status(sw::kNotFound);
            currentApp_ = info.id;
            currentEf_.reset();
            return status(sw::kOk);
        }
        log_.selects.push_back("AID:" + toHex(c.data, false));
        return status(sw::kNotFound);
    }
    if (c.p1 == 0x02) {
        if (c.data.size() != 2)
            return status(sw::kWrongLength);
        const std::uint16_t fid = static_cast<std::uint16_t>((c.data[0] << 8) | c.data[1]);
        const Application* app = currentApp();
        if (app == nullptr) {
            log_.selects.push_back("?:" + fidText(fid));
            return status(sw::kNoCurrentEf);
        }
        log_.selects.push_back(std::string(appName(app->id)) + ":" + fidText(fid));
        noteForbidden(*app, fid);
        if (app->forbidden)
            ++log_.forbidden;
        if (app->files.count(fid) == 0 && app->pins.count(fid) == 0 && app->keys.count(fid) == 0)
            return status(sw::kNotFound);
        currentEf_ = fid;
        return status(sw::kOk);
    }
    // There is no reliable SELECT MF on this card (card-protocol.md §1): 00 A4 00 00 -> 6A86.
    return status(sw::kWrongP1P2);
}

bool VirtualCard::mayRead(const Application& app, Access access) const {
    switch (access) {
        case Access::kFree:
            return true;
        case Access::kAfterAuthPin:
            return isVerified(app.id, fid::kJpkiAuthPin);
        case Access::kAfterSignPassword:
            return isVerified(app.id, fid::kJpkiSignPassword);
        case Access::kAfterKenmenB:
            return isVerified(app.id, fid::kKenmenVerificationB) ||
                   isVerified(app.id, fid::kKenmenVerificationA);
        case Access::kNever:
            return false;
    }
    return false;
}

Bytes VirtualCard::readBinary(const Command& c) {
    const Application* app = currentApp();
    if (app == nullptr)
        return status(sw::kNoCurrentEf);
    std::size_t offset = 0;
    std::uint16_t fid = 0;
    if (c.p1 & 0x80) {
        // Short EF id in P1, 8-bit offset in P2 (card-protocol.md §3); selects the EF.
        if (c.p1 & 0x60)
            return status(sw::kWrongP1P2);
        const auto it = findBySfi(app->files, c.p1 & 0x1F);
        if (it == app->files.end())
            return status(sw::kNotFound);
        fid = it->first;
        log_.selects.push_back(std::string(appName(app->id)) + ":" + fidText(fid));
        currentEf_ = fid;
        offset = c.p2;
    } else {
        if (!currentEf_ || app->files.count(*currentEf_) == 0)
            return status(sw::kNoCurrentEf);
        fid = *currentEf_;
        offset = (std::size_t{c.p1} << 8) | c.p2;
    }
    noteForbidden(*app, fid);
    if (!c.le || !c.data.empty())
        return status(sw::kWrongLength);
    // A card that accepts only short Le refuses the extended form as a wrong length.
    if (c.extended && !extendedLength_)
        return status(sw::kWrongLength);
    const ElementaryFile& file = app->files.at(fid);
    if (!mayRead(*app, file.read))
        return status(sw::kSecurityNotSatisfied);
    if (offset >= file.data.size())
        return status(sw::kOffsetPastEnd);
    const std::size_t available = file.data.size() - offset;
    if (fault_.mode == FaultMode::kWrongLength) {
        // More than asked: the file's next bytes, then FF where the file ends.
        Bytes data(file.data.begin() + static_cast<std::ptrdiff_t>(offset),
                   file.data.begin() +
                       static_cast<std::ptrdiff_t>(offset + std::min(available, *c.le + 16)));
        data.resize(*c.le + 16, 0xFF);
        return withStatus(std::move(data), sw::kOk);
    }
    std::size_t count = std::min(available, *c.le);
    std::uint16_t word = count < *c.le ? sw::kEndOfFileBeforeLe : sw::kOk;
    if (c.extended && image_->extendedAnswerCap > 0 && count > image_->extendedAnswerCap) {
        count = image_->extendedAnswerCap;
        word = sw::kOk;
    }
    Bytes data(file.data.begin() + static_cast<std::ptrdiff_t>(offset),
               file.data.begin() + static_cast<std::ptrdiff_t>(offset + count));
    return withStatus(std::move(data), word);
}

Bytes VirtualCard::verify(const Command& c) {
    const Application* app = currentApp();
    if (c.p1 != 0x00)
        return status(sw::kWrongP1P2);
    if (app == nullptr)
        return status(sw::kNoCurrentEf);
    std::uint16_t fid = 0;
    if (c.p2 == 0x80) {
        if (!currentEf_ || app->pins.count(*currentEf_) == 0)
            return status(sw::kNoCurrentEf);
        fid = *currentEf_;
    } else if ((c.p2 & 0x80) && (c.p2 & 0x60) == 0) {
        const auto it = findBySfi(app->pins, c.p2 & 0x1F);
        if (it == app->pins.end())
            return status(sw::kReferenceNotFound);
        fid = it->first;
    } else {
        return status(sw::kWrongP1P2);
    }
    noteForbidden(*app, fid);
    const PinKey& pin = app->pins.at(fid);
    const KeyId key{app->id, fid};
    int& tries = counters_.triesLeft[key];

    if (c.data.empty()) {
        // Counter query: consumes nothing and answers 63Cx, verified or not (card-protocol.md
        // §4, Errata 2 and 7); the persona variants answer something else.
        if (pin.queryAnswer)
            return status(*pin.queryAnswer);
        if (pin.queryWhenVerified && verified_.count(key) > 0)
            return status(*pin.queryWhenVerified);
        return status(wrongCredential(tries));
    }
    if (tries <= 0)
        return status(sw::kKeyBlocked);
    if (c.data.size() < pin.minLength || c.data.size() > pin.maxLength)
        return status(sw::kWrongLength);
    const bool match = !pin.value.empty() && c.data.size() == pin.value.size() &&
                       CRYPTO_memcmp(c.data.data(), pin.value.data(), c.data.size()) == 0;
    if (match) {
        tries = pin.maxTries;
        verified_.insert(key);
        return status(sw::kOk);
    }
    --tries;
    verified_.erase(key);
    return status(wrongCredential(tries));
}

Bytes VirtualCard::getChallenge(const Command& c) {
    if (c.p1 != 0x00 || c.p2 != 0x00)
        return status(sw::kWrongP1P2);
    // The card rejects the extended form (card-protocol.md §3).
    if (c.extended)
        return status(sw::kConditionsNotSatisfied);
    if (!c.le || !c.data.empty())
        return status(sw::kWrongLength);
    Bytes challenge(*c.le);
    if (RAND_bytes(challenge.data(), static_cast<int>(challenge.size())) != 1)
        return status(sw::kConditionsNotSatisfied);
    challenge_ = challenge;
    return withStatus(std::move(challenge), sw::kOk);
}

Bytes VirtualCard::sign(const Command& c) {
    const Application* app = currentApp();
    // Only P1 00 (the host's DigestInfo, PKCS#1 v1.5 type 1) is modelled; the other P1 values
    // one card answered to (card-protocol.md §6) are unconfirmed.
    if (c.p1 != 0x00)
        return status(sw::kWrongP1P2);
    if (app == nullptr)
        return status(sw::kNoCurrentEf);
    if (c.data.empty() || c.data.size() > kMaxSignInput)
        return status(sw::kWrongLength);
    const SigningKey* key = nullptr;
    if (c.p2 == 0x00) {
        if (!app->internalAuthKey)
            return status(sw::kWrongP1P2);
        key = &*app->internalAuthKey;
    } else if (c.p2 == 0x80) {
        if (!currentEf_ || app->keys.count(*currentEf_) == 0)
            return status(sw::kNoCurrentEf);
        key = &app->keys.at(*currentEf_);
    } else if ((c.p2 & 0x80) && (c.p2 & 0x60) == 0) {
        const auto it = findBySfi(app->keys, c.p2 & 0x1F);
        if (it == app->keys.end())
            return status(sw::kReferenceNotFound);
        key = &it->second;
    } else {
        return status(sw::kWrongP1P2);
    }
    if (key->requiredPin && !isVerified(app->id, *key->requiredPin))
        return status(sw::kSecurityNotSatisfied);
    Bytes signature = signPkcs1Raw(*key->key, c.data);
    if (signature.empty())
        return status(sw::kConditionsNotSatisfied);
    return withStatus(std::move(signature), sw::kOk);
}

}  // namespace uketsuke::sim
