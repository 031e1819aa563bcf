// The terminal's private key (issue 16, "terminal key in hardware"): the key of the medical
// institution's client certificate, used for mutual TLS and for signing face / 目視 attestations.
// Whoever holds it IS the terminal to the qualification service, so it should not be copyable:
//  * kTpm2: the key lives in a TPM 2.0 and is used through the OpenSSL 3 provider `tpm2-openssl`.
//    `location` is a TSS2 key blob (PEM "TSS2 PRIVATE KEY", made by `openssl genpkey -provider
//    tpm2`: the private part is wrapped by the TPM's storage key and useless without that TPM) or
//    a persistent handle ("handle:0x81000001"). A copy of the file signs nothing elsewhere.
//  * kFile: a PEM private key on disk (0600). Anyone who copies it can act as the terminal; the
//    configuration must say `insecure_file_key: true` and `uketsuke doctor` flags it.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "terminal/qualification/qualification_error.h"
#include "uketsuke/result.h"

namespace uketsuke::terminal {

enum class KeyStore { kFile, kTpm2 };

std::string_view name(KeyStore store);  // "file", "tpm2"

struct TerminalKeySpec {
    KeyStore store = KeyStore::kFile;
    std::string location;  // kFile: PEM path; kTpm2: TSS2 key blob path or "handle:0x…"
    // kTpm2: the TPM's TSS2 TCTI, e.g. "device:/dev/tpmrm0" (tpm2-openssl's default when empty)
    // or "swtpm:host=127.0.0.1,port=2321". The provider reads it once, when it is first loaded:
    // one TPM per process.
    std::string tpm2Tcti;
};

// The OpenSSL property query for operations with a TPM key: its signature from the TPM (OpenSSL
// 3.0 signs with the provider whose signature it fetches, and the default provider's ECDSA cannot
// use a key it cannot see), and digests, ciphers and random bytes from the default provider (the
// TPM has room for only a few hash sequences; a TLS handshake duplicates them).
inline constexpr const char* kTpm2KeyPropertyQuery =
    "?tpm2.signature=yes,?tpm2.digest!=yes,?tpm2.cipher!=yes,?tpm2.rand!=yes";

// kTpm2KeyPropertyQuery for a key held by the TPM provider, nullptr (OpenSSL's defaults) otherwise.
const char* propertyQueryFor(const EVP_PKEY* key);

// The private-key file mode check of start-up (issue 14): "" when `path` is not readable or
// writable by group or others, otherwise the one-line reason (with the mode and the fix). A file
// that cannot be stat'ed gives "" (the key loader reports it).
std::string privateKeyFileModeProblem(const std::string& path);

// Loads the key (a handle to it, for kTpm2). Errors are kConfiguration with the reason: a file
// others can read, a key blob the TPM does not accept (another TPM's, or no TPM), no provider.
Result<std::shared_ptr<EVP_PKEY>, QualificationError> loadTerminalKey(const TerminalKeySpec& spec);

}  // namespace uketsuke::terminal
