// A card's proof of presence for a relying party (issue 16, "attestations bound to evidence"):
// plain data shared by the card layer (which produces it, kenmen_ap.h) and the qualification
// client (which sends it, terminal/qualification/attestation.h). Wire format and the checks the
// service makes: sim/qualification/README.md, "Card presence".
#pragma once

#include "uketsuke/bytes.h"

namespace uketsuke::card {

// What lets a relying party (the qualification service) check, without the photo, the name or
// the address, that a key is the issuer-certified key of a My Number Card: EF 0004 (checked
// with the CV-CA key), DF28 (checked with the key in EF 0004) over `signedDigests`, whose first
// digest is SHA-256(`signedFields`), and DF24 inside `signedFields`. All public card data; no
// My Number, no face image.
struct CardKeyEvidence {
    Bytes cvCertificate;  // EF 0004 as read
    Bytes signedFields;   // DF22‖DF23‖DF24 whole TLVs
    Bytes signedDigests;  // the 96 bytes DF28 signs
    Bytes faceSignature;  // DF28 value
};

// The card's answer to a relying party's challenge (issue 16: "attestations bound to evidence"):
// the card signs DigestInfo(SHA-256(cardPresenceMessage(challenge, nonce))) with its DF24 key,
// where `nonce` is the card's own GET CHALLENGE answer. A recorded answer is useless for another
// challenge, and only the card holds the key.
struct CardPresenceAnswer {
    Bytes cardNonce;  // GET CHALLENGE answer (kChallengeBytes)
    Bytes signature;  // 256 bytes, verifies with DF24
};

// The message the card's DigestInfo is computed over: a domain label, the relying party's
// challenge, the card's nonce. Unconfirmed [U] that a real card signs any host-built DigestInfo
// after GET CHALLENGE (the reference's §5.3 (c) flow hashes on the host too): a named
// assumption, the same one internal authentication already makes.
Bytes cardPresenceMessage(ByteView challenge, ByteView cardNonce);

}  // namespace uketsuke::card
