// The sd_notify protocol of the kiosk (terminal/service/systemd_notify.h): datagrams reach a path
// socket and an abstract one; the environment decides whether and how often to ping.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "terminal/service/systemd_notify.h"

namespace uketsuke::terminal {
namespace {

struct Receiver {
    int fd = -1;
    std::string path;  // "@name" for an abstract socket
    explicit Receiver(std::string p) : path(std::move(p)) {
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, path.data(), path.size());
        socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
        if (path[0] == '@')
            addr.sun_path[0] = '\0';
        else
            len += 1;
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0) << std::strerror(errno);
        timeval tv{2, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Receiver() {
        ::close(fd);
        if (path[0] != '@')
            std::filesystem::remove(path);
    }
    std::string receive() const {
        char buf[256];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }
};

TEST(SystemdNotify, PathSocket) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("uketsuke-notify-" + std::to_string(::getpid()) + ".sock"))
                          .string();
    Receiver r(path);
    SystemdNotifier n(path);
    EXPECT_TRUE(n.notify("READY=1"));
    EXPECT_EQ(r.receive(), "READY=1");
    EXPECT_TRUE(n.notify("WATCHDOG=1"));
    EXPECT_EQ(r.receive(), "WATCHDOG=1");
}

TEST(SystemdNotify, AbstractSocket) {
    const std::string name = "@uketsuke-notify-test-" + std::to_string(::getpid());
    Receiver r(name);
    EXPECT_TRUE(SystemdNotifier(name).notify("WATCHDOG=1"));
    EXPECT_EQ(r.receive(), "WATCHDOG=1");
}

TEST(SystemdNotify, NobodyListeningOrNoSocket) {
    EXPECT_FALSE(SystemdNotifier("/nonexistent/uketsuke.sock").notify("READY=1"));
    EXPECT_FALSE(SystemdNotifier("").notify("READY=1"));
}

TEST(SystemdNotify, Environment) {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    EXPECT_FALSE(SystemdNotifier::fromEnvironment());
    ::setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
    auto n = SystemdNotifier::fromEnvironment();
    ASSERT_TRUE(n);
    EXPECT_FALSE(n->watchdogInterval());
    ::setenv("WATCHDOG_USEC", "30000000", 1);
    n = SystemdNotifier::fromEnvironment();
    ASSERT_TRUE(n && n->watchdogInterval());
    EXPECT_EQ(n->watchdogInterval()->count(), 30000000);
    ::setenv("WATCHDOG_USEC", "bogus", 1);
    EXPECT_FALSE(SystemdNotifier::fromEnvironment()->watchdogInterval());
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
}

}  // namespace
}  // namespace uketsuke::terminal
