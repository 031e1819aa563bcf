// ISO 7816-4 commands (see iso7816.h).
#include "card/iso7816.h"

#include <algorithm>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "card/status_word.h"
#include "card/tlv.h"

namespace uketsuke::card {
namespace {

// 券面AP files that are, or are unlocked by, the My Number (reference §2.2).
constexpr std::array<std::uint16_t, 2> kForbiddenKenmenFids{0x0005, 0x0013};

// A 61xx chain or a read loop never needs more round trips than this on a < 32 KiB file.
constexpr int kMaxGetResponses = 130;
constexpr int kMaxReads = 512;

// The command an APDU is, for decoding its status word in context (status_word.h).
CardCommand commandOf(const CommandApdu& c) {
    switch (c.ins) {
        case ins::kSelect:
            return CardCommand::kSelect;
        case ins::kReadBinary:
            return CardCommand::kReadBinary;
        case ins::kVerify:
            return c.data.empty() ? CardCommand::kVerifyQuery : CardCommand::kVerify;
        case ins::kGetChallenge:
            return CardCommand::kGetChallenge;
        case ins::kComputeSignature:
            return CardCommand::kComputeSignature;
        default:
            return CardCommand::kGetResponse;
    }
}

// Answers to an extended-Le READ BINARY that say "not this way": fall back to short reads.
bool refusesExtendedRead(const CardError& e) {
    switch (e.code) {
        case CardErrorCode::kWrongLength:      // 6700, 6Cxx, or more bytes than asked
        case CardErrorCode::kInsNotSupported:  // 6D00
        case CardErrorCode::kClaNotSupported:  // 6E00
        case CardErrorCode::kWrongP1P2:        // 6A86/6B00 from a card that misreads the form
        case CardErrorCode::kFunctionNotSupported:
        case CardErrorCode::kUnexpectedStatus:
        case CardErrorCode::kMalformedResponse:
        case CardErrorCode::kTransport:  // the reader or driver cannot carry it (card present)
            return true;
        default:
            return false;
    }
}

std::string hex4(std::uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", v);
    return buf;
}

}  // namespace

std::string_view retryStateName(RetryCounter::State state) {
    switch (state) {
        case RetryCounter::State::kTriesLeft:
            return "tries-left";
        case RetryCounter::State::kBlocked:
            return "blocked";
        case RetryCounter::State::kNoCounter:
            return "no-counter";
        case RetryCounter::State::kAlreadyVerified:
            return "already-verified";
    }
    return "unknown";
}

Iso7816::Iso7816(CardChannel& channel, ReadOptions options) : channel_(channel), options_(options) {
    options_.maxFileBytes = std::min(options_.maxFileBytes, kMaxFileBytes);
}

CardResult<ResponseApdu> Iso7816::exchange(const CommandApdu& command) {
    auto encoded = command.encode();
    if (!encoded)
        return encoded.failure();
    Bytes bytes = std::move(encoded).takeValue();
    auto raw = channel_.transmit(bytes);
    logger_.log(bytes, raw ? ByteView(*raw) : ByteView());
    wipe(bytes);  // may have held a PIN or 照合番号B
    if (!raw)
        return raw.failure();
    return ResponseApdu::parse(*raw);
}

CardResult<ResponseApdu> Iso7816::transceive(const CommandApdu& command) {
    return transceive(command, true);
}

CardResult<ResponseApdu> Iso7816::transceive(const CommandApdu& command, bool reissueOnWrongLe) {
    const CardCommand context = commandOf(command);
    auto r = exchange(command);
    if (!r)
        return r;
    ResponseApdu response = std::move(r).takeValue();
    DecodedSw d = decodeStatusWord(context, response.sw);
    if (d.cls == SwClass::kReissueLe) {
        if (!reissueOnWrongLe)
            return fail(statusError(context, response.sw, "Le refused"));
        // 6Cxx: the card tells the right Le; send the same command once more with it.
        CommandApdu again = command;
        again.le = (*d.le == 0) ? 256u : *d.le;
        again.extended = false;
        auto r2 = exchange(again);
        wipe(again.data);
        if (!r2)
            return r2;
        response = std::move(r2).takeValue();
        d = decodeStatusWord(context, response.sw);
        if (d.cls == SwClass::kReissueLe) {
            return cardFail(CardErrorCode::kWrongLength, "6Cxx twice", response.sw);
        }
    }
    for (int i = 0; d.cls == SwClass::kMoreData; ++i) {
        if (i >= kMaxGetResponses || response.data.size() > 65536) {
            return cardFail(CardErrorCode::kMalformedResponse, "endless 61xx chain", response.sw);
        }
        CommandApdu getResponse{0x00, ins::kGetResponse, 0x00, 0x00, {}, std::nullopt, false};
        getResponse.le = (*d.le == 0) ? 256u : *d.le;
        auto more = exchange(getResponse);
        if (!more)
            return more;
        response.data.insert(response.data.end(), more->data.begin(), more->data.end());
        response.sw = more->sw;
        // The final SW answers the original command (GET RESPONSE only carried its data).
        d = decodeStatusWord(context, response.sw);
    }
    return response;
}

CardStatus Iso7816::selectAid(ByteView aid) {
    if (aid.empty() || aid.size() > 16)
        return cardFail(CardErrorCode::kInvalidInput, "AID size");
    // The 入力補助AP (reference §1): its files hold the My Number as text. Never selected.
    if (applicationOfAid(aid) == CardApplication::kTextAssist) {
        return cardFail(CardErrorCode::kForbiddenAccess, "入力補助AP holds the My Number");
    }
    CommandApdu c{0x00,         ins::kSelect, 0x04, 0x0C, Bytes(aid.begin(), aid.end()),
                  std::nullopt, false};
    // The selection is unknown until the card confirms it (a failed SELECT leaves the card's
    // current DF unspecified): the tracker of logger_ follows the exchange (card_applications.h).
    auto r = transceive(c);
    if (!r)
        return r.failure();
    if (r->sw != 0x9000)
        return fail(statusError(CardCommand::kSelect, r->sw, "SELECT AID " + toHex(aid, false)));
    if (!r->data.empty())
        return cardFail(CardErrorCode::kMalformedResponse, "SELECT answered data");
    return Unit{};
}

CardStatus Iso7816::selectEf(std::uint16_t fid) {
    // Outside JPKI-AP (券面AP, or a DF the guard cannot be sure of) never risk reaching a
    // My Number file.
    if (selectedAp() != CardApplication::kJpki) {
        for (auto forbidden : kForbiddenKenmenFids) {
            if (fid == forbidden) {
                return cardFail(CardErrorCode::kForbiddenAccess,
                                "EF " + hex4(fid) + " holds or unlocks the My Number");
            }
        }
    }
    CommandApdu c{0x00,
                  ins::kSelect,
                  0x02,
                  0x0C,
                  Bytes{static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)},
                  std::nullopt,
                  false};
    auto r = transceive(c);
    if (!r)
        return r.failure();
    if (r->sw != 0x9000)
        return fail(statusError(CardCommand::kSelect, r->sw, "SELECT EF " + hex4(fid)));
    if (!r->data.empty())
        return cardFail(CardErrorCode::kMalformedResponse, "SELECT answered data");
    return Unit{};
}

CardResult<ReadChunk> Iso7816::readBinary(std::size_t offset, std::size_t le) {
    if (offset > 0x7FFF)
        return cardFail(CardErrorCode::kFileTooLarge, "offset beyond 7FFF");
    if (le == 0 || le > kShortReadBytes)
        return cardFail(CardErrorCode::kInvalidInput, "READ BINARY length");
    CommandApdu c{0x00,
                  ins::kReadBinary,
                  static_cast<std::uint8_t>(offset >> 8),
                  static_cast<std::uint8_t>(offset & 0xFF),
                  {},
                  static_cast<std::uint32_t>(le),
                  false};
    auto r = transceive(c);
    if (!r)
        return r.failure();
    const DecodedSw d = decodeStatusWord(CardCommand::kReadBinary, r->sw);
    if (d.cls != SwClass::kSuccess && d.cls != SwClass::kEndOfFile) {
        return fail(statusError(CardCommand::kReadBinary, r->sw,
                                "READ BINARY at " + std::to_string(offset)));
    }
    if (r->data.size() > le) {
        return cardFail(CardErrorCode::kWrongLength,
                        "READ BINARY answered " + std::to_string(r->data.size()) +
                            " bytes for Le " + std::to_string(le),
                        r->sw);
    }
    return ReadChunk{std::move(r.value().data), d.cls == SwClass::kEndOfFile};
}

CardResult<ReadChunk> Iso7816::readBinaryExtended(std::size_t offset, std::size_t le) {
    CommandApdu c{0x00,
                  ins::kReadBinary,
                  static_cast<std::uint8_t>(offset >> 8),
                  static_cast<std::uint8_t>(offset & 0xFF),
                  {},
                  static_cast<std::uint32_t>(le),
                  true};
    auto r = transceive(c, false);  // 6Cxx is a refusal here, not a request to reissue
    if (!r)
        return r.failure();
    const DecodedSw d = decodeStatusWord(CardCommand::kReadBinary, r->sw);
    if (d.cls != SwClass::kSuccess && d.cls != SwClass::kEndOfFile) {
        return fail(statusError(CardCommand::kReadBinary, r->sw,
                                "extended READ BINARY at " + std::to_string(offset)));
    }
    if (r->data.size() > le) {
        return cardFail(CardErrorCode::kWrongLength, "extended READ BINARY answered too much",
                        r->sw);
    }
    return ReadChunk{std::move(r.value().data), d.cls == SwClass::kEndOfFile};
}

bool Iso7816::mayTryExtended() const {
    return options_.tryExtendedLengthReadBinary && extendedRead_ != ExtendedReadSupport::kRefused &&
           channel_.extendedApdusPossible();
}

void Iso7816::noteShortAnswer(std::size_t asked, const ReadChunk& chunk) {
    // More than a short read could carry proves the card accepts extended Le; fewer bytes than
    // asked without an end-of-file status means the card (or reader) caps the answer.
    if (chunk.data.size() > kShortReadBytes)
        extendedRead_ = ExtendedReadSupport::kAccepted;
    else if (chunk.data.size() < asked && !chunk.endOfFile)
        extendedRead_ = ExtendedReadSupport::kRefused;
}

CardResult<ReadChunk> Iso7816::readLongest(std::size_t offset, std::size_t wanted) {
    if (offset > 0x7FFF)
        return cardFail(CardErrorCode::kFileTooLarge, "offset beyond 7FFF");
    if (wanted == 0)
        return cardFail(CardErrorCode::kInvalidInput, "READ BINARY length");
    if (wanted > kShortReadBytes && mayTryExtended()) {
        const std::size_t le = std::min<std::size_t>(wanted, 65536);
        auto chunk = readBinaryExtended(offset, le);
        if (chunk) {
            noteShortAnswer(le, *chunk);
            return chunk;
        }
        if (!refusesExtendedRead(chunk.error()) || chunk.status() != ResultStatus::kFailed)
            return chunk;  // the card left, was reset, or answered a real error
        spdlog::info("card: extended-length READ BINARY refused ({}); short reads from now on",
                     chunk.error().toString());
        extendedRead_ = ExtendedReadSupport::kRefused;
    }
    return readBinary(offset, std::min(wanted, kShortReadBytes));
}

CardResult<Bytes> Iso7816::readRange(std::size_t offset, std::size_t length, Bytes prefix) {
    Bytes out = std::move(prefix);
    if (length > options_.maxFileBytes || offset > options_.maxFileBytes - length) {
        return cardFail(CardErrorCode::kFileTooLarge,
                        "range " + std::to_string(offset) + "+" + std::to_string(length));
    }
    std::size_t done = out.size();
    for (int reads = 0; done < length; ++reads) {
        if (reads >= kMaxReads)
            return cardFail(CardErrorCode::kMalformedResponse, "read loop");
        auto chunk = readLongest(offset + done, length - done);
        if (!chunk)
            return chunk.failure();
        out.insert(out.end(), chunk->data.begin(), chunk->data.end());
        done += chunk->data.size();
        if (done < length && (chunk->endOfFile || chunk->data.empty())) {
            return cardFail(CardErrorCode::kMalformedTlv,
                            "file ends at " + std::to_string(offset + done) + ", expected " +
                                std::to_string(offset + length));
        }
    }
    if (out.size() > length)
        out.resize(length);
    return out;
}

CardResult<Bytes> Iso7816::readTlvFile() {
    auto first = readLongest(0, options_.maxFileBytes);
    if (!first)
        return first.failure();
    Bytes data = std::move(first.value().data);
    bool eof = first->endOfFile;
    TlvHeader header;
    for (int reads = 0;; ++reads) {
        const TlvHeaderStatus s = peekTlvHeader(data, header);
        if (s == TlvHeaderStatus::kOk)
            break;
        if (s == TlvHeaderStatus::kInvalid) {
            return cardFail(CardErrorCode::kMalformedTlv, "file does not start with a TLV");
        }
        // A card may answer fewer bytes than asked: fetch more until the header is complete.
        if (eof || data.empty() || reads >= 8 || data.size() >= 16) {
            return cardFail(CardErrorCode::kMalformedTlv, "file too short for its TLV header");
        }
        auto more = readBinary(data.size(), kShortReadBytes);
        if (!more)
            return more.failure();
        if (more->data.empty())
            eof = true;
        data.insert(data.end(), more->data.begin(), more->data.end());
        eof = eof || more->endOfFile;
    }
    if (header.valueLength > options_.maxFileBytes ||
        header.totalLength() > options_.maxFileBytes) {
        return cardFail(CardErrorCode::kFileTooLarge,
                        "TLV claims " + std::to_string(header.valueLength) + " bytes");
    }
    const std::size_t total = header.totalLength();
    if (data.size() >= total) {
        data.resize(total);  // trim padding after the TLV (reference §3)
        return data;
    }
    if (eof) {
        return cardFail(CardErrorCode::kMalformedTlv, "file ends at " +
                                                          std::to_string(data.size()) +
                                                          ", TLV claims " + std::to_string(total));
    }
    return readRange(0, total, std::move(data));
}

CardResult<RetryCounter> Iso7816::queryRetries() {
    CommandApdu c{0x00, ins::kVerify, 0x00, 0x80, {}, std::nullopt, false};
    auto r = transceive(c);
    if (!r)
        return r.failure();
    const DecodedSw d = decodeStatusWord(CardCommand::kVerifyQuery, r->sw);
    switch (d.cls) {
        case SwClass::kTriesLeft:
            return RetryCounter{RetryCounter::State::kTriesLeft, *d.triesLeft};
        case SwClass::kBlocked:
            return RetryCounter{RetryCounter::State::kBlocked, 0};
        case SwClass::kNoCounter:
            return RetryCounter{RetryCounter::State::kNoCounter, 0};
        case SwClass::kSuccess:
            return RetryCounter{RetryCounter::State::kAlreadyVerified, 0};
        default:
            return fail(statusError(CardCommand::kVerifyQuery, r->sw, "VERIFY status query"));
    }
}

CardStatus Iso7816::verify(SecretBytes secret) {
    if (secret.empty() || secret.size() > 255) {
        return cardFail(CardErrorCode::kInvalidInput, "credential length");
    }
    CommandApdu c{0x00, ins::kVerify, 0x00, 0x80, {}, std::nullopt, false};
    c.data.assign(secret.view().begin(), secret.view().end());
    secret.clear();
    verifyInFlight_ = true;
    auto r = transceive(c);
    wipe(c.data);
    if (!r)
        return r.failure();
    verifyInFlight_ = false;
    const DecodedSw d = decodeStatusWord(CardCommand::kVerify, r->sw);
    if (d.cls == SwClass::kSuccess)
        return Unit{};
    CardError e = statusError(CardCommand::kVerify, r->sw, "VERIFY");
    if (d.cls == SwClass::kTriesLeft)
        e.code = CardErrorCode::kWrongCredential;
    if (d.cls == SwClass::kBlocked) {
        e.code = CardErrorCode::kBlocked;
        e.triesLeft = 0;
    }
    return fail(std::move(e));
}

CardResult<Bytes> Iso7816::getChallenge(std::uint8_t length) {
    if (length == 0)
        return cardFail(CardErrorCode::kInvalidInput, "challenge length");
    CommandApdu c{0x00, ins::kGetChallenge, 0x00, 0x00, {}, length, false};
    auto r = transceive(c);
    if (!r)
        return r.failure();
    if (r->sw != 0x9000)
        return fail(statusError(CardCommand::kGetChallenge, r->sw, "GET CHALLENGE"));
    if (r->data.size() != length) {
        return cardFail(CardErrorCode::kWrongLength,
                        "challenge of " + std::to_string(r->data.size()) + " bytes");
    }
    return std::move(r.value().data);
}

}  // namespace uketsuke::card
