#include "terminal/qualification/terminal_key.h"

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace uketsuke::terminal {
namespace {

QualificationError keyError(std::string detail) {
    QualificationError e;
    e.code = QualificationErrorCode::kConfiguration;
    e.detail = std::move(detail);
    return e;
}

std::string drainOpenSslErrors() {
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        if (!text.empty())
            text += "; ";
        text += buf;
    }
    return text;
}

// Loads tpm2-openssl into the default library context, once. Loading any provider explicitly
// stops OpenSSL from loading "default" implicitly, so "default" is loaded too (TLS, hashing and
// every file key keep working).
Result<Unit, QualificationError> loadTpm2Provider(const std::string& tcti) {
    static std::mutex mutex;
    static bool loaded = false;
    static std::string loadedTcti;
    std::lock_guard lock(mutex);
    if (loaded) {
        if (!tcti.empty() && tcti != loadedTcti)
            return fail(keyError("the TPM provider is already bound to TCTI \"" + loadedTcti +
                                 "\"; one TPM per process"));
        return Unit{};
    }
    if (!tcti.empty())
        ::setenv("TPM2OPENSSL_TCTI", tcti.c_str(), 1);  // read by the provider when it loads
    if (OSSL_PROVIDER_load(nullptr, "default") == nullptr)
        return fail(keyError("cannot load OpenSSL's default provider: " + drainOpenSslErrors()));
    if (OSSL_PROVIDER_load(nullptr, "tpm2") == nullptr)
        return fail(
            keyError("cannot load the OpenSSL TPM 2.0 provider (Debian package "
                     "tpm2-openssl): " +
                     drainOpenSslErrors()));
    loaded = true;
    loadedTcti = tcti;
    return Unit{};
}

// The first private key behind an OSSL_STORE URI or path ("handle:0x81000001", a PEM file).
Result<std::shared_ptr<EVP_PKEY>, QualificationError> loadFromStore(const std::string& uri,
                                                                    const char* propertyQuery) {
    ERR_clear_error();
    std::unique_ptr<OSSL_STORE_CTX, decltype(&OSSL_STORE_close)> store(
        OSSL_STORE_open_ex(uri.c_str(), nullptr, propertyQuery, nullptr, nullptr, nullptr, nullptr,
                           nullptr),
        &OSSL_STORE_close);
    if (!store)
        return fail(keyError("cannot open terminal key " + uri + ": " + drainOpenSslErrors()));
    OSSL_STORE_expect(store.get(), OSSL_STORE_INFO_PKEY);
    EVP_PKEY* key = nullptr;
    while (key == nullptr && OSSL_STORE_eof(store.get()) == 0) {
        OSSL_STORE_INFO* info = OSSL_STORE_load(store.get());
        if (info == nullptr)
            break;
        if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
            key = OSSL_STORE_INFO_get1_PKEY(info);
        OSSL_STORE_INFO_free(info);
    }
    if (key == nullptr)
        return fail(keyError("no usable private key in " + uri + ": " + drainOpenSslErrors()));
    ERR_clear_error();
    return std::shared_ptr<EVP_PKEY>(key, &EVP_PKEY_free);
}

}  // namespace

const char* propertyQueryFor(const EVP_PKEY* key) {
    const OSSL_PROVIDER* from = key != nullptr ? EVP_PKEY_get0_provider(key) : nullptr;
    if (from == nullptr || std::string_view(OSSL_PROVIDER_get0_name(from)) != "tpm2")
        return nullptr;
    return kTpm2KeyPropertyQuery;
}

std::string_view name(KeyStore store) {
    switch (store) {
        case KeyStore::kFile:
            return "file";
        case KeyStore::kTpm2:
            return "tpm2";
    }
    return "file";
}

std::string privateKeyFileModeProblem(const std::string& path) {
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0)
        return {};
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return "private key file " + path + " has mode " + mode +
           " (readable or writable by group or others); chmod 600 it";
}

Result<std::shared_ptr<EVP_PKEY>, QualificationError> loadTerminalKey(const TerminalKeySpec& spec) {
    if (spec.location.empty())
        return fail(keyError("no terminal key configured"));
    const bool handle = spec.location.rfind("handle:", 0) == 0;
    // Refused before anything is loaded: a key file others can read is no longer the terminal's.
    if (!handle) {
        if (const std::string problem = privateKeyFileModeProblem(spec.location); !problem.empty())
            return fail(keyError(problem));
    }
    if (spec.store == KeyStore::kFile) {
        if (handle)
            return fail(keyError("a TPM handle needs key_store \"tpm2\": " + spec.location));
        // Only OpenSSL's built-in decoders: a TPM key blob is not a file key.
        return loadFromStore(spec.location, "provider=default");
    }
    auto provider = loadTpm2Provider(spec.tpm2Tcti);
    if (!provider)
        return provider.failure();
    // The key must come from the TPM: a plain PEM key named here would silently be a file key.
    auto key = loadFromStore(spec.location, "?provider=tpm2");
    if (!key)
        return key;
    const OSSL_PROVIDER* from = EVP_PKEY_get0_provider(key.value().get());
    if (from == nullptr || std::string_view(OSSL_PROVIDER_get0_name(from)) != "tpm2")
        return fail(keyError("terminal key " + spec.location +
                             " is not a TPM key (key_store \"tpm2\" names a TSS2 key blob or a "
                             "handle)"));
    return key;
}

}  // namespace uketsuke::terminal
