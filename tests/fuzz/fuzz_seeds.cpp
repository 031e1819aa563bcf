// Writes the fuzz seed corpus (no binary is committed): card files made by the unit tests'
// OpenSSL helpers and recorded sessions of the virtual card (SimCard) in the [len][answer] script
// format.
//   fuzz_seeds OUTDIR   → OUTDIR/{tlv,apdu_replay,certificate}/seed-*
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "card_test_support.h"
#include "fuzz_flows.h"

using namespace uketsuke;
using namespace uketsuke::card;
namespace fs = std::filesystem;

namespace {

class Recorder : public CardChannel {
  public:
    explicit Recorder(CardChannel& inner) : inner_(inner) {}
    CardResult<Bytes> transmit(ByteView command) override {
        auto r = inner_.transmit(command);
        if (r) {
            script.push_back(static_cast<std::uint8_t>(r->size() >> 8));
            script.push_back(static_cast<std::uint8_t>(r->size()));
            script.insert(script.end(), r->begin(), r->end());
        }
        return r;
    }
    Bytes script;

  private:
    CardChannel& inner_;
};

void write(const fs::path& dir, const std::string& name, const Bytes& data) {
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
}

test::SimCard normalCard(const Bytes& cert, const Bytes& ca) {
    test::SimCard f;
    f.authCert = cert;
    f.authCaCert = ca;
    f.authKey = test::sharedKey(2);
    f.cardFace = test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(3), 3000);
    f.cvCertificate = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));
    f.cardKey = test::sharedKey(3);
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_seeds OUTDIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    using namespace std::chrono;
    test::CertSpec spec;
    spec.notBefore = sys_days{year{2025} / 1 / 1};
    spec.notAfter = sys_days{year{2030} / 1 / 1};
    spec.isCa = true;
    const Bytes ca = test::makeCertificate(spec, test::sharedKey(1), test::sharedKey(1));
    spec.isCa = false;
    const Bytes cert = test::makeCertificate(spec, test::sharedKey(2), test::sharedKey(1), ca);
    const Bytes face = test::makeCardFace(test::FaceSpec{}, test::sharedKey(1), test::sharedKey(3));
    const Bytes cv = test::makeCvCertificate(test::sharedKey(1), test::sharedKey(0));

    write(out / "tlv", "seed-card-face", face);
    write(out / "tlv", "seed-cv", cv);
    write(out / "tlv", "seed-cert", cert);
    write(out / "tlv", "seed-jp2", test::minimalJp2(20, 30, 64));
    write(out / "tlv", "seed-small", test::tlv(0xDF23, bytesOf("1")));
    write(out / "certificate", "seed-cert", cert);
    write(out / "certificate", "seed-ca", ca);
    write(out / "certificate", "seed-cv", cv);

    struct Variant {
        const char* name;
        void (*tweak)(test::SimCard&);
    };
    const Variant variants[] = {
        {"normal", [](test::SimCard&) {}},
        {"pin-blocked", [](test::SimCard& f) { f.authPinTries = 0; }},
        {"face-card",
         [](test::SimCard& f) {
             f.authPinQueryOverride = 0x6984;
             f.availability = Bytes{0x00, 0x8F, 0x00};
         }},
        {"not-mynumber", [](test::SimCard& f) { f.hasJpki = false; }},
        {"smartphone", [](test::SimCard& f) { f.label = "JPKIAPGPSETOKEN"; }},
        {"wrong-b", [](test::SimCard& f) { f.verificationNumberB = "00000000000000"; }},
    };
    for (const auto& v : variants) {
        test::SimCard fake = normalCard(cert, ca);
        v.tweak(fake);
        Recorder rec(fake);
        fuzz::runCardFlows(rec);
        write(out / "apdu_replay", std::string("seed-") + v.name, rec.script);
    }
    std::cout << "fuzz seeds written to " << out << "\n";
    return 0;
}
