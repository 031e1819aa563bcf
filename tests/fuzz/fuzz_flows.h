// The card flows a fuzz input drives: every read and credential path of JPKI-AP and 券面AP over
// one channel, in a fixed order, so that a recorded real session is a meaningful seed.
// Aborts (a finding) if any flow selects the 入力補助AP or a My Number file.
#pragma once

#include <algorithm>
#include <cstdlib>

#include "card/card_classifier.h"
#include "card/jpki_ap.h"
#include "card/kenmen_ap.h"
#include "card/scripted_channel.h"
#include "uketsuke/card_aids.h"

namespace uketsuke::card::fuzz {

inline void runCardFlows(CardChannel& channel) {
    Iso7816 iso(channel);
    (void)readCardInfo(iso);
    KenmenAp kenmen(iso);
    (void)kenmen.select();
    (void)kenmen.verifyVerificationNumberB(SecretBytes("55021720352285"));
    auto face = kenmen.readCardFace();
    (void)kenmen.readCvCertificate();
    if (face)
        (void)kenmen.internalAuthenticate(*face);
    JpkiAp jpki(iso);
    (void)jpki.select();
    (void)jpki.verifyAuthPin(SecretBytes("1234"));
    (void)jpki.signAuthDigest(Bytes(32, 0x5A));
}

inline void checkNoForbiddenSelect(const ScriptedChannel& channel) {
    for (const auto& s : channel.selects()) {
        if (s.byName && std::equal(s.target.begin(), s.target.end(), kTextAssistAid.begin(),
                                   kTextAssistAid.end()))
            std::abort();
        if (!s.byName && s.target.size() == 2 && s.target[0] == 0x00 &&
            (s.target[1] == 0x05 || s.target[1] == 0x13)) {
            std::abort();
        }
    }
}

}  // namespace uketsuke::card::fuzz
