// 券面AP flows (see kenmen_ap.h; reference §2.2, §5, Errata 1).
#include "card/kenmen_ap.h"

#include "card/status_word.h"
#include "card/tlv.h"

namespace uketsuke::card {
namespace {

constexpr std::uint32_t kTagCardFace = 0xFF20;
constexpr std::uint32_t kTagOffsetTable = 0xDF21;
constexpr std::uint32_t kTagFirstObject = 0xDF22;  // DF22..DF2A follow in this order
constexpr std::size_t kOffsetEntries = 9;
constexpr std::uint32_t kTagExponent = 0x90;  // inside DF24
constexpr std::uint32_t kTagModulus = 0x91;
constexpr std::size_t kVerificationNumberBDigits = 14;
constexpr std::size_t kSignatureBytes = 256;
constexpr std::uint8_t kChallengeBytes = 16;

enum FaceIndex { kBirth, kSex, kCardKey, kName, kAddress, kPhoto, kSignature, kExpiry, kCodeImage };

constexpr bool filesInEnumOrder() {
    for (std::size_t i = 0; i < kKenmenFiles.size(); ++i) {
        if (static_cast<std::size_t>(kKenmenFiles[i].object) != i)
            return false;
    }
    return true;
}
static_assert(filesInEnumOrder(), "kKenmenFiles is indexed by KenmenObject");

Failure<CardError> badFace(std::string what) {
    return cardFail(CardErrorCode::kMalformedTlv, "EF 0002: " + std::move(what));
}

bool isDigits(ByteView v, std::size_t n) {
    if (v.size() != n)
        return false;
    for (std::uint8_t c : v) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

}  // namespace

CardResult<CardFace> parseCardFace(ByteView file) {
    auto outer = parseTlv(file);
    if (!outer)
        return outer.failure();
    if (outer->tag != kTagCardFace)
        return badFace("does not start with FF20");
    const std::size_t valueStart = outer->encoded.size() - outer->value.size();
    const std::size_t end = outer->encoded.size();
    auto table = parseTlv(outer->value);
    if (!table)
        return table.failure();
    if (table->tag != kTagOffsetTable || table->value.size() != kOffsetEntries * 2) {
        return badFace("DF21 offset table missing or not 9 entries");
    }
    std::array<Tlv, kOffsetEntries> objects;
    std::size_t previousEnd = valueStart + table->encoded.size();
    for (std::size_t i = 0; i < kOffsetEntries; ++i) {
        const std::size_t offset =
            static_cast<std::size_t>(table->value[2 * i] << 8) | table->value[2 * i + 1];
        if (offset < previousEnd || offset >= end) {
            return badFace("offset " + std::to_string(i) + " out of order or out of FF20");
        }
        auto t = parseTlv(file.subspan(offset, end - offset));
        if (!t)
            return badFace("object " + std::to_string(i) + ": " + t.error().context);
        if (t->tag != kTagFirstObject + i) {
            return badFace("offset " + std::to_string(i) + " does not point at DF" +
                           std::to_string(22 + i));
        }
        objects[i] = *t;
        previousEnd = offset + t->encoded.size();
    }

    CardFace face;
    const auto& birth = objects[kBirth].value;
    const auto& expiry = objects[kExpiry].value;
    if (!isDigits(birth, 8) || !isDigits(expiry, 8) || !isDigits(objects[kSex].value, 1)) {
        return badFace("DF22/DF23/DF29 are not digits");
    }
    face.birthDate.assign(birth.begin(), birth.end());
    face.expiryDate.assign(expiry.begin(), expiry.end());
    face.sex.assign(objects[kSex].value.begin(), objects[kSex].value.end());

    auto keyParts = parseTlvSequence(objects[kCardKey].value);
    if (!keyParts)
        return badFace("DF24: " + keyParts.error().context);
    const auto exponent = findTlv(*keyParts, kTagExponent);
    const auto modulus = findTlv(*keyParts, kTagModulus);
    if (!exponent || !modulus || exponent->value.empty() || modulus->value.size() != 256) {
        return badFace("DF24 lacks exponent 90 or 256-byte modulus 91");
    }
    face.cardKeyExponent.assign(exponent->value.begin(), exponent->value.end());
    face.cardKeyModulus.assign(modulus->value.begin(), modulus->value.end());

    auto photo = checkJp2(objects[kPhoto].value);
    if (!photo)
        return photo.failure();
    face.photo = *photo;
    face.photoJp2.assign(objects[kPhoto].value.begin(), objects[kPhoto].value.end());

    if (objects[kSignature].value.size() != kSignatureBytes) {
        return badFace("DF28 is not 256 bytes");
    }
    face.signature.assign(objects[kSignature].value.begin(), objects[kSignature].value.end());

    // Errata 1: each group hashed as whole TLVs in file order.
    auto concat = [&](std::initializer_list<FaceIndex> which) {
        Bytes b;
        for (auto i : which)
            b.insert(b.end(), objects[i].encoded.begin(), objects[i].encoded.end());
        return b;
    };
    face.signedFields = concat({kBirth, kSex, kCardKey});
    for (const auto& group : {face.signedFields, concat({kName, kAddress}), concat({kPhoto})}) {
        const Bytes digest = sha256(group);
        face.signedDigests.insert(face.signedDigests.end(), digest.begin(), digest.end());
    }
    return face;
}

CardStatus verifyPhotoSignature(const CardFace& face, const RsaPublicKey& issuerKey) {
    if (face.signedDigests.size() != 96) {
        return cardFail(CardErrorCode::kInvalidInput, "card face without digests");
    }
    Bytes payload(kFaceSignatureDigestInfoPrefix.begin(), kFaceSignatureDigestInfoPrefix.end());
    payload.insert(payload.end(), face.signedDigests.begin(), face.signedDigests.end());
    if (!issuerKey.verifyPayload(payload, face.signature)) {
        return cardFail(CardErrorCode::kPhotoSignatureInvalid,
                        "DF28 does not verify with the key certified in EF 0004");
    }
    return Unit{};
}

CardStatus KenmenAp::select() {
    auto r = iso_.selectAid(kKenmenAid);
    if (!r && r.error().code == CardErrorCode::kFileNotFound) {
        return fail(CardError{CardErrorCode::kNotAMyNumberCard, r.error().sw, "券面AP not found",
                              std::nullopt});
    }
    return r;
}

CardStatus KenmenAp::selectFile(KenmenObject object) {
    return iso_.selectEf(kKenmenFiles[static_cast<std::size_t>(object)].fid);
}

CardResult<RetryCounter> KenmenAp::queryVerificationNumberBRetries() {
    if (auto s = selectFile(KenmenObject::kVerificationNumberB); !s)
        return s.failure();
    return iso_.queryRetries();
}

CardStatus KenmenAp::verifyVerificationNumberB(SecretBytes number, LastTry lastTry) {
    if (number.size() != kVerificationNumberBDigits || !isDigits(number.view(), number.size())) {
        return cardFail(CardErrorCode::kInvalidInput, "照合番号B must be 14 digits");
    }
    auto counter = queryVerificationNumberBRetries();
    if (!counter)
        return counter.failure();
    return guardedVerify(iso_, *counter, std::move(number), "照合番号B",
                         options_.verificationNumberBFloor, lastTry);
}

CardResult<CardFace> KenmenAp::readCardFace() {
    if (auto s = selectFile(KenmenObject::kCardFace); !s)
        return s.failure();
    auto file = iso_.readTlvFile();
    if (!file)
        return file.failure();
    auto face = parseCardFace(*file);
    wipe(file.value());  // name/address images and birth date: keep only what CardFace holds
    return face;
}

CardResult<Bytes> KenmenAp::readCvCertificate() {
    if (auto s = selectFile(KenmenObject::kCvCertificate); !s)
        return s.failure();
    return iso_.readTlvFile();
}

Bytes cardPresenceMessage(ByteView challenge, ByteView cardNonce) {
    static constexpr std::string_view kLabel = "uketsuke card presence v1";
    Bytes m(kLabel.begin(), kLabel.end());
    m.push_back(0x00);
    m.insert(m.end(), challenge.begin(), challenge.end());
    m.insert(m.end(), cardNonce.begin(), cardNonce.end());
    return m;
}

template <typename MessageOf>
CardResult<CardPresenceAnswer> KenmenAp::signOverNonce(const RsaPublicKey& key, MessageOf messageOf,
                                                       const char* what, bool keepSecurityStatus) {
    auto nonce = iso_.getChallenge(kChallengeBytes);
    if (!nonce)
        return nonce.failure();
    const Bytes message = messageOf(ByteView(*nonce));
    auto digestInfo = sha256DigestInfo(sha256(message));
    if (!digestInfo)
        return digestInfo.failure();
    CommandApdu c{0x80, ins::kComputeSignature, 0x00, 0x00, std::move(digestInfo).takeValue(), 256u,
                  false};
    auto r = iso_.transceive(c);
    if (!r)
        return r.failure();
    if (r->sw != 0x9000) {
        // A card that cannot sign the challenge cannot prove it holds DF24's private key.
        CardError e = statusError(CardCommand::kComputeSignature, r->sw, what);
        // 6982 on a relying party's challenge: the card wants 照合番号B first ([U]), not a clone.
        if (!keepSecurityStatus || e.code != CardErrorCode::kSecurityStatusNotSatisfied)
            e.code = CardErrorCode::kCloneSuspected;
        return fail(std::move(e));
    }
    if (!key.verifySha256(message, r->data)) {
        return cardFail(CardErrorCode::kCloneSuspected,
                        std::string(what) + ": signature does not verify with DF24");
    }
    auto response = std::move(r).takeValue();
    return CardPresenceAnswer{std::move(nonce).takeValue(), std::move(response.data)};
}

CardResult<RsaPublicKey> KenmenAp::internalAuthenticate(const CardFace& face) {
    auto key = RsaPublicKey::fromModulusExponent(face.cardKeyModulus, face.cardKeyExponent);
    if (!key) {
        return cardFail(CardErrorCode::kCloneSuspected, "DF24 is not a usable RSA key");
    }
    // Reference §5.3 (c): the card's own challenge, hashed as is.
    auto answer = signOverNonce(
        *key, [](ByteView nonce) { return Bytes(nonce.begin(), nonce.end()); },
        "internal authentication", false);
    if (!answer)
        return answer.failure();
    return std::move(key).takeValue();
}

CardResult<CardPresenceAnswer> KenmenAp::answerChallenge(const RsaPublicKey& cardKey,
                                                         ByteView challenge) {
    if (challenge.empty() || challenge.size() > 256)
        return cardFail(CardErrorCode::kInvalidInput, "a challenge of 1-256 bytes is needed");
    return signOverNonce(
        cardKey, [&](ByteView nonce) { return cardPresenceMessage(challenge, nonce); },
        "card-presence challenge", true);
}

}  // namespace uketsuke::card
