// The PIN-proof DigestInfo (card-protocol.md §6).
#include "terminal/qualification/codec.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdint>
#include <iterator>

namespace uketsuke::terminal {

Bytes pinProofDigestInfo(ByteView challenge) {
    // DER prefix of DigestInfo{sha256, NULL} (card-protocol.md §6).
    static constexpr std::uint8_t kSha256Prefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                                     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                     0x01, 0x05, 0x00, 0x04, 0x20};
    Bytes out(std::begin(kSha256Prefix), std::end(kSha256Prefix));
    const Bytes digest = sha256(challenge);
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

}  // namespace uketsuke::terminal
