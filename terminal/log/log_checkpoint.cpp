// Signed log checkpoints (see log_checkpoint.h).
#include "terminal/log/log_checkpoint.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "terminal/log/log_chain.h"

namespace uketsuke::terminal {
namespace {

constexpr const char* kFormat = "uketsuke-log-checkpoint/1";
constexpr std::size_t kMaxCheckpointBytes = 4096;

void field(std::string& out, std::string_view name, std::string_view value) {
    appendCanonicalField(out, name, value);
}

std::string mac(const SecretBytes& key, const Checkpoint& c) {
    const std::string text = canonicalCheckpoint(c);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const auto k = key.view();
    HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, &size);
    return toHex(ByteView(digest, size), false);
}

bool isHex64(const std::string& s) {
    if (s.size() != 64)
        return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

LogStatus ioFail(const std::string& what) {
    return logFail(LogErrorCode::kIo, what + ": " + std::strerror(errno));
}

}  // namespace

std::string canonicalCheckpoint(const Checkpoint& c) {
    std::string out = std::string(kFormat) + "\n";
    field(out, "log_id", c.logId);
    field(out, "sequence", std::to_string(c.sequence));
    field(out, "head_hash", c.headHash);
    field(out, "written_at", c.writtenAt);
    field(out, "terminal_id", c.terminalId);
    return out;
}

LogResult<Checkpoint> readCheckpoint(const std::filesystem::path& dir, const SecretBytes& key) {
    const auto file = dir / kCheckpointFileName;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return logFail(LogErrorCode::kIo, "no checkpoint in " + dir.string());
    std::string text;
    text.resize(kMaxCheckpointBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxCheckpointBytes)
        return logFail(LogErrorCode::kFormat, file.string() + " is too large for a checkpoint");
    Checkpoint c;
    std::string signature;
    try {
        const auto j = nlohmann::json::parse(text);
        if (!j.is_object() || j.value("format", "") != kFormat)
            return logFail(LogErrorCode::kFormat, file.string() + " is not a log checkpoint");
        c.logId = j.at("log_id").get<std::string>();
        c.sequence = j.at("sequence").get<std::int64_t>();
        c.headHash = j.at("head_hash").get<std::string>();
        c.writtenAt = j.at("written_at").get<std::string>();
        c.terminalId = j.value("terminal_id", "");
        signature = j.at("hmac_sha256").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        return logFail(LogErrorCode::kFormat, file.string() + " is not a valid log checkpoint");
    }
    if (c.sequence < 0 || (c.sequence > 0 && !isHex64(c.headHash)))
        return logFail(LogErrorCode::kFormat, file.string() + " names an impossible row");
    const std::string expected = mac(key, c);
    if (signature.size() != expected.size() ||
        CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
        return logFail(LogErrorCode::kChainKey,
                       file.string() + ": the checkpoint's signature does not match the key");
    }
    return c;
}

LogStatus writeCheckpoint(const std::filesystem::path& dir, const Checkpoint& checkpoint,
                          const SecretBytes& key) {
    if (auto stored = readCheckpoint(dir, key);
        stored && stored->logId == checkpoint.logId && stored->sequence >= checkpoint.sequence) {
        return Unit{};
    }
    const nlohmann::json j{{"format", kFormat},
                           {"log_id", checkpoint.logId},
                           {"sequence", checkpoint.sequence},
                           {"head_hash", checkpoint.headHash},
                           {"written_at", checkpoint.writtenAt},
                           {"terminal_id", checkpoint.terminalId},
                           {"hmac_sha256", mac(key, checkpoint)}};
    const std::string text = j.dump(2) + "\n";
    unsigned char random[8];
    RAND_bytes(random, sizeof random);
    const auto temp =
        dir / (".uketsuke-checkpoint-" + toHex(ByteView(random, sizeof random), false) + ".tmp");
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioFail("cannot write a checkpoint in " + dir.string());
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool synced = written && ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(temp.c_str(), (dir / kCheckpointFileName).c_str()) != 0) {
        auto s = ioFail("cannot write a checkpoint in " + dir.string());
        ::unlink(temp.c_str());
        return s;
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return Unit{};
}

}  // namespace uketsuke::terminal
