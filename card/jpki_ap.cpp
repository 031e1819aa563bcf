// JPKI-AP flows (see jpki_ap.h; reference §2.1, §3, §4, §6).
#include "card/jpki_ap.h"

#include "card/rsa_key.h"
#include "card/status_word.h"

namespace uketsuke::card {
namespace {

constexpr std::size_t kTokenInfoBytes = 160;
constexpr std::size_t kTokenLabelBytes = 32;
constexpr std::size_t kAvailabilityBytes = 3;
constexpr std::uint8_t kCertificatePresent = 0x8F;
constexpr std::size_t kRsa2048SignatureBytes = 256;

constexpr bool filesInEnumOrder() {
    for (std::size_t i = 0; i < kJpkiFiles.size(); ++i) {
        if (static_cast<std::size_t>(kJpkiFiles[i].object) != i)
            return false;
    }
    return true;
}
static_assert(filesInEnumOrder(), "kJpkiFiles is indexed by JpkiObject");

}  // namespace

bool isValidAuthPinFormat(const SecretBytes& pin) {
    if (pin.size() != 4)
        return false;
    for (std::uint8_t c : pin.view()) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

CardStatus JpkiAp::select() {
    auto r = iso_.selectAid(kJpkiAid);
    if (!r && r.error().code == CardErrorCode::kFileNotFound) {
        return fail(CardError{CardErrorCode::kNotAMyNumberCard, r.error().sw, "JPKI-AP not found",
                              std::nullopt});
    }
    return r;
}

CardStatus JpkiAp::selectFile(JpkiObject object) {
    return iso_.selectEf(jpkiFile(object).fid);
}

CardResult<std::string> JpkiAp::readTokenLabel() {
    if (auto s = selectFile(JpkiObject::kTokenInfo); !s)
        return s.failure();
    auto chunk = iso_.readBinary(0, kTokenInfoBytes);
    if (!chunk)
        return chunk.failure();
    if (chunk->data.size() < kTokenLabelBytes) {
        return cardFail(CardErrorCode::kMalformedResponse,
                        "token info of " + std::to_string(chunk->data.size()) + " bytes");
    }
    std::string label(chunk->data.begin(), chunk->data.begin() + kTokenLabelBytes);
    while (!label.empty() && (label.back() == ' ' || label.back() == '\0'))
        label.pop_back();
    for (char c : label) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) {
            return cardFail(CardErrorCode::kMalformedResponse, "token label is not ASCII");
        }
    }
    return label;
}

CardResult<CertificateAvailability> JpkiAp::readCertificateAvailability() {
    if (auto s = selectFile(JpkiObject::kCertificateAvailability); !s)
        return s.failure();
    auto chunk = iso_.readBinary(0, kAvailabilityBytes);
    if (!chunk)
        return chunk.failure();
    if (chunk->data.size() != kAvailabilityBytes) {
        return cardFail(CardErrorCode::kWrongLength, "certificate availability size");
    }
    CertificateAvailability a;
    a.signingCertificate = chunk->data[0] == kCertificatePresent;
    a.authCertificate = chunk->data[1] == kCertificatePresent;
    a.raw = std::move(chunk.value().data);
    return a;
}

CardResult<Bytes> JpkiAp::readCertificate(JpkiObject object) {
    if (auto s = selectFile(object); !s)
        return s.failure();
    auto file = iso_.readTlvFile();
    if (!file)
        return file.failure();
    // A DER certificate is a SEQUENCE; anything else is not worth handing to the X.509 parser.
    if (file->empty() || (*file)[0] != 0x30) {
        return cardFail(CardErrorCode::kMalformedCertificate,
                        std::string(jpkiFile(object).name) + " is not a DER SEQUENCE");
    }
    return file;
}

CardResult<Bytes> JpkiAp::readAuthCertificate() {
    return readCertificate(JpkiObject::kAuthCertificate);
}

CardResult<Bytes> JpkiAp::readAuthCaCertificate() {
    return readCertificate(JpkiObject::kAuthCaCertificate);
}

CardResult<RetryCounter> JpkiAp::queryAuthPinRetries() {
    if (auto s = selectFile(JpkiObject::kAuthPin); !s)
        return s.failure();
    return iso_.queryRetries();
}

CardStatus JpkiAp::verifyAuthPin(SecretBytes pin, LastTry lastTry) {
    if (!isValidAuthPinFormat(pin)) {
        return cardFail(CardErrorCode::kInvalidInput, "auth PIN must be exactly 4 digits");
    }
    auto counter = queryAuthPinRetries();
    if (!counter)
        return counter.failure();
    return guardedVerify(iso_, *counter, std::move(pin), "auth PIN", kDefaultVerifyFloor, lastTry);
}

CardResult<Bytes> JpkiAp::signAuthDigest(ByteView sha256Digest) {
    auto digestInfo = sha256DigestInfo(sha256Digest);
    if (!digestInfo)
        return digestInfo.failure();
    if (auto s = selectFile(JpkiObject::kAuthKey); !s)
        return s.failure();
    CommandApdu c{0x80, ins::kComputeSignature, 0x00, 0x80, std::move(digestInfo).takeValue(), 256u,
                  false};
    auto r = iso_.transceive(c);
    if (!r)
        return r.failure();
    if (r->sw != 0x9000)
        return fail(
            statusError(CardCommand::kComputeSignature, r->sw, "COMPUTE SIGNATURE (auth key)"));
    if (r->data.size() != kRsa2048SignatureBytes) {
        return cardFail(CardErrorCode::kWrongLength,
                        "signature of " + std::to_string(r->data.size()) + " bytes");
    }
    return std::move(r.value().data);
}

}  // namespace uketsuke::card
