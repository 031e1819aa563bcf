// Test material for the card unit tests (see card_test_support.h).
#include "card_test_support.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "card/rsa_key.h"

namespace uketsuke::card::test {
namespace {

void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("OpenSSL test helper failed: ") + what);
}

Bytes bnParam(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    check(EVP_PKEY_get_bn_param(key, name, &bn) == 1, "get_bn_param");
    Bytes out(BN_num_bytes(bn));
    BN_bn2bin(bn, out.data());
    BN_free(bn);
    return out;
}

void addName(X509_NAME* name, const char* field, const std::string& value) {
    if (value.empty())
        return;
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Bytes u32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
            static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Bytes box(const char* type, const Bytes& content) {
    // Built element by element: g++ 12 -O3 reports a false -Warray-bounds on range inserts here.
    Bytes b;
    b.reserve(content.size() + 8);
    for (std::uint8_t x : u32(static_cast<std::uint32_t>(content.size() + 8)))
        b.push_back(x);
    for (int i = 0; i < 4; ++i)
        b.push_back(static_cast<std::uint8_t>(type[i]));
    for (std::uint8_t x : content)
        b.push_back(x);
    return b;
}

Bytes keyId(const char* id) {
    Bytes b(16, 0x00);
    std::memcpy(b.data(), id, std::min<std::size_t>(16, std::strlen(id)));
    return b;
}

}  // namespace

Key generateKey(int bits) {
    EVP_PKEY* k = EVP_RSA_gen(static_cast<unsigned int>(bits));
    check(k != nullptr, "EVP_RSA_gen");
    return Key(k);
}

EVP_PKEY* sharedKey(int index) {
    static std::mutex mutex;
    static std::map<int, Key> keys;
    std::lock_guard lock(mutex);
    auto& k = keys[index];
    if (!k)
        k = generateKey();
    return k.get();
}

Bytes modulusOf(EVP_PKEY* key) {
    return bnParam(key, OSSL_PKEY_PARAM_RSA_N);
}
Bytes exponentOf(EVP_PKEY* key) {
    return bnParam(key, OSSL_PKEY_PARAM_RSA_E);
}

std::string publicKeyPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

Bytes signSha256(EVP_PKEY* key, ByteView message) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    check(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1, "DigestSignInit");
    std::size_t len = 0;
    check(EVP_DigestSign(ctx, nullptr, &len, message.data(), message.size()) == 1, "sign len");
    Bytes sig(len);
    check(EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) == 1, "sign");
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    return sig;
}

Bytes signPkcs1Payload(EVP_PKEY* key, ByteView payload) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    check(EVP_PKEY_sign_init(ctx) == 1, "sign_init");
    check(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1, "padding");
    std::size_t len = 0;
    check(EVP_PKEY_sign(ctx, nullptr, &len, payload.data(), payload.size()) == 1, "sign len");
    Bytes sig(len);
    check(EVP_PKEY_sign(ctx, sig.data(), &len, payload.data(), payload.size()) == 1, "sign");
    EVP_PKEY_CTX_free(ctx);
    sig.resize(len);
    return sig;
}

Bytes tlv(std::uint32_t tag, ByteView value) {
    Bytes out;
    if (tag > 0xFFFF)
        out.push_back(static_cast<std::uint8_t>(tag >> 16));
    if (tag > 0xFF)
        out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag));
    const std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
    } else if (n <= 0xFFFF) {
        out.insert(out.end(),
                   {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    } else {
        out.insert(out.end(), {0x83, static_cast<std::uint8_t>(n >> 16),
                               static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    }
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes minimalJp2(std::uint32_t widthPx, std::uint32_t heightPx, std::size_t codestreamBytes) {
    const Bytes signature{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
    const Bytes ftyp = box("ftyp", {'j', 'p', '2', ' ', 0, 0, 0, 0, 'j', 'p', '2', ' '});
    Bytes ihdrContent =
        concat({u32(heightPx), u32(widthPx), Bytes{0x00, 0x01, 0x07, 0x07, 0x00, 0x00}});
    const Bytes jp2h = box("jp2h", box("ihdr", ihdrContent));
    Bytes cs(std::max<std::size_t>(codestreamBytes, 4), 0x5A);
    cs[0] = 0xFF;  // SOC
    cs[1] = 0x4F;
    cs[2] = 0xFF;  // SIZ
    cs[3] = 0x51;
    return concat({signature, ftyp, jp2h, box("jp2c", cs)});
}

Bytes makeCertificate(const CertSpec& spec, EVP_PKEY* subjectKey, EVP_PKEY* issuerKey,
                      const Bytes& issuerCertDer) {
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), spec.serial);
    X509_NAME* subject = X509_NAME_new();
    addName(subject, "C", "JP");
    addName(subject, "O", spec.subjectO);
    addName(subject, "CN", spec.subjectCn);
    X509_set_subject_name(cert, subject);
    X509* issuer = nullptr;
    if (issuerCertDer.empty()) {
        X509_set_issuer_name(cert, subject);
    } else {
        const unsigned char* p = issuerCertDer.data();
        issuer = d2i_X509(nullptr, &p, static_cast<long>(issuerCertDer.size()));
        check(issuer != nullptr, "issuer parse");
        X509_set_issuer_name(cert, X509_get_subject_name(issuer));
    }
    X509_NAME_free(subject);
    ASN1_TIME_set(X509_getm_notBefore(cert), std::chrono::system_clock::to_time_t(spec.notBefore));
    ASN1_TIME_set(X509_getm_notAfter(cert), std::chrono::system_clock::to_time_t(spec.notAfter));
    X509_set_pubkey(cert, subjectKey);
    addExtension(cert, issuer ? issuer : cert, NID_basic_constraints,
                 spec.isCa ? "critical,CA:TRUE" : "critical,CA:FALSE");
    if (spec.keyUsage) {
        addExtension(cert, issuer ? issuer : cert, NID_key_usage,
                     spec.isCa               ? "critical,keyCertSign,cRLSign"
                     : spec.digitalSignature ? "critical,digitalSignature"
                                             : "critical,keyEncipherment");
    }
    check(X509_sign(cert, issuerKey, EVP_sha256()) > 0, "X509_sign");
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    Bytes out(der, der + len);
    OPENSSL_free(der);
    X509_free(cert);
    X509_free(issuer);
    return out;
}

std::string derToPem(const Bytes& der) {
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, x);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    X509_free(x);
    return out;
}

Bytes makeCvCertificate(EVP_PKEY* certifiedKey, EVP_PKEY* cvcaKey) {
    // Errata 6: 297-byte fixed body, signature over the body's value.
    Bytes exponent = exponentOf(certifiedKey);
    exponent.insert(exponent.begin(), 3 - std::min<std::size_t>(3, exponent.size()), 0x00);
    const Bytes body = concat({keyId("6000023"), keyId("KENMEN-ISSUER"), Bytes{0x90, 0x03},
                               exponent, Bytes{0x91, 0x82, 0x01, 0x00}, modulusOf(certifiedKey)});
    return tlv(0x7F21, concat({tlv(0x5F4E, body), tlv(0x5F37, signSha256(cvcaKey, body))}));
}

Bytes makeCardFace(const FaceSpec& spec, EVP_PKEY* issuerKey, EVP_PKEY* cardKey,
                   std::size_t padTo) {
    std::vector<Bytes> objects{
        tlv(0xDF22, bytesOf(spec.birth)),
        tlv(0xDF23, bytesOf(spec.sex)),
        tlv(0xDF24, concat({tlv(0x90, exponentOf(cardKey)), tlv(0x91, modulusOf(cardKey))})),
        tlv(0xDF25, spec.nameImage),
        tlv(0xDF26, spec.addressImage),
        tlv(0xDF27, spec.photo.empty() ? minimalJp2() : spec.photo),
        Bytes{},  // DF28, below
        tlv(0xDF29, bytesOf(spec.expiry)),
        tlv(0xDF2A, spec.codeImage),
    };
    Bytes payload{0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                  0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60};
    for (const auto& group : {concat({objects[0], objects[1], objects[2]}),
                              concat({objects[3], objects[4]}), objects[5]}) {
        const Bytes d = card::sha256(group);
        payload.insert(payload.end(), d.begin(), d.end());
    }
    Bytes signature = signPkcs1Payload(issuerKey, payload);
    if (spec.corruptSignature)
        signature[100] ^= 0x01;
    objects[6] = tlv(0xDF28, signature);

    std::size_t valueLength = 3 + 18;
    for (const auto& o : objects)
        valueLength += o.size();
    const std::size_t headerLength = tlv(0xFF20, Bytes(valueLength)).size() - valueLength;
    Bytes table;
    std::size_t offset = headerLength + 3 + 18;
    for (const auto& o : objects) {
        table.push_back(static_cast<std::uint8_t>(offset >> 8));
        table.push_back(static_cast<std::uint8_t>(offset));
        offset += o.size();
    }
    Bytes value = tlv(0xDF21, table);
    for (const auto& o : objects)
        value.insert(value.end(), o.begin(), o.end());
    Bytes file = tlv(0xFF20, value);
    if (file.size() < padTo)
        file.resize(padTo, 0xFF);
    return file;
}

// ---- SimCard ---------------------------------------------------------------------------------

struct SimCard::Content {
    std::string label;
    Bytes availability, authCert, authCaCert;
    std::string authPin;
    std::optional<std::uint16_t> authPinQueryOverride;
    EVP_PKEY* authKey;
    Bytes cardFace, cvCertificate;
    std::string verificationNumberB;
    EVP_PKEY* cardKey;
    bool hasJpki, extendedReadBinary, capsExtendedAnswers;
    bool operator==(const Content&) const = default;
};

namespace {

constexpr sim::KeyId kAuthPinKey{sim::AppId::kJpki, sim::fid::kJpkiAuthPin};
constexpr sim::KeyId kVerificationBKey{sim::AppId::kKenmen, sim::fid::kKenmenVerificationB};

sim::PrivateKey borrowKey(EVP_PKEY* key) {
    EVP_PKEY_up_ref(key);
    return sim::PrivateKey(key, EVP_PKEY_free);
}

// A PIN key as the card layer's unit tests have always seen it: any length reaches the card
// (the card layer checks formats itself), and the counter query of a verified key answers 9000.
sim::PinKey pinKey(const std::string& value, int maxTries) {
    sim::PinKey pin;
    pin.value = value;
    pin.maxTries = maxTries;
    pin.initialTries = maxTries;
    pin.minLength = 1;
    pin.maxLength = 32;
    pin.queryWhenVerified = 0x9000;
    return pin;
}

}  // namespace

SimCard::SimCard() = default;
SimCard::~SimCard() = default;

SimCard::SimCard(const SimCard& other) : CardChannel() {
    *this = other;
}

SimCard::SimCard(SimCard&& other) : CardChannel() {
    *this = other;
}

SimCard& SimCard::operator=(SimCard&& other) {
    return *this = static_cast<const SimCard&>(other);
}

SimCard& SimCard::operator=(const SimCard& other) {
    if (this == &other)
        return *this;
    label = other.label;
    availability = other.availability;
    authCert = other.authCert;
    authCaCert = other.authCaCert;
    authPin = other.authPin;
    authPinTries = other.authPinTries;
    authPinQueryOverride = other.authPinQueryOverride;
    authKey = other.authKey;
    cardFace = other.cardFace;
    cvCertificate = other.cvCertificate;
    verificationNumberB = other.verificationNumberB;
    bTries = other.bTries;
    cardKey = other.cardKey;
    hasJpki = other.hasJpki;
    extendedReadBinary = other.extendedReadBinary;
    capsExtendedAnswers = other.capsExtendedAnswers;
    resetsBeforeApdus = other.resetsBeforeApdus;
    resets = other.resets;
    apdus = other.apdus;
    // A copy is another card of the same content: fresh session, its own access log.
    builtFrom_.reset();
    channel_.reset();
    return *this;
}

SimCard::Content SimCard::content() const {
    return Content{label,
                   availability,
                   authCert,
                   authCaCert,
                   authPin,
                   authPinQueryOverride,
                   authKey,
                   cardFace,
                   cvCertificate,
                   verificationNumberB,
                   cardKey,
                   hasJpki,
                   extendedReadBinary,
                   capsExtendedAnswers};
}

// Builds the sim's card image from the fields when they changed since the last APDU; the card
// session (selection, verified keys) goes on over the new files, as the tests edit a card
// between APDUs.
void SimCard::attach() {
    Content now = content();
    if (channel_ && builtFrom_ && *builtFrom_ == now)
        return;
    auto image = std::make_shared<sim::CardImage>();
    image->personaId = "card-unit-test";
    image->extendedLength = extendedReadBinary;
    image->extendedAnswerCap = capsExtendedAnswers ? 256 : 0;
    image->authCertificateDer = authCert;
    if (hasJpki) {
        sim::Application jpki;
        jpki.id = sim::AppId::kJpki;
        jpki.files[sim::fid::kJpkiTokenInfo] = {sim::encodeTokenInfo(label)};
        jpki.files[sim::fid::kJpkiAvailability] = {availability};
        jpki.files[sim::fid::kJpkiAuthCert] = {authCert};
        jpki.files[sim::fid::kJpkiAuthCa] = {authCaCert};
        jpki.pins[sim::fid::kJpkiAuthPin] = pinKey(authPin, 3);
        jpki.pins[sim::fid::kJpkiAuthPin].queryAnswer = authPinQueryOverride;
        if (authKey != nullptr)
            jpki.keys[sim::fid::kJpkiAuthKey] =
                sim::SigningKey{borrowKey(authKey), sim::fid::kJpkiAuthPin};
        image->apps.push_back(std::move(jpki));

        sim::Application kenmen;
        kenmen.id = sim::AppId::kKenmen;
        kenmen.files[sim::fid::kKenmenFace] = {cardFace, sim::Access::kAfterKenmenB};
        kenmen.files[sim::fid::kKenmenCvCert] = {cvCertificate};
        kenmen.pins[sim::fid::kKenmenVerificationB] = pinKey(verificationNumberB, 10);
        if (cardKey != nullptr)
            kenmen.internalAuthKey = sim::SigningKey{borrowKey(cardKey), std::nullopt};
        kenmen.forbiddenFids = {sim::fid::kKenmenMyNumberImage, sim::fid::kKenmenVerificationA};
        image->apps.push_back(std::move(kenmen));
    }
    sim::Application textAssist;
    textAssist.id = sim::AppId::kTextAssist;
    textAssist.forbidden = true;
    image->apps.push_back(std::move(textAssist));

    if (channel_)
        channel_->card().replaceImage(std::move(image));
    else
        channel_ = std::make_unique<VirtualCardChannel>(std::move(image));
    builtFrom_ = std::make_unique<Content>(std::move(now));
}

const sim::AccessLog& SimCard::accessLog() {
    attach();
    return channel_->accessLog();
}

CardResult<Bytes> SimCard::transmit(ByteView command) {
    ++apdus;
    attach();
    if (std::find(resetsBeforeApdus.begin(), resetsBeforeApdus.end(), apdus) !=
        resetsBeforeApdus.end()) {
        ++resets;
        channel_->card().reset();
        return cardFail(CardErrorCode::kCardReset, "test: card reset by another process");
    }
    sim::CardCounters& counters = channel_->counters();
    counters.triesLeft[kAuthPinKey] = authPinTries;
    counters.triesLeft[kVerificationBKey] = bTries;
    auto answer = channel_->transmit(command);
    authPinTries = counters.triesLeft[kAuthPinKey];
    bTries = counters.triesLeft[kVerificationBKey];
    return answer;
}

}  // namespace uketsuke::card::test
