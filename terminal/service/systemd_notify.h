// The service manager's notification protocol (sd_notify(3)), for the kiosk under systemd
// (packaging/systemd/uketsuke-kiosk.service: Type=notify, WatchdogSec, NotifyAccess=all): READY=1
// once the UI is up, WATCHDOG=1 from the UI's event loop, so a hung UI is restarted.
//
// Written against the documented protocol (one datagram "KEY=VALUE\n..." to the AF_UNIX socket in
// $NOTIFY_SOCKET; "@" starts an abstract address) rather than libsystemd's sd_notify, because the
// UI runs under cage: systemd's main process is cage, so $WATCHDOG_PID names cage and
// sd_watchdog_enabled() would say "not for you" in the UI. Here $WATCHDOG_PID is ignored; the
// unit's NotifyAccess=all lets the UI's messages count.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::terminal {

class SystemdNotifier {
  public:
    // From $NOTIFY_SOCKET and $WATCHDOG_USEC; nullopt when not started by a service manager.
    static std::optional<SystemdNotifier> fromEnvironment();
    explicit SystemdNotifier(std::string socketPath,
                             std::optional<std::chrono::microseconds> watchdog = std::nullopt)
        : socketPath_(std::move(socketPath)), watchdog_(watchdog) {}

    // Sends one message ("READY=1", "WATCHDOG=1", "STATUS=..."); false when it could not be sent.
    bool notify(std::string_view state) const;
    // The watchdog interval the unit set (WatchdogSec), if any: ping at least twice per interval.
    std::optional<std::chrono::microseconds> watchdogInterval() const { return watchdog_; }

  private:
    std::string socketPath_;
    std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace uketsuke::terminal
