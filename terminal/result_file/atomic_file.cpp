// Temp file + fsync + no-replace rename + directory fsync (see atomic_file.h).
#include "terminal/result_file/atomic_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "uketsuke/bytes.h"

namespace uketsuke::terminal {
namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_;
};

ResultFileError sysError(int err, const std::string& what) {
    ResultFileError e;
    e.sysErrno = err;
    e.detail = what + ": " + std::strerror(err);
    switch (err) {
        case ENOENT:
        case ENOTDIR:
            e.code = ResultFileErrorCode::kFolderMissing;
            break;
        case EACCES:
        case EPERM:
        case EROFS:
            e.code = ResultFileErrorCode::kNotWritable;
            break;
        default:
            e.code = ResultFileErrorCode::kWriteFailed;
    }
    return e;
}

// Moves `from` to `to` inside dirfd, failing with EEXIST instead of replacing `to`.
int renameNoReplace(int dirfd, const char* from, const char* to) {
    if (::renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    // File systems without RENAME_NOREPLACE: link() fails atomically on an existing name.
    if (::linkat(dirfd, from, dirfd, to, 0) != 0)
        return -1;
    ::unlinkat(dirfd, from, 0);
    return 0;
}

}  // namespace

StagedFile::StagedFile(std::filesystem::path folder, std::string tempName, int lockFd)
    : folder_(std::move(folder)), tempName_(std::move(tempName)), lockFd_(lockFd) {}

StagedFile::~StagedFile() {
    if (lockFd_ >= 0)
        ::close(lockFd_);
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : folder_(std::move(other.folder_)),
      tempName_(std::move(other.tempName_)),
      lockFd_(std::exchange(other.lockFd_, -1)) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
    if (this != &other) {
        if (lockFd_ >= 0)
            ::close(lockFd_);
        folder_ = std::move(other.folder_);
        tempName_ = std::move(other.tempName_);
        lockFd_ = std::exchange(other.lockFd_, -1);
    }
    return *this;
}

std::string stagedTempName(std::string_view sessionId) {
    return ".uketsuke-" + std::string(sessionId) + ".tmp";
}

Result<StagedFile, ResultFileError> stageFile(const std::filesystem::path& folder,
                                              const std::string& tempName,
                                              std::string_view content) {
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0)
        return fail(sysError(errno, "open folder " + folder.string()));
    Fd file(::openat(dir.get(), tempName.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (file.get() < 0)
        return fail(sysError(errno, "create temporary file in " + folder.string()));
    // Locked at once: removeStaleTemps() leaves a locked temp file alone.
    ::flock(file.get(), LOCK_EX);
    auto abandon = [&](int err, const std::string& what) {
        file.reset();
        ::unlinkat(dir.get(), tempName.c_str(), 0);
        return sysError(err, what);
    };
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(file.get(), content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(abandon(errno, "write"));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(file.get()) != 0)
        return fail(abandon(errno, "fsync"));
    // The temp file's directory entry must be durable too: after a power cut, a row naming the
    // staged file is only useful if the file is there.
    if (::fsync(dir.get()) != 0)
        return fail(abandon(errno, "fsync folder"));
    return StagedFile(folder, tempName, file.release());
}

Result<std::filesystem::path, ResultFileError> publishStaged(const std::filesystem::path& folder,
                                                             const std::string& tempName,
                                                             const NameCandidates& names) {
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0)
        return fail(sysError(errno, "open folder " + folder.string()));
    for (int attempt = 0;; ++attempt) {
        const std::string name = names(attempt);
        if (name.empty()) {
            ResultFileError e;
            e.code = ResultFileErrorCode::kNameExhausted;
            e.detail = "every candidate name exists in " + folder.string();
            return fail(e);
        }
        if (renameNoReplace(dir.get(), tempName.c_str(), name.c_str()) == 0) {
            // The rename is durable only once the directory entry is on disk.
            if (::fsync(dir.get()) != 0)
                return fail(sysError(errno, "fsync folder"));
            return folder / name;
        }
        if (errno != EEXIST)
            return fail(sysError(errno, "rename to " + name));
    }
}

void discardStaged(StagedFile& staged) {
    if (staged.tempName().empty())
        return;
    ::unlink((staged.folder() / staged.tempName()).c_str());
    staged = StagedFile();
}

NameCandidates nameVariants(const std::string& baseName, int maxVariants) {
    return [baseName, maxVariants](int attempt) -> std::string {
        if (attempt >= maxVariants)
            return {};
        if (attempt == 0)
            return baseName;
        // Built by appending: g++ 12 reports false -Wrestrict errors on "literal" + std::string.
        const std::size_t dot = baseName.rfind('.');
        std::string name = baseName.substr(0, dot);
        name += '_';
        name += std::to_string(attempt + 1);
        if (dot != std::string::npos)
            name += baseName.substr(dot);
        return name;
    };
}

int removeStaleTemps(const std::filesystem::path& folder) {
    std::error_code ec;
    int removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(".uketsuke-", 0) != 0 || name.size() < 14 ||
            name.compare(name.size() - 4, 4, ".tmp") != 0)
            continue;
        Fd fd(::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (fd.get() < 0)
            continue;
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
            continue;  // a live writer holds it
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (st.st_size == 0 && ::time(nullptr) - st.st_mtime < 60)
            continue;
        if (::unlink(entry.path().c_str()) == 0)
            ++removed;
    }
    return removed;
}

Result<std::filesystem::path, ResultFileError> publishAtomically(
    const std::filesystem::path& folder, const NameCandidates& names, std::string_view content) {
    // Hidden (leading dot) and with a .tmp suffix, so that a scanner matching OQS*.xml never
    // picks it up; random so that concurrent writers never share one.
    Bytes random(8);
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    const std::string tmpName =
        ".uketsuke-" + std::to_string(::getpid()) + "-" + toHex(random, false) + ".tmp";
    auto staged = stageFile(folder, tmpName, content);
    if (!staged)
        return staged.failure();
    auto published = publishStaged(folder, tmpName, names);
    if (!published)
        discardStaged(staged.value());
    return published;
}

}  // namespace uketsuke::terminal
