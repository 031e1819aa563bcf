#include "terminal/session/staff_auth.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

namespace uketsuke::terminal {
namespace {

constexpr int kMinIterations = 100000;  // below this the hash is not "slow"
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

Result<Bytes, std::string> deriveKey(const SecretBytes& password, const Bytes& salt,
                                     int iterations) {
    Bytes out(kHashBytes);
    if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.view().data()),
                          static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1) {
        return fail(std::string("PBKDF2 failed"));
    }
    return out;
}

}  // namespace

Result<StaffFile, std::string> StaffFile::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return fail("cannot open staff file " + file.string());
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        return fail("staff file " + file.string() +
                    " is readable or writable by group or others; chmod 600 it");
    StaffFile f;
    try {
        const auto doc = nlohmann::json::parse(in);
        if (doc.at("version").get<int>() != 1 ||
            doc.at("kdf").get<std::string>() != "pbkdf2-sha256")
            return fail(std::string("staff file: unsupported version or kdf"));
        f.iterations = doc.at("iterations").get<int>();
        const auto salt = fromHex(doc.at("salt").get<std::string>());
        const auto hash = fromHex(doc.at("hash").get<std::string>());
        if (!salt || !hash || salt->size() < kSaltBytes || hash->size() != kHashBytes)
            return fail(std::string("staff file: malformed salt or hash"));
        f.salt = *salt;
        f.hash = *hash;
        f.staffIds = doc.at("staff").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        return fail(std::string("staff file: ") + e.what());
    }
    if (f.iterations < kMinIterations)
        return fail(std::string("staff file: iteration count too low"));
    return f;
}

Result<StaffFile, std::string> StaffFile::create(const SecretBytes& password,
                                                 std::vector<std::string> staffIds,
                                                 int iterations) {
    if (password.size() < 8)
        return fail(std::string("the 目視 password must have at least 8 characters"));
    if (iterations < kMinIterations)
        return fail(std::string("iteration count too low"));
    StaffFile f;
    f.iterations = iterations;
    f.salt.resize(kSaltBytes);
    if (RAND_bytes(f.salt.data(), static_cast<int>(f.salt.size())) != 1)
        return fail(std::string("RAND_bytes failed"));
    auto hash = deriveKey(password, f.salt, iterations);
    if (!hash)
        return hash.failure();
    f.hash = std::move(hash).takeValue();
    f.staffIds = std::move(staffIds);
    return f;
}

Status<std::string> StaffFile::save(const std::filesystem::path& file) const {
    const nlohmann::json doc = {{"version", 1},
                                {"kdf", "pbkdf2-sha256"},
                                {"iterations", iterations},
                                {"salt", toHex(salt, false)},
                                {"hash", toHex(hash, false)},
                                {"staff", staffIds}};
    // 0600: the password hash is for the terminal's service account only (issue 14).
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail("cannot write staff file " + file.string());
    ::fchmod(fd, 0600);
    const std::string text = doc.dump(2) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool closed = ::close(fd) == 0;
    if (!written || !closed)
        return fail("cannot write staff file " + file.string());
    return Unit{};
}

std::string_view staffAuthOutcomeName(StaffAuthOutcome outcome) {
    switch (outcome) {
        case StaffAuthOutcome::kAccepted:
            return "accepted";
        case StaffAuthOutcome::kUnknownStaff:
            return "unknown-staff";
        case StaffAuthOutcome::kWrongPassword:
            return "wrong-password";
        case StaffAuthOutcome::kLockedOut:
            return "locked-out";
    }
    return "unknown";
}

StaffAuthOutcome StaffAuthenticator::check(std::string_view staffId, SecretBytes password,
                                           std::chrono::steady_clock::time_point now) {
    if (failures_ >= policy_.maxFailures) {
        if (now < lockedUntil_)
            return StaffAuthOutcome::kLockedOut;
        failures_ = 0;
    }
    // The hash is computed even for an unknown ID so that timing does not reveal valid IDs.
    auto derived = deriveKey(password, file_.salt, file_.iterations);
    password.clear();
    const bool known =
        std::find(file_.staffIds.begin(), file_.staffIds.end(), staffId) != file_.staffIds.end();
    const bool match = derived && derived->size() == file_.hash.size() &&
                       CRYPTO_memcmp(derived->data(), file_.hash.data(), file_.hash.size()) == 0;
    if (known && match) {
        failures_ = 0;
        return StaffAuthOutcome::kAccepted;
    }
    if (++failures_ >= policy_.maxFailures)
        lockedUntil_ = now + policy_.lockout;
    return known ? StaffAuthOutcome::kWrongPassword : StaffAuthOutcome::kUnknownStaff;
}

}  // namespace uketsuke::terminal
