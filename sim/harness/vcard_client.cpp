#include "sim/harness/vcard_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace uketsuke::sim {

Result<VcardAnswer, std::string> vcardControl(const std::filesystem::path& socketPath,
                                              const std::string& request) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = socketPath.string();
    if (path.size() >= sizeof addr.sun_path) {
        ::close(fd);
        return fail(std::string("control socket path too long"));
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return fail("cannot connect to the virtual card's control socket " + path);
    }
    const std::string line = request + "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
        ::close(fd);
        return fail(std::string("control socket: send failed"));
    }
    std::string answer;
    char buffer[512];
    while (answer.find('\n') == std::string::npos) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (const auto nl = answer.find('\n'); nl != std::string::npos)
        answer.resize(nl);
    if (answer.rfind("ok", 0) != 0)
        return fail("virtual card refused '" + request + "': " + answer);
    return VcardAnswer{answer};
}

}  // namespace uketsuke::sim
