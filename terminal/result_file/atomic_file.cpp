// Temp file + fsync + no-replace rename + directory fsync (see atomic_file.h).
#include "terminal/result_file/atomic_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

Result<std::filesystem::path, ResultFileError> publishAtomically(
    const std::filesystem::path& folder, const NameCandidates& names, std::string_view content) {
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0)
        return fail(sysError(errno, "open folder " + folder.string()));

    // Hidden (leading dot) and with a .tmp suffix, so that a scanner matching OQS*.xml never
    // picks it up; random so that concurrent writers never share one.
    Bytes random(8);
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    const std::string tmpName =
        ".uketsuke-" + std::to_string(::getpid()) + "-" + toHex(random, false) + ".tmp";
    Fd file(::openat(dir.get(), tmpName.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (file.get() < 0)
        return fail(sysError(errno, "create temporary file in " + folder.string()));

    auto abandon = [&](int err, const std::string& what) {
        file.reset();
        ::unlinkat(dir.get(), tmpName.c_str(), 0);
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
    if (::close(file.release()) != 0)
        return fail(abandon(errno, "close"));

    for (int attempt = 0;; ++attempt) {
        const std::string name = names(attempt);
        if (name.empty()) {
            ::unlinkat(dir.get(), tmpName.c_str(), 0);
            ResultFileError e;
            e.code = ResultFileErrorCode::kNameExhausted;
            e.detail = "every candidate name exists in " + folder.string();
            return fail(e);
        }
        if (renameNoReplace(dir.get(), tmpName.c_str(), name.c_str()) == 0) {
            // The rename is durable only once the directory entry is on disk.
            if (::fsync(dir.get()) != 0)
                return fail(sysError(errno, "fsync folder"));
            return folder / name;
        }
        if (errno != EEXIST)
            return fail(abandon(errno, "rename to " + name));
    }
}

}  // namespace uketsuke::terminal
