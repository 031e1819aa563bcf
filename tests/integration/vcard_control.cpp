// Control-socket client (see vcard_control.h).
#include "vcard_control.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

namespace uketsuke::testing {

std::string VcardControl::request(const std::string& line) const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return "error socket";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof(addr.sun_path)) {
        ::close(fd);
        return "error socket path too long";
    }
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    // A stuck simulator must fail the test, not hang it.
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return "error cannot connect to " + path_;
    }
    const std::string out = line + "\n";
    if (::send(fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) {
        ::close(fd);
        return "error send";
    }
    std::string answer;
    char c;
    while (::recv(fd, &c, 1, 0) == 1 && c != '\n')
        answer.push_back(c);
    ::close(fd);
    return answer.empty() ? "error no answer" : answer;
}

std::map<std::string, std::string> VcardControl::status() const {
    std::map<std::string, std::string> out;
    std::istringstream in(request("status"));
    std::string word;
    in >> word;  // "ok"
    while (in >> word) {
        const auto eq = word.find('=');
        if (eq != std::string::npos)
            out[word.substr(0, eq)] = word.substr(eq + 1);
    }
    return out;
}

int VcardControl::statusInt(const std::string& key) const {
    const auto s = status();
    const auto it = s.find(key);
    if (it == s.end())
        return -1;
    try {
        return std::stoi(it->second);
    } catch (...) {
        return -1;
    }
}

int VcardControl::forbiddenCount() const {
    const std::string a = request("forbidden");
    if (a.rfind("ok ", 0) != 0)
        return -1;
    try {
        return std::stoi(a.substr(3));
    } catch (...) {
        return -1;
    }
}

}  // namespace uketsuke::testing
