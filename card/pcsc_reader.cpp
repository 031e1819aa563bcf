// pcsc-lite reader access (see pcsc_reader.h).
#include "card/pcsc_reader.h"

#include <PCSC/pcsclite.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace uketsuke::card {
namespace {

std::string describe(LONG rv, std::string_view operation) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " = 0x%08lX ", static_cast<unsigned long>(rv));
    return std::string(operation) + buf + pcsc_stringify_error(rv);
}

}  // namespace

Failure<CardError> pcscFailure(LONG rv, std::string_view operation) {
    const std::string what = describe(rv, operation);
    switch (rv) {
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NO_SMARTCARD:
            return cardCancel(CardErrorCode::kCardRemoved, what);
        case SCARD_E_CANCELLED:
            return cardCancel(CardErrorCode::kCanceled, what);
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
            return cardFail(CardErrorCode::kNoService, what);
        case SCARD_E_NO_READERS_AVAILABLE:
        case SCARD_E_UNKNOWN_READER:
        case SCARD_E_READER_UNAVAILABLE:
            return cardFail(CardErrorCode::kNoReader, what);
        case SCARD_E_SHARING_VIOLATION:
            return cardFail(CardErrorCode::kSharingViolation, what);
        case SCARD_E_TIMEOUT:
            return cardFail(CardErrorCode::kTimeout, what);
        case SCARD_W_RESET_CARD:
            return cardFail(CardErrorCode::kCardReset, what);
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_W_UNRESPONSIVE_CARD:
            return cardFail(CardErrorCode::kNoCard, what);
        default:
            return cardFail(CardErrorCode::kTransport, what);
    }
}

CardResult<std::shared_ptr<PcscContext>> PcscContext::establish() {
    SCARDCONTEXT ctx = 0;
    const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rv != SCARD_S_SUCCESS)
        return pcscFailure(rv, "SCardEstablishContext");
    return std::shared_ptr<PcscContext>(new PcscContext(ctx));
}

PcscContext::~PcscContext() {
    SCardReleaseContext(context_);
}

void PcscContext::cancel() {
    SCardCancel(context_);
}

CardResult<std::vector<std::string>> PcscContext::listReaders() {
    DWORD size = 0;
    LONG rv = SCardListReaders(context_, nullptr, nullptr, &size);
    if (rv == SCARD_E_NO_READERS_AVAILABLE)
        return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS)
        return pcscFailure(rv, "SCardListReaders");
    std::string buffer(size, '\0');
    rv = SCardListReaders(context_, nullptr, buffer.data(), &size);
    if (rv == SCARD_E_NO_READERS_AVAILABLE)
        return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS)
        return pcscFailure(rv, "SCardListReaders");
    std::vector<std::string> readers;
    for (std::size_t pos = 0; pos < buffer.size() && buffer[pos] != '\0';) {
        const std::size_t end = buffer.find('\0', pos);
        readers.push_back(buffer.substr(pos, end - pos));
        pos = end + 1;
    }
    return readers;
}

bool readerMatches(const std::string& wanted, const std::string& name) {
    if (wanted.empty() || name == wanted)
        return true;
    // Only `*` and `?` are special: reader names carry brackets ("[ACR1252 Dual Reader PICC]").
    std::size_t p = 0, n = 0, star = std::string::npos, resume = 0;
    while (n < name.size()) {
        if (p < wanted.size() && (wanted[p] == '?' || wanted[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < wanted.size() && wanted[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < wanted.size() && wanted[p] == '*')
        ++p;
    return p == wanted.size();
}

CardResult<std::string> PcscContext::chooseReader(const std::string& wanted) {
    auto readers = listReaders();
    if (!readers)
        return readers.failure();
    if (readers->empty())
        return cardFail(CardErrorCode::kNoReader, "no PC/SC reader");
    std::vector<SCARD_READERSTATE> states;
    for (const auto& name : *readers) {
        if (!readerMatches(wanted, name))
            continue;
        SCARD_READERSTATE s{};
        s.szReader = name.c_str();
        s.dwCurrentState = SCARD_STATE_UNAWARE;
        states.push_back(s);
    }
    if (states.empty())
        return cardFail(CardErrorCode::kNoReader, "reader not found: " + wanted);
    const LONG rv = SCardGetStatusChange(context_, 0, states.data(), states.size());
    if (rv != SCARD_S_SUCCESS)
        return pcscFailure(rv, "SCardGetStatusChange");
    for (const auto& s : states) {
        if (s.dwEventState & SCARD_STATE_PRESENT)
            return std::string(s.szReader);
    }
    return cardFail(CardErrorCode::kNoCard,
                    wanted.empty() ? "no reader holds a card" : "no card in " + wanted);
}

CardResult<std::string> PcscContext::waitForState(const std::string& reader, bool present,
                                                  std::uint32_t timeoutMs) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    static const std::string kPnp = "\\\\?PnP?\\Notification";
    for (;;) {
        auto readers = listReaders();
        if (!readers)
            return readers.failure();
        std::vector<std::string> names;
        for (const auto& r : *readers) {
            if (readerMatches(reader, r))
                names.push_back(r);
        }
        std::vector<SCARD_READERSTATE> states(names.size() + 1);
        for (std::size_t i = 0; i < names.size(); ++i) {
            states[i].szReader = names[i].c_str();
            states[i].dwCurrentState = SCARD_STATE_UNAWARE;
        }
        // The PnP pseudo-reader wakes us when readers come and go.
        states.back().szReader = kPnp.c_str();
        states.back().dwCurrentState = static_cast<DWORD>(readers->size()) << 16;
        // First call: learn the current state without waiting.
        LONG rv = SCardGetStatusChange(context_, 0, states.data(), states.size());
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
            return pcscFailure(rv, "SCardGetStatusChange");
        }
        for (;;) {
            for (std::size_t i = 0; i < names.size(); ++i) {
                const bool has = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0;
                if (has == present)
                    return names[i];
            }
            const auto now = Clock::now();
            if (now >= deadline) {
                return cardFail(CardErrorCode::kTimeout,
                                present ? "no card inserted in time" : "card not removed in time");
            }
            for (auto& s : states)
                s.dwCurrentState = s.dwEventState & ~SCARD_STATE_CHANGED;
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
            rv = SCardGetStatusChange(context_, static_cast<DWORD>(left), states.data(),
                                      states.size());
            if (rv == SCARD_E_TIMEOUT)
                continue;
            if (rv != SCARD_S_SUCCESS)
                return pcscFailure(rv, "SCardGetStatusChange");
            if (states.back().dwEventState & SCARD_STATE_CHANGED)
                break;  // reader list changed
        }
    }
}

CardResult<std::string> PcscContext::waitForCard(const std::string& reader,
                                                 std::uint32_t timeoutMs) {
    return waitForState(reader, true, timeoutMs);
}

CardStatus PcscContext::waitForRemoval(const std::string& reader, std::uint32_t timeoutMs) {
    if (reader.empty())
        return cardFail(CardErrorCode::kInvalidInput, "reader name required");
    auto r = waitForState(reader, false, timeoutMs);
    if (!r)
        return r.failure();
    return Unit{};
}

CardResult<std::unique_ptr<PcscCard>> PcscContext::connect(const std::string& reader) {
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    LONG rv = SCardConnect(context_, reader.c_str(), SCARD_SHARE_EXCLUSIVE,
                           SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &card, &protocol);
    if (rv == SCARD_E_NO_SMARTCARD || rv == SCARD_W_REMOVED_CARD) {
        return cardFail(CardErrorCode::kNoCard, describe(rv, "SCardConnect"));
    }
    if (rv != SCARD_S_SUCCESS)
        return pcscFailure(rv, "SCardConnect");
    Bytes atr(MAX_ATR_SIZE);
    DWORD atrLen = atr.size();
    DWORD state = 0;
    DWORD readerLen = 0;
    rv = SCardStatus(card, nullptr, &readerLen, &state, &protocol, atr.data(), &atrLen);
    if (rv != SCARD_S_SUCCESS) {
        SCardDisconnect(card, SCARD_RESET_CARD);
        return pcscFailure(rv, "SCardStatus");
    }
    atr.resize(atrLen);
    return std::make_unique<PcscCard>(shared_from_this(), card, protocol, reader, std::move(atr));
}

PcscCard::PcscCard(std::shared_ptr<PcscContext> context, SCARDHANDLE card, DWORD protocol,
                   std::string reader, Bytes atr)
    : context_(std::move(context)),
      card_(card),
      protocol_(protocol),
      reader_(std::move(reader)),
      atr_(std::move(atr)) {}

bool PcscCard::cardPresent(std::uint32_t settleMs) const {
    SCARD_READERSTATE state{};
    state.szReader = reader_.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    if (SCardGetStatusChange(context_->handle(), 0, &state, 1) != SCARD_S_SUCCESS)
        return false;
    if ((state.dwEventState & SCARD_STATE_PRESENT) == 0)
        return false;
    if (settleMs == 0)
        return true;
    // pcscd polls a serial reader's presence (vpcd: every 400 ms), so a card pulled out a moment
    // ago can still look present: give the reader that long to report the change.
    state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    const LONG rv = SCardGetStatusChange(context_->handle(), settleMs, &state, 1);
    if (rv == SCARD_E_TIMEOUT)
        return true;
    if (rv != SCARD_S_SUCCESS)
        return false;
    return (state.dwEventState & SCARD_STATE_PRESENT) != 0;
}

PcscCard::~PcscCard() {
    disconnect();
}

void PcscCard::disconnect() {
    if (!connected_)
        return;
    connected_ = false;
    const LONG rv = SCardDisconnect(card_, SCARD_RESET_CARD);
    if (rv != SCARD_S_SUCCESS && rv != SCARD_W_REMOVED_CARD && rv != SCARD_E_NO_SMARTCARD) {
        spdlog::warn("card: {}", describe(rv, "SCardDisconnect(RESET)"));
    }
}

CardResult<Bytes> PcscCard::transmit(ByteView command) {
    if (!connected_)
        return cardFail(CardErrorCode::kTransport, "card disconnected");
    // Extended answers can reach 65536 + 2 bytes.
    Bytes answer(65538);
    DWORD answerLen = answer.size();
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    const LONG rv = SCardTransmit(card_, pci, command.data(), command.size(), nullptr,
                                  answer.data(), &answerLen);
    if (rv == SCARD_W_RESET_CARD) {
        // Another process reset the card: re-attach so the caller can start over (select the
        // application again), and report that every verified state is gone.
        DWORD proto = 0;
        SCardReconnect(card_, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                       SCARD_LEAVE_CARD, &proto);
        protocol_ = proto;
    }
    if (rv != SCARD_S_SUCCESS || answerLen == 0) {
        // A card pulled out mid-command shows up in several ways depending on the driver:
        // SCARD_W_REMOVED_CARD, SCARD_E_NOT_TRANSACTED, or (vpcd) a successful empty answer.
        // Ask the reader whether the card is still there before calling it a transport error.
        if (!cardPresent(kRemovalSettleMs)) {
            return cardCancel(CardErrorCode::kCardRemoved, rv != SCARD_S_SUCCESS
                                                               ? describe(rv, "SCardTransmit")
                                                               : "empty answer, card gone");
        }
        if (rv != SCARD_S_SUCCESS)
            return pcscFailure(rv, "SCardTransmit");
        return cardFail(CardErrorCode::kTransport, "SCardTransmit returned an empty answer");
    }
    answer.resize(answerLen);
    return answer;
}

}  // namespace uketsuke::card
