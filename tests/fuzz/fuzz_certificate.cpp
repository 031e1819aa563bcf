// libFuzzer target: X.509 DER parsing (auth certificates) and the 券面AP CV certificate.
#include <chrono>

#include "card/certificate.h"
#include "card/cv_certificate.h"

using namespace uketsuke;
using namespace uketsuke::card;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    if (auto c = Certificate::fromDer(in)) {
        (void)c->validityAt(std::chrono::system_clock::now());
        (void)c->hasDigitalSignatureKeyUsage();
        (void)c->issuerIsJpkiTest();
        (void)c->verifySignature(in, in);
    }
    if (auto cv = parseCvCertificate(in)) {
        if (auto key = RsaPublicKey::fromModulusExponent(cv->modulus, cv->exponent)) {
            (void)verifyCvCertificate(*cv, *key);
        }
    }
    return 0;
}
