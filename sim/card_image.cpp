// Builds a virtual card's content from a persona and the test PKI (card-protocol.md §2, §5.3,
// Errata 1, 6 and 7).
#include "sim/card_image.h"

#include <algorithm>
#include <random>

namespace uketsuke::sim {
namespace {

namespace fs = std::filesystem;

// Certificate EFs have a fixed size on the card; the DER is followed by FF (card-protocol.md §3).
constexpr std::size_t kCertificateEfSize = 2048;

Bytes padded(Bytes data, std::size_t size, std::uint8_t filler = 0xFF) {
    if (data.size() < size)
        data.resize(size, filler);
    return data;
}

// Rounds a file up to the next 256 bytes with FF filler, as the card's fixed-size EFs.
Bytes paddedToBlock(Bytes data) {
    const std::size_t size = (data.size() + 255) / 256 * 256;
    return padded(std::move(data), size);
}

void append(Bytes& out, ByteView more) {
    out.insert(out.end(), more.begin(), more.end());
}

Bytes fixedAscii(std::string_view text, std::size_t size, char filler) {
    Bytes out(size, static_cast<std::uint8_t>(filler));
    std::copy_n(text.begin(), std::min(size, text.size()), out.begin());
    return out;
}

PinKey pinKey(std::string value, int maxTries, int tries, std::size_t minLen, std::size_t maxLen) {
    PinKey k;
    k.value = std::move(value);
    k.maxTries = maxTries;
    k.initialTries = std::clamp(tries, 0, maxTries);
    k.minLength = minLen;
    k.maxLength = maxLen;
    return k;
}

Failure<SimFailure> cryptoFailure(std::string what) {
    return fail(SimFailure{SimError::kCrypto, std::move(what)});
}

Result<Application, SimFailure> buildJpki(const Persona& p, const fs::path& pki,
                                          const fs::path& dir, CardImage& image) {
    Application app{AppId::kJpki, {}, {}, {}, std::nullopt, false, {}};
    auto authCert = loadCertificateDer(dir / "auth.pem");
    if (!authCert)
        return authCert.failure();
    auto authCa = loadCertificateDer(pki / "jpki-auth-ca.pem");
    if (!authCa)
        return authCa.failure();
    auto authKey = loadPrivateKey(dir / "auth.key");
    if (!authKey)
        return authKey.failure();
    image.authCertificateDer = authCert.value();

    // A smartphone token guards even the auth certificate with the PIN (card-protocol.md §2.1).
    const Access authCertAccess =
        p.kind == CardKind::kSmartphone ? Access::kAfterAuthPin : Access::kFree;
    app.files[fid::kJpkiAuthCert] = {padded(authCert.value(), kCertificateEfSize), authCertAccess};
    app.files[fid::kJpkiAuthCa] = {padded(authCa.value(), kCertificateEfSize), Access::kFree};
    app.files[fid::kJpkiTokenInfo] = {encodeTokenInfo(p.tokenLabel), Access::kFree};
    const std::uint8_t signFlag = p.signingCert ? 0x8F : 0x00;
    app.files[fid::kJpkiAvailability] = {Bytes{signFlag, 0x8F, 0x00}, Access::kFree};

    PinKey authPin = pinKey(p.authPin.value, 3, p.authPin.triesLeft, 4, 4);
    authPin.queryWhenVerified = p.authPin.queryWhenVerified;
    if (p.authPin.pinless) {
        // No PIN is set: the counter is blocked (63C0 to the query unless the persona names
        // another answer), every VERIFY with data answers 6984.
        authPin.value.clear();
        authPin.initialTries = 0;
        if (p.authPin.pinlessAnswer != 0x63C0)
            authPin.queryAnswer = p.authPin.pinlessAnswer;
    }
    app.pins[fid::kJpkiAuthPin] = std::move(authPin);
    app.keys[fid::kJpkiAuthKey] = {authKey.value(), fid::kJpkiAuthPin};

    // Every JPKI card has the signing password key 001B (Errata 7: middleware queries it before
    // binding). Without a signing certificate no password is set: it never verifies, and its
    // counter is what the persona says (blocked by default); 0001, 0002 and 001A do not exist
    // (6A82) and the availability byte 0 reads 00.
    if (!p.signingCert)
        app.pins[fid::kJpkiSignPassword] = pinKey("", 5, p.signPasswordTriesLeft, 6, 16);
    if (p.signingCert) {
        auto signCert = loadCertificateDer(dir / "sign.pem");
        if (!signCert)
            return signCert.failure();
        auto signCa = loadCertificateDer(pki / "jpki-sign-ca.pem");
        if (!signCa)
            return signCa.failure();
        auto signKey = loadPrivateKey(dir / "sign.key");
        if (!signKey)
            return signKey.failure();
        app.files[fid::kJpkiSignCert] = {padded(signCert.value(), kCertificateEfSize),
                                         Access::kAfterSignPassword};
        app.files[fid::kJpkiSignCa] = {padded(signCa.value(), kCertificateEfSize), Access::kFree};
        app.pins[fid::kJpkiSignPassword] =
            pinKey(p.signPassword, 5, p.signPasswordTriesLeft, 6, 16);
        app.keys[fid::kJpkiSignKey] = {signKey.value(), fid::kJpkiSignPassword};
    }
    return app;
}

Result<Application, SimFailure> buildKenmen(const Persona& p, const fs::path& pki,
                                            const fs::path& dir, CardImage& image) {
    Application app{AppId::kKenmen, {}, {}, {}, std::nullopt, false, {}};
    auto cardKey = loadPrivateKey(dir / "card.key");
    if (!cardKey)
        return cardKey.failure();
    auto issuerKey = loadPrivateKey(pki / "kenmen-issuer.key");
    if (!issuerKey)
        return issuerKey.failure();
    auto cvcaKey = loadPrivateKey(pki / "kenmen-cvca.key");
    if (!cvcaKey)
        return cvcaKey.failure();

    KenmenFace face;
    face.birthDate = bytesOf(p.kenmen.birthDate);
    face.sex = bytesOf(p.kenmen.sex);
    const Bytes modulus = rsaModulus(*cardKey.value());
    if (modulus.size() != 256)
        return cryptoFailure(p.id + ": card key is not RSA-2048");
    face.cardPublicKey = encodeTlv({0x90}, Bytes{0x01, 0x00, 0x01});
    append(face.cardPublicKey, encodeTlv({0x91}, modulus));
    struct Media {
        const char* file;
        Bytes* target;
    };
    for (const Media& m :
         {Media{"name.png", &face.nameImage}, Media{"address.png", &face.addressImage},
          Media{"photo.jp2", &face.photo}, Media{"security-code.png", &face.securityCodeImage}}) {
        auto bytes = readFileBytes(dir / m.file);
        if (!bytes)
            return bytes.failure();
        if (bytes.value().empty())
            return fail(SimFailure{SimError::kBadMedia, (dir / m.file).string()});
        *m.target = std::move(bytes).takeValue();
    }
    face.expiry = bytesOf(p.kenmen.cardExpiry);

    const Bytes faceFile = encodeKenmenFace(face, *issuerKey.value());
    const Bytes cvCert = encodeKenmenCvCertificate(*issuerKey.value(), *cvcaKey.value());
    if (faceFile.empty() || cvCert.empty())
        return cryptoFailure(p.id + ": signing EF 0002/0004");

    app.files[fid::kKenmenFace] = {faceFile, Access::kAfterKenmenB};
    // EF 0003: AP basic info (DF31 AP id, DF32 16-byte key id, DF33 version, DF34 municipality).
    Bytes info = encodeTlv({0xDF, 0x31}, Bytes{0x00, 0x00, 0x00, 0x02});
    append(info, encodeTlv({0xDF, 0x32}, cvKeyId(kCvCertifiedKeyName, kCvKeyGeneration)));
    append(info, encodeTlv({0xDF, 0x33}, Bytes{0x01}));
    append(info, encodeTlv({0xDF, 0x34}, bytesOf("13101")));
    app.files[fid::kKenmenBasicInfo] = {paddedToBlock(encodeTlv({0xFF, 0x30}, info)),
                                        Access::kFree};
    app.files[fid::kKenmenCvCert] = {paddedToBlock(cvCert), Access::kFree};
    // The 個人番号 image is never served and holds no number: FF filler only.
    app.files[fid::kKenmenMyNumberImage] = {Bytes(256, 0xFF), Access::kNever};
    app.forbiddenFids = {fid::kKenmenMyNumberImage, fid::kKenmenVerificationA};

    char eraDate[16];
    const int y = std::stoi(p.kenmen.birthDate.substr(0, 4));
    const int m = std::stoi(p.kenmen.birthDate.substr(4, 2));
    const int d = std::stoi(p.kenmen.birthDate.substr(6, 2));
    std::snprintf(eraDate, sizeof eraDate, "%02d%02d%02d", japaneseEraYear(y, m, d) % 100, m, d);
    app.pins[fid::kKenmenBirthKey] = pinKey(eraDate, 10, 10, 6, 6);
    app.pins[fid::kKenmenVerificationB] =
        pinKey(verificationNumberB(p), 10, p.kenmen.verificationBTriesLeft, 14, 14);
    app.pins[fid::kKenmenVerificationA] = pinKey("", 10, 10, 12, 12);
    app.internalAuthKey = SigningKey{cardKey.value(), std::nullopt};

    image.face = std::move(face);
    image.kenmenIssuerKey = issuerKey.value();
    return app;
}

// 入力補助AP: present so that a host that selects it is caught; none of its files is ever served.
Application buildTextAssist(const Persona& p) {
    Application app{AppId::kTextAssist, {}, {}, {}, std::nullopt, true, {}};
    for (std::uint16_t f : {0x0001, 0x0002, 0x0003, 0x0004, 0x0005})
        app.files[f] = {Bytes(32, 0xFF), Access::kNever};
    app.pins[fid::kTextPin] = pinKey(p.authPin.value, 3, 3, 4, 4);
    app.pins[fid::kTextVerificationA] = pinKey("", 10, 10, 12, 12);
    app.pins[fid::kTextVerificationB] = pinKey(verificationNumberB(p), 10, 10, 14, 14);
    return app;
}

}  // namespace

std::string_view appName(AppId id) {
    for (const auto& a : kApps)
        if (a.id == id)
            return a.name;
    return "?";
}

ByteView appAid(AppId id) {
    for (const auto& a : kApps)
        if (a.id == id)
            return ByteView(a.aid);
    return {};
}

const Application* CardImage::find(AppId id) const {
    for (const auto& a : apps)
        if (a.id == id)
            return &a;
    return nullptr;
}

Application* CardImage::find(AppId id) {
    for (auto& a : apps)
        if (a.id == id)
            return &a;
    return nullptr;
}

Bytes encodeTlv(std::initializer_list<std::uint8_t> tag, ByteView value) {
    Bytes out(tag);
    const std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
    } else {
        out.insert(out.end(),
                   {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    }
    append(out, value);
    return out;
}

Bytes encodeKenmenFace(const KenmenFace& face, const EVP_PKEY& issuerKey,
                       std::size_t extraHeaderLength, bool corruptSignature) {
    const Bytes df22 = encodeTlv({0xDF, 0x22}, face.birthDate);
    const Bytes df23 = encodeTlv({0xDF, 0x23}, face.sex);
    const Bytes df24 = encodeTlv({0xDF, 0x24}, face.cardPublicKey);
    const Bytes df25 = encodeTlv({0xDF, 0x25}, face.nameImage);
    const Bytes df26 = encodeTlv({0xDF, 0x26}, face.addressImage);
    const Bytes df27 = encodeTlv({0xDF, 0x27}, face.photo);

    // Errata 1: three SHA-256 digests over whole TLVs, signed by the issuer key of EF 0004.
    Bytes digestInfo(std::begin(kTripleSha256DigestInfoPrefix),
                     std::end(kTripleSha256DigestInfoPrefix));
    Bytes group;
    for (const Bytes* part : {&df22, &df23, &df24})
        append(group, *part);
    append(digestInfo, sha256(group));
    group.clear();
    for (const Bytes* part : {&df25, &df26})
        append(group, *part);
    append(digestInfo, sha256(group));
    append(digestInfo, sha256(df27));
    Bytes signature = signPkcs1Raw(issuerKey, digestInfo);
    if (signature.empty())
        return {};
    if (corruptSignature)
        signature[signature.size() / 2] ^= 0xA5;
    const Bytes df28 = encodeTlv({0xDF, 0x28}, signature);
    const Bytes df29 = encodeTlv({0xDF, 0x29}, face.expiry);
    const Bytes df2a = encodeTlv({0xDF, 0x2A}, face.securityCodeImage);

    // Offsets are from the file start: FF 20 82 LL LL (5) + DF21 TLV (3 + 18).
    const std::vector<const Bytes*> parts = {&df22, &df23, &df24, &df25, &df26,
                                             &df27, &df28, &df29, &df2a};
    Bytes offsets;
    std::size_t at = 5 + 3 + 2 * parts.size();
    for (const Bytes* part : parts) {
        offsets.push_back(static_cast<std::uint8_t>(at >> 8));
        offsets.push_back(static_cast<std::uint8_t>(at));
        at += part->size();
    }
    Bytes body = encodeTlv({0xDF, 0x21}, offsets);
    for (const Bytes* part : parts)
        append(body, *part);
    const std::size_t claimed = body.size() + extraHeaderLength;
    Bytes file = {0xFF, 0x20, 0x82, static_cast<std::uint8_t>(claimed >> 8),
                  static_cast<std::uint8_t>(claimed)};
    append(file, body);
    return paddedToBlock(std::move(file));
}

Bytes cvKeyId(std::string_view name, std::string_view generation) {
    Bytes id = bytesOf(name.substr(0, 7));
    id.insert(id.end(), {0x08, 0x05});
    append(id, bytesOf(generation.substr(0, 3)));
    id.resize(kCvKeyIdSize, 0x00);
    return id;
}

Bytes encodeKenmenCvCertificate(const EVP_PKEY& issuerKey, const EVP_PKEY& cvcaKey) {
    const Bytes modulus = rsaModulus(issuerKey);
    const Bytes exponent = rsaPublicExponent(issuerKey);
    if (modulus.size() != 256 || exponent.size() != 3)
        return {};
    Bytes body = cvKeyId(kCvSignerKeyName, kCvKeyGeneration);
    append(body, cvKeyId(kCvCertifiedKeyName, "000"));
    append(body, encodeTlv({0x90}, exponent));
    append(body, encodeTlv({0x91}, modulus));
    if (body.size() != kCvBodySize)
        return {};
    const Bytes signature = signSha256(cvcaKey, body);  // over the value, not the 5F4E TLV
    if (signature.size() != 256)
        return {};
    Bytes content = encodeTlv({0x5F, 0x4E}, body);
    append(content, encodeTlv({0x5F, 0x37}, signature));
    return encodeTlv({0x7F, 0x21}, content);
}

Bytes encodeTokenInfo(std::string_view label) {
    Bytes info = fixedAscii(label, 32, ' ');
    append(info, fixedAscii("JPKI-TEST", 32, ' '));         // manufacturerID
    append(info, fixedAscii("UKETSUKE-SIM", 16, ' '));      // model
    append(info, fixedAscii("0000000000000001", 16, ' '));  // serialNumber
    // flags, maxSession, sessionCount, maxRwSession, rwSessionCount, maxPinLen, minPinLen,
    // total/free public memory, total/free private memory: 32-bit big-endian each.
    const std::uint32_t fields[] = {0x0000040D, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0};
    for (std::uint32_t v : fields)
        info.insert(info.end(),
                    {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                     static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
    append(info, Bytes{0x01, 0x00, 0x01, 0x00});  // hardware and firmware versions
    append(info, fixedAscii("", 16, ' '));        // utcTime
    return info;
}

Result<CardImage, SimFailure> buildCardImage(const Persona& persona, const fs::path& pkiDir) {
    CardImage image;
    image.personaId = persona.id;
    image.kind = persona.kind;
    image.atr = persona.atr.empty() ? defaultAtr(persona.kind) : persona.atr;
    image.extendedLength = persona.extendedLength;
    if (persona.kind == CardKind::kNotMyNumber)
        return image;
    const fs::path dir = pkiDir / "personas" / persona.id;
    auto jpki = buildJpki(persona, pkiDir, dir, image);
    if (!jpki)
        return jpki.failure();
    image.apps.push_back(std::move(jpki).takeValue());
    if (persona.kind == CardKind::kMyNumber) {
        auto kenmen = buildKenmen(persona, pkiDir, dir, image);
        if (!kenmen)
            return kenmen.failure();
        image.apps.push_back(std::move(kenmen).takeValue());
        image.apps.push_back(buildTextAssist(persona));
    }
    return image;
}

CardImage applyFileFault(const CardImage& image, FaultMode mode) {
    CardImage out = image;
    Application* jpki = out.find(AppId::kJpki);
    Application* kenmen = out.find(AppId::kKenmen);
    const Bytes& cert = image.authCertificateDer;
    switch (mode) {
        case FaultMode::kTruncatedCert:
            if (jpki != nullptr)
                jpki->files[fid::kJpkiAuthCert].data = Bytes(
                    cert.begin(), cert.begin() + static_cast<std::ptrdiff_t>(cert.size() / 2));
            break;
        case FaultMode::kBadCertificate:
            if (jpki != nullptr) {
                // The signature value is the DER's last 256 bytes: corrupt 16 of them, so the
                // certificate still parses but its signature does not verify.
                Bytes& data = jpki->files[fid::kJpkiAuthCert].data;
                for (std::size_t i = cert.size() - 40; i < cert.size() - 24; ++i)
                    data[i] ^= 0x5A;
            }
            break;
        case FaultMode::kOversizedTlv:
            if (kenmen != nullptr && out.face)
                kenmen->files[fid::kKenmenFace].data =
                    encodeKenmenFace(*out.face, *out.kenmenIssuerKey, 4096);
            break;
        case FaultMode::kCorruptJp2:
            if (kenmen != nullptr && out.face) {
                std::mt19937 rng(27);  // fixed: the same garbage on every run
                for (auto& b : out.face->photo)
                    b = static_cast<std::uint8_t>(rng());
                kenmen->files[fid::kKenmenFace].data =
                    encodeKenmenFace(*out.face, *out.kenmenIssuerKey);
            }
            break;
        case FaultMode::kWrongCardKey:
            // A clone: internal authentication answered with a key that is not DF24's (here the
            // JPKI auth key, which any host can tell apart from the card key).
            if (kenmen != nullptr && jpki != nullptr && jpki->keys.count(fid::kJpkiAuthKey) > 0)
                kenmen->internalAuthKey =
                    SigningKey{jpki->keys.at(fid::kJpkiAuthKey).key, std::nullopt};
            break;
        case FaultMode::kBadPhotoSignature:
            if (kenmen != nullptr && out.face)
                kenmen->files[fid::kKenmenFace].data =
                    encodeKenmenFace(*out.face, *out.kenmenIssuerKey, 0, true);
            break;
        default:
            break;
    }
    return out;
}

}  // namespace uketsuke::sim
