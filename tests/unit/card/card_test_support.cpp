// Test material for the card unit tests (see card_test_support.h).
#include "card_test_support.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
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

Bytes answerSw(std::uint16_t sw) {
    return {static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)};
}

Bytes answerData(ByteView data, std::uint16_t sw = 0x9000) {
    Bytes b(data.begin(), data.end());
    b.push_back(static_cast<std::uint8_t>(sw >> 8));
    b.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return b;
}

std::string fidName(std::uint16_t fid) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", fid);
    return buf;
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

FakeCard::FakeCard() = default;

CardResult<Bytes> FakeCard::transmit(ByteView command) {
    ++apdus;
    if (std::find(resetsBeforeApdus.begin(), resetsBeforeApdus.end(), apdus) !=
        resetsBeforeApdus.end()) {
        ++resets;
        ap_.clear();
        ef_ = 0;
        authVerified_ = false;
        bVerified_ = false;
        challenge_.clear();
        return cardFail(CardErrorCode::kCardReset, "test: card reset by another process");
    }
    return answer(command);
}

Bytes FakeCard::answer(ByteView c) {
    static const Bytes kJpki{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
    static const Bytes kKenmen{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
    static const Bytes kText{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
    if (c.size() < 4)
        return answerSw(0x6700);
    const std::uint8_t cla = c[0], ins = c[1], p1 = c[2], p2 = c[3];
    const ByteView body = c.subspan(4);
    Bytes data;
    if (body.size() >= 2 && body[0] != 0 && (ins != 0xB0 && ins != 0x84)) {
        data.assign(body.begin() + 1,
                    body.begin() + 1 + std::min<std::size_t>(body[0], body.size() - 1));
    }
    if (cla == 0x00 && ins == 0xA4 && p1 == 0x04) {
        if (data == kJpki && hasJpki) {
            ap_ = "JPKI";
        } else if (data == kKenmen && hasJpki) {
            ap_ = "KENMEN";
        } else if (data == kText) {
            ++forbiddenSelects;
            ap_ = "TEXT";
        } else {
            selects.push_back("AID?");
            return answerSw(0x6A82);
        }
        selects.push_back(ap_);
        ef_ = 0;
        return answerSw(0x9000);
    }
    if (cla == 0x00 && ins == 0xA4 && p1 == 0x02 && data.size() == 2) {
        const std::uint16_t fid = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
        selects.push_back(ap_ + ":" + fidName(fid));
        if (ap_ == "TEXT" || (ap_ == "KENMEN" && (fid == 0x0005 || fid == 0x0013))) {
            ++forbiddenSelects;
        }
        static const std::map<std::string, std::vector<std::uint16_t>> kFiles{
            {"JPKI", {0x0006, 0x0008, 0x000A, 0x000B, 0x0017, 0x0018}},
            {"KENMEN", {0x0002, 0x0004, 0x0012}}};
        auto it = kFiles.find(ap_);
        if (it == kFiles.end() ||
            std::find(it->second.begin(), it->second.end(), fid) == it->second.end()) {
            return answerSw(0x6A82);
        }
        ef_ = fid;
        return answerSw(0x9000);
    }
    if (cla == 0x00 && ins == 0xB0) {
        std::size_t le = 0;
        if (body.size() == 1) {
            le = body[0] == 0 ? 256 : body[0];
        } else if (body.size() == 3 && body[0] == 0 && extendedReadBinary) {
            le = static_cast<std::size_t>((body[1] << 8) | body[2]);
            if (le == 0)
                le = 65536;
        } else {
            return answerSw(0x6700);
        }
        const std::size_t offset = static_cast<std::size_t>((p1 << 8) | p2);
        const Bytes* file = nullptr;
        Bytes tokenInfo;
        if (ap_ == "JPKI" && ef_ == 0x0006) {
            tokenInfo = bytesOf(label);
            tokenInfo.resize(160, ' ');
            file = &tokenInfo;
        } else if (ap_ == "JPKI" && ef_ == 0x0008) {
            file = &availability;
        } else if (ap_ == "JPKI" && ef_ == 0x000A) {
            file = &authCert;
        } else if (ap_ == "JPKI" && ef_ == 0x000B) {
            file = &authCaCert;
        } else if (ap_ == "KENMEN" && ef_ == 0x0002) {
            if (!bVerified_)
                return answerSw(0x6982);
            file = &cardFace;
        } else if (ap_ == "KENMEN" && ef_ == 0x0004) {
            file = &cvCertificate;
        } else {
            return answerSw(0x6986);
        }
        if (offset >= file->size())
            return answerSw(0x6B00);
        std::size_t n = std::min(le, file->size() - offset);
        if (capsExtendedAnswers && body.size() == 3)
            n = std::min<std::size_t>(n, 256);
        return answerData(ByteView(*file).subspan(offset, n));
    }
    if (cla == 0x00 && ins == 0x20 && p1 == 0x00 && p2 == 0x80) {
        const bool jpkiPin = ap_ == "JPKI" && ef_ == 0x0018;
        const bool kenmenB = ap_ == "KENMEN" && ef_ == 0x0012;
        if (!jpkiPin && !kenmenB)
            return answerSw(0x6986);
        if (jpkiPin && authPinQueryOverride)
            return answerSw(*authPinQueryOverride);
        int& tries = jpkiPin ? authPinTries : bTries;
        bool& verified = jpkiPin ? authVerified_ : bVerified_;
        const std::string& secret = jpkiPin ? authPin : verificationNumberB;
        const int maxTries = jpkiPin ? 3 : 10;
        if (body.empty()) {
            if (verified)
                return answerSw(0x9000);
            return answerSw(static_cast<std::uint16_t>(0x63C0 + tries));
        }
        if (tries == 0)
            return answerSw(0x6984);
        if (std::string(data.begin(), data.end()) == secret) {
            tries = maxTries;
            verified = true;
            return answerSw(0x9000);
        }
        --tries;
        return answerSw(static_cast<std::uint16_t>(0x63C0 + tries));
    }
    if (cla == 0x00 && ins == 0x84) {
        const std::size_t n = body.size() == 1 ? (body[0] == 0 ? 256 : body[0]) : 0;
        if (n == 0)
            return answerSw(0x6700);
        challenge_.resize(n);
        RAND_bytes(challenge_.data(), static_cast<int>(n));
        return answerData(challenge_);
    }
    if (cla == 0x80 && ins == 0x2A) {
        if (ap_ == "JPKI" && ef_ == 0x0017 && p2 == 0x80) {
            if (!authVerified_)
                return answerSw(0x6982);
            return answerData(signPkcs1Payload(authKey, data));
        }
        if (ap_ == "KENMEN" && p1 == 0x00 && p2 == 0x00 && cardKey) {
            return answerData(signPkcs1Payload(cardKey, data));
        }
        return answerSw(0x6985);
    }
    return answerSw(0x6D00);
}

}  // namespace uketsuke::card::test
