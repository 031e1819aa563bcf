#include "terminal/service/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace uketsuke::terminal {

std::optional<SystemdNotifier> SystemdNotifier::fromEnvironment() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    if (!socket || !*socket)
        return std::nullopt;
    std::optional<std::chrono::microseconds> watchdog;
    if (const char* usec = std::getenv("WATCHDOG_USEC")) {
        char* end = nullptr;
        const unsigned long long v = std::strtoull(usec, &end, 10);
        if (end && *end == '\0' && v > 0)
            watchdog = std::chrono::microseconds(v);
    }
    return SystemdNotifier(socket, watchdog);
}

bool SystemdNotifier::notify(std::string_view state) const {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socketPath_.empty() || socketPath_.size() >= sizeof addr.sun_path)
        return false;
    std::memcpy(addr.sun_path, socketPath_.data(), socketPath_.size());
    socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socketPath_.size());
    if (addr.sun_path[0] == '@')
        addr.sun_path[0] = '\0';  // abstract namespace
    else
        len += 1;  // the terminating NUL of a path
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&addr), len);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

}  // namespace uketsuke::terminal
